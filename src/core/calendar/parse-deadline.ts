/** Parser of road-map deadline phrasings (seed 001) into a `DeadlineRule`.
 *
 * Recognised (case-insensitive, any dash, «ё» = «е», parentheses ignored):
 * - «по мере необходимости», «по мере появления информации» → unscheduled (as_needed);
 *   «на постоянной основе», «постоянно» → unscheduled (continuous);
 *   «в соответствии с графиком …», «согласно плану …» → unscheduled (external_schedule).
 * - «ежемесячно», «ежеквартально», «ежеполугодно» (+ «до N числа [месяца, следующего за отчетным периодом]»).
 * - «в течение года» (1 Jan – 31 Dec), «в течение учебного года» (1 Sep – 31 Aug).
 * - Dates: «до 30.06.2023», «30.06.2023», «с 15.02.2023 по 01.06.2023»; «до 1 сентября», «до 30.06» (yearly),
 *   «до 1 сентября 2023»; «ежегодно до 30.06.2023» (yearly since 2023).
 * - «III квартал», «3 квартал 2022», «1 полугодие».
 * - Months, lists and ranges, with or without years: «ежегодно январь, май», «два раза в год: январь, май», «Ежегодно декабрь май», «сентябрь-октябрь»,
 *   «Октябрь 2021 - июль 2022», «Сентябрь, декабрь 2021 года, ежегодно», «2022», «2021-2023 годы».
 * A year with «ежегодно» means "every year since"; months without a year and without «ежегодно» are taken as yearly
 * (road-map events repeat) and the rule carries a note saying so. Anything else → an error value naming the text. */

import { parseRussianDate } from '../format.ts';
import { daysInMonth, endOfMonth, isoDate, monthFromWord } from './dates.ts';
import { ordinal } from './periods.ts';
import { err, ok, type Result } from './result.ts';
import type { DeadlineRule } from './schema.ts';

const DATE_FILLERS = new Set(['до', 'не', 'позднее', 'в', 'срок', 'с', 'по', 'г', 'г.', 'года']);

/** Commas out, single spaces, one space at each end (so word patterns can anchor on spaces). */
function squeeze(x: string): string {
  return ` ${x.replace(/,/g, ' ').replace(/\s+/g, ' ').trim()} `;
}

const IMPLICIT_YEARLY = 'Год не указан — срок считается ежегодным';

interface End {
  m?: number;
  y?: number;
}
interface Item {
  from: End;
  to?: End;
}

/** Parses a Russian deadline phrase; see the module comment for the accepted forms. */
export function parseDeadline(text: string): Result<DeadlineRule> {
  const fail = (why?: string) =>
    err(`Не удалось распознать срок «${text.trim()}»${why ? `: ${why}` : ''}. Примеры: «ежегодно январь, май», «ежеквартально до 15 числа месяца, следующего за отчетным периодом», «сентябрь-октябрь», «до 30.06.2023», «по мере необходимости».`);
  let s = ` ${text.toLowerCase().replace(/ё/g, 'е').replace(/[–—−]/g, '-').replace(/[()«»":]/g, ' ').replace(/\s+/g, ' ').trim().replace(/[.;]$/, '')} `;
  if (s.trim() === '') return fail('пустой текст');
  if (/по мере (необходимости|появления|поступления|потребности)/.test(s)) return ok({ kind: 'unscheduled', reason: 'as_needed', text });
  if (/на постоянной основе|постоянно|систематически/.test(s)) return ok({ kind: 'unscheduled', reason: 'continuous', text });
  if (/в соответствии с|согласно|по графику|по плану/.test(s)) return ok({ kind: 'unscheduled', reason: 'external_schedule', text });

  const YEARLY = /ежегодн[а-я]*|каждый год|(?:один|два|три|четыре|\d+) раза? в год/g;
  const yearly = YEARLY.test(s);
  s = squeeze(s.replace(YEARLY, ' '));
  if (yearly && s.trim() === '') {
    return ok({ kind: 'yearly_window', from: { month: 1, day: 1 }, to: { month: 12, day: 31 }, text, note: 'Месяц не указан — срок до конца года' });
  }

  const periodic = /ежемесячн/.test(s) ? 'month' : /ежекварт/.test(s) ? 'quarter' : /ежеполугод|раз в полугодие/.test(s) ? 'half_year' : null;
  if (periodic) {
    s = squeeze(s.replace(/ежемесячн[а-я]*|ежекварт[а-я]*|ежеполугод[а-я]*|раз в полугодие/g, ' '));
    let dueDay: number | null = null;
    let dueMonthOffset = 0;
    const day = /(?:до|не позднее) (\d{1,2})(?:-?го)? (?:числа|дня)/.exec(s);
    if (day) {
      dueDay = Number(day[1]);
      if (dueDay < 1 || dueDay > 31) return fail('число месяца вне 1–31');
      s = s.replace(day[0], ' ');
    }
    const next = / месяца следующего за отчетн[а-я]* (периодом|кварталом|месяцем|полугодием)| следующего месяца/.exec(s);
    if (next) {
      dueMonthOffset = 1;
      s = s.replace(next[0], ' ');
    }
    if (s.trim() !== '') return fail(`непонятная часть «${s.trim()}»`);
    return ok({ kind: 'periodic', every: periodic, dueDay, dueMonthOffset, text });
  }

  const during = /в течение (всего )?(учебного |календарного )?года/.exec(s);
  if (during) {
    if (s.replace(during[0], ' ').trim() !== '') return fail();
    return during[2] === 'учебного '
      ? ok({ kind: 'yearly_window', from: { month: 9, day: 1 }, to: { month: 8, day: 31 }, text })
      : ok({ kind: 'yearly_window', from: { month: 1, day: 1 }, to: { month: 12, day: 31 }, text });
  }

  // Numeric dates: «до 30.06.2023», «30.06.2023», «с 15.02.2023 по 01.06.2023», «15.02.2023 - 01.06.2023».
  const dates = [...s.matchAll(/\d{1,2}\.\d{1,2}\.\d{4}/g)].map((m) => m[0]);
  if (dates.length > 0) {
    const iso = dates.map((d) => parseRussianDate(d));
    if (iso.some((d) => d === null)) return fail('такой даты нет в календаре');
    const rest = s
      .replace(/\d{1,2}\.\d{1,2}\.\d{4}/g, ' ')
      .replace(/-/g, ' ')
      .split(' ')
      .filter((w) => w !== '' && !DATE_FILLERS.has(w));
    if (rest.length > 0 || dates.length > 2) return fail(rest.length > 0 ? `непонятная часть «${rest.join(' ')}»` : undefined);
    const [a, b] = iso as string[];
    if (b !== undefined && a! > b) return fail('начало позже окончания');
    if (yearly && b === undefined) {
      // «ежегодно до 30.06.2023»: every year by 30 June, starting with 2023.
      const date = { month: Number(a!.slice(5, 7)), day: Number(a!.slice(8)) };
      return ok({ kind: 'yearly_date', date, sinceYear: Number(a!.slice(0, 4)), text });
    }
    return ok({ kind: 'fixed', items: [{ start: a!, due: b ?? a! }], text });
  }

  // «до 30.06» (no year): every year by that day.
  const short = /^ (?:(?:в срок )?до )?(\d{1,2})\.(\d{1,2})\.? $/.exec(s);
  if (short) {
    const [day, month] = [Number(short[1]), Number(short[2])];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) return fail('такой даты нет в календаре');
    return ok({ kind: 'yearly_date', date: { month, day }, text, ...(yearly ? {} : { note: IMPLICIT_YEARLY }) });
  }

  // «до 1 сентября», «в срок до 10 августа», «1 сентября 2023 года».
  const dm = /^(?: (?:в срок |не позднее )?(?:до |к )?)?(\d{1,2}) ([а-я]+)(?: (\d{4}))?(?: года| г\.?)? $/.exec(s);
  const dmMonth = dm ? monthFromWord(dm[2]!) : null;
  if (dm && dmMonth !== null) {
    const month = dmMonth;
    const day = Number(dm[1]);
    const y = dm[3] ? Number(dm[3]) : null;
    if (day < 1 || day > daysInMonth(y ?? 2000, month)) return fail('такой даты нет в календаре');
    if (y !== null && !yearly) {
      const d = isoDate(y, month, day);
      return ok({ kind: 'fixed', items: [{ start: d, due: d }], text });
    }
    return ok({ kind: 'yearly_date', date: { month, day }, text, ...(y !== null ? { sinceYear: y } : yearly ? {} : { note: IMPLICIT_YEARLY }) });
  }

  // «III квартал», «3 квартал 2022», «1 полугодие».
  const qh = /^ (\S+) (квартал|полугодие)(?: (\d{4}))?(?: года| г\.?)? $/.exec(s);
  if (qh) {
    const n = ordinal(qh[1]!);
    const max = qh[2] === 'квартал' ? 4 : 2;
    if (n === null || n < 1 || n > max) return fail();
    const len = qh[2] === 'квартал' ? 3 : 6;
    const first = (n - 1) * len + 1;
    const last = n * len;
    const y = qh[3] ? Number(qh[3]) : null;
    if (y !== null && !yearly) return ok({ kind: 'fixed', items: [{ start: isoDate(y, first, 1), due: endOfMonth(y, last) }], text });
    const to = { month: last, day: daysInMonth(2000, last) };
    return ok({ kind: 'yearly_window', from: { month: first, day: 1 }, to, text, ...(y !== null ? { sinceYear: y } : yearly ? {} : { note: IMPLICIT_YEARLY }) });
  }

  // Months, month ranges and years.
  if (/(^| )до /.test(s)) return fail('укажите число: «до 1 сентября»');
  const items: Item[] = [];
  let pendingDash = false;
  const tokens = s.replace(/-/g, ' - ').trim().split(/\s+/).filter(Boolean);
  for (const tok of tokens) {
    if (tok === '-' || tok === 'по') {
      if (items.length === 0 || pendingDash) return fail();
      pendingDash = true;
      continue;
    }
    if (['и', 'с', 'в', 'года', 'год', 'годы', 'годах', 'г', 'г.', 'гг', 'гг.'].includes(tok)) continue;
    const m = monthFromWord(tok);
    const y = /^\d{4}$/.test(tok) ? Number(tok) : null;
    if (m === null && y === null) return fail(`непонятное слово «${tok}»`);
    const last = items[items.length - 1];
    const lastEnd = last ? (last.to ?? last.from) : undefined;
    if (y !== null && lastEnd && lastEnd.m !== undefined && lastEnd.y === undefined && !pendingDash) {
      lastEnd.y = y; // «октябрь 2021»
      continue;
    }
    const end: End = m !== null ? { m } : { y: y! };
    if (pendingDash) {
      if (!last || last.to) return fail();
      last.to = end;
      pendingDash = false;
    } else items.push({ from: end });
  }
  if (pendingDash || items.length === 0) return fail();

  const ends = items.flatMap((i) => (i.to ? [i.from, i.to] : [i.from]));
  const yearOnly = ends.every((e) => e.m === undefined);
  if (!yearOnly && ends.some((e) => e.m === undefined)) return fail();
  // A year written once at the end applies to every item before it: «Сентябрь, декабрь 2021 года».
  const lastYear = ends[ends.length - 1]!.y;
  for (const i of items) {
    if (i.to && i.to.y === undefined && lastYear !== undefined) i.to.y = lastYear;
    if (i.from.y === undefined && lastYear !== undefined) {
      i.from.y = i.to && i.to.y !== undefined && i.from.m! > i.to.m! ? i.to.y - 1 : (i.to?.y ?? lastYear);
    }
  }
  const hasYear = ends.some((e) => e.y !== undefined);
  if (hasYear && ends.some((e) => e.y === undefined)) return fail('год указан не у всех месяцев');

  if (yearOnly) {
    const item = items.length === 1 ? items[0]! : null;
    if (!item) return fail();
    const a = item.from.y!;
    const b = item.to?.y ?? a;
    if (b < a) return fail('начало позже окончания');
    if (yearly) return ok({ kind: 'yearly_window', from: { month: 1, day: 1 }, to: { month: 12, day: 31 }, sinceYear: a, text });
    return ok({ kind: 'fixed', items: [{ start: isoDate(a, 1, 1), due: isoDate(b, 12, 31) }], text });
  }

  if (hasYear && !yearly) {
    const fixed = items.map((i) => ({ start: isoDate(i.from.y!, i.from.m!, 1), due: endOfMonth((i.to ?? i.from).y!, (i.to ?? i.from).m!) }));
    if (fixed.some((f) => f.start > f.due)) return fail('начало позже окончания');
    return ok({ kind: 'fixed', items: fixed.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0)), text });
  }

  const since = hasYear ? { sinceYear: Math.min(...ends.map((e) => e.y!)) } : {};
  const note = !yearly && !hasYear ? { note: IMPLICIT_YEARLY } : {};
  if (items.every((i) => !i.to)) {
    const months = [...new Set(items.map((i) => i.from.m!))].sort((a, b) => a - b);
    return ok({ kind: 'yearly_months', months, text, ...since, ...note });
  }
  if (items.length === 1) {
    const { from, to } = items[0]! as Required<Item>;
    return ok({ kind: 'yearly_window', from: { month: from.m!, day: 1 }, to: { month: to.m!, day: daysInMonth(2000, to.m!) }, text, ...since, ...note });
  }
  return fail('несколько интервалов в одной строке — разбейте на отдельные мероприятия');
}
