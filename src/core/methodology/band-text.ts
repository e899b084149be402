/** Band texts as criteria tables print them → explicit bounds. Pure: «от 20% до 25%» → [20; 25], «более 25%» → (25; …),
 * «50–69 %» → [50; 69], «выше среднего (от 5,1 до 7,5)» → level above_average, [5,1; 7,5], «участие»/«неучастие» → a
 * yes/no answer. Bounds are inclusive unless the words say otherwise («более», «свыше», «менее», «не включая»). */
import type { LevelCode } from './schema.ts';

export interface BandBounds {
  from?: number;
  from_exclusive?: true;
  to?: number;
  to_exclusive?: true;
}

export interface BandText extends BandBounds {
  /** A level named by the text («выше среднего …»). */
  level?: LevelCode;
  /** A yes/no criterion: the band applies to «да» (участие, наличие) or «нет» (неучастие, отсутствие). */
  answer?: 'yes' | 'no';
  /** The text speaks of percent («%», «процентов»). */
  percent: boolean;
}

export type BandTextResult = { ok: true; band: BandText } | { ok: false; reason: string };

const NUM = String.raw`-?\d{1,3}(?: \d{3})+(?:[.,]\d+)?|-?\d+(?:[.,]\d+)?`;
const N = `(${NUM})`;

const EXPECTED =
  'ожидается диапазон («от 20% до 25%», «50–69 %»), граница («более 25%», «не менее 5», «до 10 %»), ' +
  'число («0», «100%»), уровень («выше среднего (от 5,1 до 7,5)») или «участие»/«неучастие», «наличие»/«отсутствие»';

const LEVELS: [RegExp, LevelCode][] = [
  [/^выше\s+средн\S*/, 'above_average'],
  [/^ниже\s+средн\S*/, 'below_average'],
  [/^высок(?:ий|ая|ое|ие)/, 'high'],
  [/^средн(?:ий|яя|ее|ие)/, 'average'],
  [/^низк(?:ий|ая|ое|ие)/, 'low'],
];

const YES = /^(?:да|есть|имеется|имеются|участие|участвует|участвуют|участвовал[аи]?|принимал[аи]? участие|принимает участие|принимают участие|наличие(?:\s.*)?)$/;
const NO = /^(?:нет|не имеется|не имеются|отсутствует|отсутствуют|неучастие|не участвует|не участвуют|не участвовал[аи]?|не принимал[аи]? участи[ея]|не принимает участи[ея]|не принимают участи[ея]|отсутствие(?:\s.*)?)$/;

function toNumber(text: string): number {
  return Number(text.replace(/ /g, '').replace(',', '.'));
}

/** Lower-case, one kind of space and dash, no «%» or unit words; `percent` remembers whether «%» was there. */
function normalise(text: string): { s: string; percent: boolean } {
  let s = text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u00a0\u202f\u2007\u2009\t\r\n]+/g, ' ')
    .replace(/[\u2010-\u2015\u2212\ufe63\uff0d]/g, '-')
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=');
  const percent = /%|процент|проц\./.test(s);
  s = s
    .replace(/\s*%/g, ' ')
    .replace(/(?<![а-я])(?:процент(?:ов|а)?|проц\.|балл(?:а|ов)?|чел\.?|человек|шт\.?|ед\.?|единиц|п\.\s?п\.?)(?![а-я])/g, ' ')
    .replace(/\(\s*включительно\s*\)|(?<![а-я]|не )включительно(?![а-я])/g, ' ')
    // Letters spaced out for emphasis, as in seed 004's «с р е д н и й»: joined back into a word.
    .replace(/(?<![а-я])[а-я](?: [а-я]){2,}(?![а-я])/g, (w) => w.replace(/ /g, ''))
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;:,]+$/, '')
    .trim();
  return { s, percent };
}

/** Lower-bound clauses at the start of the text; each returns the bound and the rest of the text. */
const LOWER: [RegExp, boolean][] = [
  [new RegExp(`^(?:от|с) ${N} (?:и|или) (?:выше|более|больше)(?![а-я])`), false],
  [new RegExp(`^${N} (?:и|или) (?:выше|более|больше)(?![а-я])`), false],
  [new RegExp(`^(?:не менее|не меньше|>=) ?${N}`), false],
  [new RegExp(`^(?:от|с) ${N}`), false],
  [new RegExp(`^(?:более|больше|свыше|выше|>) ?${N}`), true],
];
/** Upper-bound clauses at the end of the text. */
const UPPER: [RegExp, boolean][] = [
  [new RegExp(`^${N} (?:и|или) (?:ниже|менее|меньше)$`), false],
  [new RegExp(`^(?:до|по) ${N} ?(?:\\(?не включая(?: ${N})?\\)?|не включительно|исключительно)$`), true],
  [new RegExp(`^(?:не более|не больше|<=|до|по) ?${N}$`), false],
  [new RegExp(`^(?:менее|меньше|ниже|<) ?${N}$`), true],
];

function parseBounds(s: string): BandBounds | null {
  let m = new RegExp(`^${N}$`).exec(s);
  if (m) {
    const v = toNumber(m[1] as string);
    return { from: v, to: v };
  }
  m = new RegExp(`^${N} ?- ?${N}$`).exec(s);
  if (m) return { from: toNumber(m[1] as string), to: toNumber(m[2] as string) };
  m = new RegExp(`^([\\[(]) ?${N} ?(?:;|, ) ?${N} ?([\\])])$`).exec(s);
  if (m) {
    const b: BandBounds = { from: toNumber(m[2] as string), to: toNumber(m[3] as string) };
    if (m[1] === '(') b.from_exclusive = true;
    if (m[4] === ')') b.to_exclusive = true;
    return b;
  }
  const out: BandBounds = {};
  let rest = s;
  for (const [re, exclusive] of LOWER) {
    const lm = re.exec(rest);
    if (!lm) continue;
    out.from = toNumber(lm[1] as string);
    if (exclusive) out.from_exclusive = true;
    rest = rest.slice(lm[0].length).replace(/^(?:,? ?(?:но|и)(?![а-я])|,)/, '').trim();
    break;
  }
  if (rest) {
    let matched = false;
    for (const [re, exclusive] of UPPER) {
      const um = re.exec(rest);
      if (!um) continue;
      out.to = toNumber(um[1] as string);
      if (exclusive) out.to_exclusive = true;
      matched = true;
      break;
    }
    if (!matched) return null;
  }
  return out.from === undefined && out.to === undefined ? null : out;
}

function checkOrder(b: BandBounds, text: string): string | null {
  if (b.from === undefined || b.to === undefined) return null;
  if (b.from > b.to) return `«${text}»: нижняя граница ${String(b.from).replace('.', ',')} больше верхней ${String(b.to).replace('.', ',')}`;
  if (b.from === b.to && (b.from_exclusive || b.to_exclusive)) return `«${text}»: полоса не содержит ни одного значения`;
  return null;
}

/** Reads one band text. A text the parser cannot read gives a Russian reason naming the text. */
export function parseBandText(text: string): BandTextResult {
  const source = text.trim();
  if (!source) return { ok: false, reason: 'условие (индикатор) не указано — ячейка пуста' };
  const { s, percent } = normalise(source);
  if (YES.test(s)) return { ok: true, band: { answer: 'yes', percent } };
  if (NO.test(s)) return { ok: true, band: { answer: 'no', percent } };

  let level: LevelCode | undefined;
  let rest = s;
  for (const [re, code] of LEVELS) {
    const lm = re.exec(rest);
    if (!lm) continue;
    level = code;
    rest = rest.slice(lm[0].length).replace(/^ ?уров\S*/, '').trim();
    break;
  }
  if (level === undefined) {
    // The level may follow the bounds: «от 7,6 до 10 (высокий)», «2,6–5,0 – средний».
    const tail = /^(.*?)(?: ?- ?| ?\(|, ?)((?:выше|ниже) средн\S*|высок\S*|средн\S*|низк\S*)(?: уров\S*)?\)?$/.exec(rest);
    if (tail) {
      const found = LEVELS.find(([re]) => re.test(tail[2] as string));
      if (found) {
        level = found[1];
        rest = (tail[1] as string).trim();
      }
    }
  }
  rest = rest.replace(/^[-:,]\s*/, '').trim();
  if (/^\(.*\)$/.test(rest)) rest = rest.slice(1, -1).trim();
  if (level !== undefined && rest === '') return { ok: true, band: { level, percent } };

  const bounds = parseBounds(rest);
  if (!bounds)
    return {
      ok: false,
      reason: level !== undefined
        ? `«${source}»: уровень распознан, а границы «${rest}» — нет; ${EXPECTED}`
        : `«${source}» не распознано: ${EXPECTED}`,
    };
  const bad = checkOrder(bounds, source);
  if (bad) return { ok: false, reason: bad };
  return { ok: true, band: { ...bounds, ...(level ? { level } : {}), percent } };
}
