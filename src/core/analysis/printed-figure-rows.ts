/** Rows of printed figures (entered or read from a table) resolved against a campaign: the organisation (a
 * participant, matched by registry number or name as imports match), a row by organisation type («ОО», «Итого»), or
 * the municipality; the indicator by id or code, or an aggregate by id. Every problem is named with its row and
 * column; nothing is returned unless every row resolves (all-or-nothing). Pure. */
import { OrgIndex, type OrgRef } from '../imports/match.ts';
import { normaliseLevelName, parsePrinted } from '../methodology/consistency.ts';
import { LEVEL_NAMES } from '../methodology/schema.ts';
import type { Methodology } from '../methodology/schema.ts';
import type { TableRow } from '../methodology/records.ts';
import { ORG_TYPE_NAMES } from './types.ts';
import type { PrintedScope } from './printed-report.ts';

export interface FigureInput {
  scope: PrintedScope;
  organisationId: string | null;
  group: string | null;
  target: string;
  value: string | null;
  level: string | null;
  /** Where the report printed it («таблица № 3, строка 26»), when known. */
  place: string | null;
}
export interface FigureRow {
  line: number;
  /** By id (entry) or by the text of the organisation cell (a table). */
  organisation: { id: string } | { text: string } | null;
  group: string | null;
  target: string;
  value: string | null;
  level: string | null;
  place?: string | null;
}
export interface FigureError { path: string; message: string }
export type FigureColumn = 'organisation' | 'target' | 'value' | 'level';
/** Where a row's cell is, for the error messages: the path and the Russian prefix («таблица 3, строка 26, столбец 7»). */
export type FigureWhere = (line: number, column: FigureColumn) => { path: string; prefix: string };
export type FigureRowsResult = { ok: true; figures: FigureInput[] } | { ok: false; errors: FigureError[] };

const COLUMNS = {
  organisation: ['организация', 'наименование', 'оо', 'организация тип', 'name', 'organisation', 'organization'],
  target: ['показатель', 'код показателя', 'код', 'indicator', 'агрегат'],
  value: ['значение', 'значение в отчете', 'напечатано', 'value', 'published_value'],
  level: ['уровень', 'уровень в отчете', 'level', 'published_level'],
} as const;
const COLUMN_TITLES = { organisation: 'Организация', target: 'Показатель', value: 'Значение', level: 'Уровень' } as const;
const LEVEL_SET = new Set(Object.values(LEVEL_NAMES));
const MUNICIPAL = new Set(['', 'муниципалитет', 'муниципальное образование', 'район', 'municipality', 'итого по району', 'по району']);

const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/[«»"().,:;/_-]+/g, ' ').replace(/\s+/g, ' ').trim();

/** Row keys of the methodology's tables by organisation type, with the names a document gives them. */
function groupKeys(m: Methodology): Map<string, string> {
  const out = new Map<string, string>();
  for (const ds of Object.values(m.datasets ?? {})) {
    if (ds.unit !== 'organisation_type') continue;
    for (const k of [...(ds.key_values ?? []), ...(ds.total_row ? [ds.total_row] : [])]) {
      out.set(norm(k), k);
      const names = ORG_TYPE_NAMES[k];
      if (names) for (const n of [names.full, names.short]) out.set(norm(n), k);
    }
  }
  return out;
}

/** An indicator by id or code, or an aggregate by id (only a municipal figure may name an aggregate). */
function resolveTarget(m: Methodology, text: string, scope: PrintedScope): { id: string } | { error: string } {
  const t = text.trim();
  if (m.indicators[t]) return { id: t };
  const byCode = Object.entries(m.indicators).find(([, d]) => d.code !== undefined && d.code !== null && String(d.code) === t.replace(/\.$/, ''));
  if (byCode) return { id: byCode[0] };
  if (m.aggregates?.[t]) return scope === 'municipal' ? { id: t } : { error: `«${t}» — показатель района (агрегат), а строка относится к «организации»; оставьте организацию пустой или «Муниципалитет»` };
  return { error: `показателя «${t}» нет в методике «${m.title}»` };
}

/** Reads a table's header: the organisation and indicator columns and at least one of value and level. */
export function figureColumns(header: readonly string[]): { ok: true; at: Record<keyof typeof COLUMNS, number> } | { ok: false; message: string } {
  const names = header.map(norm);
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([k, variants]) => [k, names.findIndex((h) => (variants as readonly string[]).includes(h))])) as Record<keyof typeof COLUMNS, number>;
  const missing = (['organisation', 'target'] as const).filter((k) => at[k] < 0).map((k) => `«${COLUMN_TITLES[k]}»`);
  if (at.value < 0 && at.level < 0) missing.push('«Значение» или «Уровень»');
  if (missing.length) return { ok: false, message: `в заголовке нет столбцов ${missing.join(', ')} (найдены: ${header.map((h) => `«${h}»`).join(', ')})` };
  return { ok: true, at };
}

/** Resolves entered figures (`rows`) or a table's rows (`{header, rows}`). */
export function matchFigureRows(m: Methodology, orgs: readonly OrgRef[], input: readonly FigureRow[] | { header: readonly string[]; rows: readonly TableRow[] }, where: 'figures' | 'file' | FigureWhere): FigureRowsResult {
  let rows: FigureRow[];
  const errors: FigureError[] = [];
  const col = (k: keyof typeof COLUMNS) => COLUMN_TITLES[k];
  let headerNames: Record<keyof typeof COLUMNS, string> = { ...COLUMN_TITLES };
  if (Array.isArray(input)) rows = [...(input as readonly FigureRow[])];
  else {
    const t = input as { header: readonly string[]; rows: readonly TableRow[] };
    const cols = figureColumns(t.header);
    if (!cols.ok) return { ok: false, errors: [{ path: 'file', message: cols.message }] };
    headerNames = Object.fromEntries(Object.entries(cols.at).map(([k, i]) => [k, i >= 0 ? (t.header[i] ?? col(k as keyof typeof COLUMNS)) : col(k as keyof typeof COLUMNS)])) as typeof headerNames;
    const cell = (r: TableRow, i: number) => (i < 0 ? '' : (r.cells[i] ?? '').trim());
    rows = t.rows
      .filter((r) => r.cells.some((c) => (c ?? '').trim() !== ''))
      .map((r) => ({ line: r.line, organisation: { text: cell(r, cols.at.organisation) }, group: null, target: cell(r, cols.at.target), value: cell(r, cols.at.value) || null, level: cell(r, cols.at.level) || null }));
    if (!rows.length) return { ok: false, errors: [{ path: 'file', message: 'в таблице нет строк с показателями' }] };
  }
  const where_ = (line: number, k: keyof typeof COLUMNS) =>
    typeof where === 'function' ? where(line, k)
    : where === 'file' ? { path: `file.${line}.${k}`, prefix: `строка ${line}, столбец «${headerNames[k]}»` } : { path: `figures.${line - 1}.${k === 'organisation' ? 'organisationId' : k}`, prefix: `показатель № ${line}` };
  const index = new OrgIndex(orgs);
  const groups = groupKeys(m);
  const ids = new Set(orgs.map((o) => o.id));
  const figures: FigureInput[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const fail = (k: keyof typeof COLUMNS, message: string) => {
      const w = where_(r.line, k);
      errors.push({ path: w.path, message: `${w.prefix}: ${message}` });
    };
    let scope: PrintedScope = 'municipal';
    let organisationId: string | null = null;
    let group: string | null = r.group === null ? null : (groups.get(norm(r.group)) ?? null);
    if (r.group !== null && group === null) {
      fail('organisation', `«${r.group}» — не строка таблицы по типам организаций (${[...new Set(groups.values())].join(', ')})`);
      continue;
    }
    if (r.organisation && 'id' in r.organisation) {
      if (!ids.has(r.organisation.id)) {
        fail('organisation', 'организация не участвует в мониторинге');
        continue;
      }
      organisationId = r.organisation.id;
    } else if (r.organisation && 'text' in r.organisation && !MUNICIPAL.has(norm(r.organisation.text))) {
      const text = r.organisation.text;
      group = groups.get(norm(text)) ?? null;
      if (group === null) {
        const byName = index.match('name', text);
        const byNo = byName.kind !== 'ok' && /^№?\s*\d+$/.test(text) ? index.match('code', text) : byName;
        if (byNo.kind !== 'ok') {
          const hint = byNo.kind === 'invalid' || byNo.kind === 'unknown' ? byNo.message : byNo.candidates.length ? `не найдена точно; похожие: ${byNo.candidates.slice(0, 3).map((c) => `«${c.org.shortName}»`).join(', ')}` : 'не найдена среди участников мониторинга';
          fail('organisation', `«${text}» — ${hint}`);
          continue;
        }
        organisationId = byNo.org.id;
      }
    }
    if (organisationId !== null && group !== null) {
      fail('organisation', 'укажите либо организацию, либо строку по типу организаций');
      continue;
    }
    scope = organisationId !== null ? 'organisation' : group !== null ? 'group' : 'municipal';
    if (!r.target.trim()) {
      fail('target', 'не указан показатель');
      continue;
    }
    const target = resolveTarget(m, r.target, scope);
    if ('error' in target) {
      fail('target', target.error);
      continue;
    }
    const value = r.value?.trim() || null;
    const level = r.level?.trim() || null;
    if (value === null && level === null) {
      fail('value', 'нет ни значения, ни уровня');
      continue;
    }
    if (value !== null && !parsePrinted(value)) {
      fail('value', `«${value}» — не число (пишите, как напечатано: «5,6», «58,6 %», «86»)`);
      continue;
    }
    if (level !== null && !LEVEL_SET.has(normaliseLevelName(level))) {
      fail('level', `«${level}» — не уровень (${Object.values(LEVEL_NAMES).join(', ')})`);
      continue;
    }
    const key = `${scope}\u0000${organisationId ?? ''}\u0000${group ?? ''}\u0000${target.id}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      fail('target', `этот показатель этой организации уже указан (${typeof where === 'function' ? where(earlier, 'target').prefix : where === 'file' ? `строка ${earlier}` : `показатель № ${earlier}`})`);
      continue;
    }
    seen.set(key, r.line);
    figures.push({ scope, organisationId, group, target: target.id, value, level, place: r.place?.trim() || null });
  }
  return errors.length ? { ok: false, errors } : { ok: true, figures };
}

/** The key of a figure within a report: the latest row per key is in force (migration 0018). */
export function figureKey(f: { scope: string; organisationId: string | null; group: string | null; target: string }): string {
  return `${f.scope}|${f.organisationId ?? ''}|${f.group ?? ''}|${f.target}`;
}
