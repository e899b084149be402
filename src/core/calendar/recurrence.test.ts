import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { occurrences, occurrencesBetween, parseDeadline, status, STATUS_LABELS } from './recurrence.ts';
import { deadlineRuleSchema, type DeadlineRule } from './schema.ts';

const rule = (text: string): DeadlineRule => {
  const r = parseDeadline(text);
  if (!r.ok) throw new Error(r.error);
  expect(deadlineRuleSchema.parse(r.value)).toEqual(r.value);
  return r.value;
};
const dues = (text: string, year: number, by?: 'period' | 'due'): string[] =>
  occurrences(rule(text), year, by ? { by } : {}).map((o) => `${o.start}..${o.due}`);

describe('parseDeadline: the phrasings of seed 001', () => {
  it('«ежегодно январь, май»: each month, due its last day', () => {
    expect(rule('ежегодно январь, май')).toMatchObject({ kind: 'yearly_months', months: [1, 5] });
    expect(occurrences(rule('Ежегодно январь, май'), 2023)).toEqual([
      { start: '2023-01-01', due: '2023-01-31', label: 'январь 2023 года' },
      { start: '2023-05-01', due: '2023-05-31', label: 'май 2023 года' },
    ]);
    expect(dues('Ежегодно февраль, июнь', 2024)).toEqual(['2024-02-01..2024-02-29', '2024-06-01..2024-06-30']);
    expect(dues('Ежегодно декабрь май', 2023)).toEqual(['2023-05-01..2023-05-31', '2023-12-01..2023-12-31']);
    expect(dues('Ежегодно, февраль, май', 2023)).toEqual(['2023-02-01..2023-02-28', '2023-05-01..2023-05-31']);
    expect(dues('Ежегодно январь', 2023)).toEqual(['2023-01-01..2023-01-31']);
    expect(dues('ежегодно сентябрь', 2023)).toEqual(['2023-09-01..2023-09-30']);
    expect(dues('Сентябрь ежегодно', 2023)).toEqual(['2023-09-01..2023-09-30']);
  });

  it('«ежеквартально до 15 числа месяца, следующего за отчетным периодом»: 15 Apr, 15 Jul, 15 Oct, 15 Jan next year', () => {
    const r = rule('ежеквартально (до 15 числа месяца, следующего за отчетным периодом)');
    expect(r).toMatchObject({ kind: 'periodic', every: 'quarter', dueDay: 15, dueMonthOffset: 1 });
    expect(occurrences(r, 2022)).toEqual([
      { start: '2022-01-01', due: '2022-04-15', label: '1 квартал 2022 года' },
      { start: '2022-04-01', due: '2022-07-15', label: '2 квартал 2022 года' },
      { start: '2022-07-01', due: '2022-10-15', label: '3 квартал 2022 года' },
      { start: '2022-10-01', due: '2023-01-15', label: '4 квартал 2022 года' },
    ]);
  });

  it('year boundary: by period (default) lists Q4 2022 in 2022; by due lists Q4 2021 in 2022', () => {
    const q = 'ежеквартально до 15 числа месяца, следующего за отчетным периодом';
    expect(dues(q, 2022, 'due')).toEqual([
      '2021-10-01..2022-01-15',
      '2022-01-01..2022-04-15',
      '2022-04-01..2022-07-15',
      '2022-07-01..2022-10-15',
    ]);
    expect(occurrences(rule(q), 2022, { by: 'due' })[0]!.label).toBe('4 квартал 2021 года');
    expect(dues('Октябрь 2021 - июль 2022', 2021)).toEqual(['2021-10-01..2022-07-31']);
    expect(dues('Октябрь 2021 - июль 2022', 2022)).toEqual([]);
    expect(dues('Октябрь 2021 - июль 2022', 2022, 'due')).toEqual(['2021-10-01..2022-07-31']);
    expect(dues('в течение учебного года', 2022)).toEqual(['2022-09-01..2023-08-31']);
    expect(dues('в течение учебного года', 2022, 'due')).toEqual(['2021-09-01..2022-08-31']);
  });

  it('windows: «сентябрь-октябрь» from 1 Sep to 31 Oct; «в течение года»; «III квартал»; «июль-август»', () => {
    expect(rule('сентябрь-октябрь')).toMatchObject({ kind: 'yearly_window', note: 'Год не указан — срок считается ежегодным' });
    expect(occurrences(rule('сентябрь-октябрь'), 2023)).toEqual([
      { start: '2023-09-01', due: '2023-10-31', label: 'сентябрь – октябрь 2023 года' },
    ]);
    expect(dues('Сентябрь - октябрь ежегодно', 2023)).toEqual(['2023-09-01..2023-10-31']);
    expect(dues('Сентябрь – октябрь', 2023)).toEqual(['2023-09-01..2023-10-31']);
    expect(dues('Август - сентябрь', 2023)).toEqual(['2023-08-01..2023-09-30']);
    expect(dues('Июнь-август ежегодно', 2023)).toEqual(['2023-06-01..2023-08-31']);
    expect(dues('Ежегодно июль-август', 2023)).toEqual(['2023-07-01..2023-08-31']);
    expect(dues('Ежегодно июнь - июль', 2023)).toEqual(['2023-06-01..2023-07-31']);
    expect(occurrences(rule('в течение года'), 2023)).toEqual([{ start: '2023-01-01', due: '2023-12-31', label: '2023 год' }]);
    expect(occurrences(rule('Ежегодно III квартал'), 2023)).toEqual([{ start: '2023-07-01', due: '2023-09-30', label: '3 квартал 2023 года' }]);
    expect(rule('ежегодно')).toMatchObject({ kind: 'yearly_window', note: 'Месяц не указан — срок до конца года' });
  });

  it('fixed dates and dated months', () => {
    expect(rule('до 30.06.2023')).toMatchObject({ kind: 'fixed', items: [{ start: '2023-06-30', due: '2023-06-30' }] });
    expect(occurrences(rule('30.06.2023'), 2023)).toEqual([{ start: '2023-06-30', due: '2023-06-30', label: 'до 30.06.2023' }]);
    expect(occurrences(rule('до 30.06.2023'), 2022)).toEqual([]);
    expect(dues('с 15.02.2023 по 01.06.2023', 2023)).toEqual(['2023-02-15..2023-06-01']);
    expect(occurrences(rule('Сентябрь – октябрь 2021'), 2021)).toEqual([
      { start: '2021-09-01', due: '2021-10-31', label: 'сентябрь – октябрь 2021 года' },
    ]);
    expect(dues('июль 2021', 2021)).toEqual(['2021-07-01..2021-07-31']);
    expect(dues('Октябрь 2021', 2021)).toEqual(['2021-10-01..2021-10-31']);
    expect(dues('Июль – август 2022', 2022)).toEqual(['2022-07-01..2022-08-31']);
    expect(dues('2022', 2022)).toEqual(['2022-01-01..2022-12-31']);
    expect(occurrences(rule('2021-2023 годы'), 2021)).toEqual([{ start: '2021-01-01', due: '2023-12-31', label: '2021–2023 годы' }]);
    expect(dues('2021-2023 годы', 2023, 'due')).toEqual(['2021-01-01..2023-12-31']);
    expect(dues('3 квартал 2022', 2022)).toEqual(['2022-07-01..2022-09-30']);
  });

  it('«…2021 года, ежегодно»: yearly since that year', () => {
    expect(rule('Август 2022 года, ежегодно')).toMatchObject({ kind: 'yearly_months', months: [8], sinceYear: 2022 });
    expect(dues('Август 2022 года, ежегодно', 2021)).toEqual([]);
    expect(dues('Август 2022 года, ежегодно', 2025)).toEqual(['2025-08-01..2025-08-31']);
    expect(dues('Июнь - август 2022 года, ежегодно', 2023)).toEqual(['2023-06-01..2023-08-31']);
    expect(dues('Сентябрь - октябрь 2021 года, ежегодно', 2021)).toEqual(['2021-09-01..2021-10-31']);
    expect(dues('Сентябрь, декабрь 2021 года, ежегодно', 2022)).toEqual(['2022-09-01..2022-09-30', '2022-12-01..2022-12-31']);
    expect(dues('Май 2021 года, ежегодно', 2020)).toEqual([]);
  });

  it('«ежемесячно», «до 1 сентября», «август», «Ежегодно, в срок до 10 августа»', () => {
    const monthly = occurrences(rule('Ежемесячно'), 2024);
    expect(monthly).toHaveLength(12);
    expect(monthly[1]).toEqual({ start: '2024-02-01', due: '2024-02-29', label: 'февраль 2024 года' });
    expect(occurrences(rule('ежемесячно'), 2023)[1]!.due).toBe('2023-02-28');
    expect(occurrences(rule('ежемесячно до 5 числа следующего месяца'), 2022).at(-1)).toEqual({
      start: '2022-12-01',
      due: '2023-01-05',
      label: 'декабрь 2022 года',
    });
    expect(occurrences(rule('до 1 сентября'), 2023)).toEqual([{ start: '2023-09-01', due: '2023-09-01', label: 'до 01.09.2023' }]);
    expect(rule('август')).toMatchObject({ kind: 'yearly_months', months: [8], note: 'Год не указан — срок считается ежегодным' });
    expect(dues('Ежегодно, в срок до 10 августа', 2023)).toEqual(['2023-08-10..2023-08-10']);
    expect(dues('до 1 сентября 2023 года', 2023)).toEqual(['2023-09-01..2023-09-01']);
    expect(rule('ежегодно, до 15 августа')).toEqual({ kind: 'yearly_date', date: { month: 8, day: 15 }, text: 'ежегодно, до 15 августа' });
    expect(rule('до 15 августа')).toMatchObject({ note: 'Год не указан — срок считается ежегодным' });
    expect(rule('до 30.06')).toMatchObject({ kind: 'yearly_date', date: { month: 6, day: 30 } });
    expect(rule('ежегодно до 30.06.2023')).toMatchObject({ kind: 'yearly_date', date: { month: 6, day: 30 }, sinceYear: 2023 });
    expect(dues('ежегодно до 30.06.2023', 2022)).toEqual([]);
    expect(dues('ежегодно до 30.06.2023', 2024)).toEqual(['2024-06-30..2024-06-30']);
    expect(parseDeadline('до 31.06').ok).toBe(false);
  });

  it('«два раза в год: январь, май», bare «ежеквартально», «ежеполугодно»', () => {
    expect(rule('два раза в год: январь, май')).toMatchObject({ kind: 'yearly_months', months: [1, 5] });
    expect(rule('два раза в год: январь, май')).not.toHaveProperty('note');
    expect(dues('ежеквартально', 2023)).toEqual([
      '2023-01-01..2023-03-31',
      '2023-04-01..2023-06-30',
      '2023-07-01..2023-09-30',
      '2023-10-01..2023-12-31',
    ]);
    expect(occurrences(rule('ежеполугодно'), 2023).map((o) => o.label)).toEqual(['1 полугодие 2023 года', '2 полугодие 2023 года']);
  });

  it('no-deadline phrasings are unscheduled rules without occurrences', () => {
    const cases: [string, string][] = [
      ['по мере необходимости', 'as_needed'],
      ['На постоянной основе по мере появления информации', 'as_needed'],
      ['На постоянной основе (актуализация данных)', 'continuous'],
      ['В соответствии с графиком проведения МСИ', 'external_schedule'],
      ['В соответствии с планом-графиком курсовой подготовки', 'external_schedule'],
      ['Ежегодно в соответствии с графиками проведения мероприятий', 'external_schedule'],
      ['Ежегодно в соответствии со сроками проведения мероприятий', 'external_schedule'],
    ];
    for (const [text, reason] of cases) {
      expect(rule(text)).toEqual({ kind: 'unscheduled', reason, text });
      expect(occurrences(rule(text), 2023)).toEqual([]);
    }
  });

  it('leap years: 29 February exists only in leap years; yearly 29 Feb falls on 28 Feb otherwise', () => {
    expect(dues('до 29.02.2024', 2024)).toEqual(['2024-02-29..2024-02-29']);
    expect(parseDeadline('29.02.2023')).toMatchObject({ ok: false, error: expect.stringContaining('«29.02.2023»') });
    expect(dues('до 29 февраля', 2024)).toEqual(['2024-02-29..2024-02-29']);
    expect(dues('до 29 февраля', 2023)).toEqual(['2023-02-28..2023-02-28']);
    expect(dues('январь-февраль', 2024)).toEqual(['2024-01-01..2024-02-29']);
    expect(dues('январь-февраль', 2100)).toEqual(['2100-01-01..2100-02-28']);
  });

  it('unparseable text is an error value naming the text', () => {
    expect(parseDeadline('когда-нибудь потом')).toEqual({
      ok: false,
      error: expect.stringMatching(/^Не удалось распознать срок «когда-нибудь потом»: непонятное слово «когда»\./),
    });
    for (const bad of ['', 'до августа', 'ежеквартально в пятницу', '31.04.2023', '30.06.2023 - 01.06.2023', 'январь-февраль, май-июнь']) {
      const r = parseDeadline(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toContain(`«${bad.trim()}»`);
    }
  });
});

describe('every deadline cell of seed 001 parses', () => {
  // The «Сроки» column of all seven road maps, verbatim, with the rule kind it must give.
  const cells: [string, DeadlineRule['kind']][] = [
    ['Июнь-август ежегодно', 'yearly_window'],
    ['Сентябрь - октябрь ежегодно', 'yearly_window'],
    ['Август - сентябрь ежегодно', 'yearly_window'],
    ['В соответствии с графиком проведения МСИ', 'unscheduled'],
    ['В соответствии с графиком проведения ВПР', 'unscheduled'],
    ['В соответствии с графиком проведения исследования PISA', 'unscheduled'],
    ['Сентябрь ежегодно', 'yearly_months'],
    ['В соответствии с планом-графиком курсовой подготовки', 'unscheduled'],
    ['Сентябрь – октябрь 2021', 'fixed'],
    ['Сентябрь – октябрь', 'yearly_window'],
    ['На постоянной основе (актуализация данных)', 'unscheduled'],
    ['На постоянной основе по мере появления информации', 'unscheduled'],
    ['июль 2021', 'fixed'],
    ['Ежегодно январь, май', 'yearly_months'],
    ['Ежегодно февраль, июнь', 'yearly_months'],
    ['Ежегодно март, октябрь', 'yearly_months'],
    ['Ежегодно июль-август', 'yearly_window'],
    ['Октябрь 2021', 'fixed'],
    ['Ежегодно в соответствии с графиками проведения мероприятий', 'unscheduled'],
    ['Ежегодно в соответствии со сроками проведения мероприятий', 'unscheduled'],
    ['Ежемесячно', 'periodic'],
    ['Ежегодно январь', 'yearly_months'],
    ['ежеквартально (до 15 числа месяца, следующего за отчетным периодом)', 'periodic'],
    ['Ежегодно декабрь май', 'yearly_months'],
    ['Ежегодно октябрь', 'yearly_months'],
    ['Ежегодно III квартал', 'yearly_window'],
    ['Июнь 2021', 'fixed'],
    ['сентябрь 2021', 'fixed'],
    ['Октябрь 2021 - июль 2022', 'fixed'],
    ['Июль – август 2022', 'fixed'],
    ['Август – сентябрь 2022', 'fixed'],
    ['2022', 'fixed'],
    ['2021-2023 годы', 'fixed'],
    ['Август 2022 года, ежегодно', 'yearly_months'],
    ['Июнь - август 2022 года, ежегодно', 'yearly_window'],
    ['Сентябрь - октябрь 2021 года, ежегодно', 'yearly_window'],
    ['Сентябрь, декабрь 2021 года, ежегодно', 'yearly_months'],
    ['Май 2021 года, ежегодно', 'yearly_months'],
    ['июнь 2021', 'fixed'],
    ['ежегодно январь, май', 'yearly_months'],
    ['ежегодно февраль, июнь', 'yearly_months'],
    ['ежегодно июль-август', 'yearly_window'],
    ['ежегодно сентябрь', 'yearly_months'],
    ['Июнь-Август ежегодно', 'yearly_window'],
    ['Ежегодно ноябрь', 'yearly_months'],
    ['Ежегодно, февраль, май', 'yearly_months'],
    ['Ежегодно июнь - июль', 'yearly_window'],
    ['два раза в год: январь, май', 'yearly_months'],
    ['Ежегодно, в срок до 10 августа', 'yearly_date'],
    ['ежегодно, до 15 августа', 'yearly_date'],
  ];
  it.each(cells)('«%s» → %s', (text, kind) => {
    expect(rule(text).kind).toBe(kind);
  });
});

describe('status', () => {
  const occ = { due: '2023-05-31' };
  it('done, done late, overdue, due soon within 14 days, planned', () => {
    expect(status(occ, '2023-06-10', '2023-05-30')).toBe('done');
    expect(status(occ, '2023-06-10', '2023-05-31')).toBe('done');
    expect(status(occ, '2023-06-10', '2023-06-01')).toBe('done_late');
    expect(status(occ, '2023-06-01')).toBe('overdue');
    expect(status(occ, '2023-05-31')).toBe('due_soon');
    expect(status(occ, '2023-05-17')).toBe('due_soon');
    expect(status(occ, '2023-05-16')).toBe('planned');
    expect(status(occ, '2023-05-16', null, { soonDays: 30 })).toBe('due_soon');
    expect(status({ due: '2023-01-05' }, '2022-12-25')).toBe('due_soon'); // across New Year
    expect(STATUS_LABELS.overdue).toBe('просрочено');
  });
});

const monthDay = fc.integer({ min: 1, max: 12 }).chain((month) =>
  fc.integer({ min: 1, max: [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]! }).map((day) => ({ month, day })),
);
const isoDay = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2040, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const ruleArb: fc.Arbitrary<DeadlineRule> = fc.oneof(
  fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 12 }).map((months) => ({ kind: 'yearly_months' as const, months, text: '' })),
  fc.record({ from: monthDay, to: monthDay }).map((r) => ({ kind: 'yearly_window' as const, ...r, text: '' })),
  monthDay.map((date) => ({ kind: 'yearly_date' as const, date, text: '' })),
  fc
    .record({
      every: fc.constantFrom('month' as const, 'quarter' as const, 'half_year' as const),
      dueDay: fc.option(fc.integer({ min: 1, max: 31 }), { nil: null }),
      dueMonthOffset: fc.integer({ min: 0, max: 12 }),
    })
    .map((r) => ({ kind: 'periodic' as const, ...r, text: '' })),
  fc.array(fc.tuple(isoDay, isoDay), { minLength: 1, maxLength: 4 }).map((pairs) => ({
    kind: 'fixed' as const,
    items: pairs.map(([a, b]) => (a <= b ? { start: a, due: b } : { start: b, due: a })),
    text: '',
  })),
);

describe('property: occurrences', () => {
  it('are sorted, due ≥ start, inside the asked year, and agree between "period" and "due" listings', () => {
    fc.assert(
      fc.property(ruleArb, fc.integer({ min: 2001, max: 2039 }), (r, year) => {
        expect(deadlineRuleSchema.safeParse(r).success).toBe(true);
        for (const by of ['period', 'due'] as const) {
          const occ = occurrences(r, year, { by });
          for (let i = 0; i < occ.length; i++) {
            const o = occ[i]!;
            expect(o.due >= o.start).toBe(true);
            expect(Number((by === 'period' ? o.start : o.due).slice(0, 4))).toBe(year);
            if (i > 0) expect(occ[i - 1]!.due <= o.due).toBe(true);
          }
        }
        // Every occurrence listed by period in `year` shows up in the due-year listing of its due date.
        for (const o of occurrences(r, year)) {
          expect(occurrences(r, Number(o.due.slice(0, 4)), { by: 'due' })).toContainEqual(o);
        }
      }),
    );
  });

  it('over a span of years both listings contain the same occurrences for recurring rules', () => {
    fc.assert(
      fc.property(ruleArb.filter((r) => r.kind !== 'fixed'), (r) => {
        const byPeriod = occurrencesBetween(r, 2010, 2030).filter((o) => o.due <= '2030-12-31');
        const byDue = occurrencesBetween(r, 2010, 2030, { by: 'due' }).filter((o) => o.start >= '2010-01-01');
        const key = (o: { start: string; due: string; label: string }) => `${o.start}|${o.due}|${o.label}`;
        expect(byPeriod.map(key).sort()).toEqual(byDue.map(key).sort());
      }),
      { numRuns: 50 },
    );
  });
});
