/** What «Импорт таблицы критериев» answers, the same for `msoko criteria import --format json` and
 * `POST /api/methodologies/criteria-import`: the parsed table with every band's source text, parsed bounds and place
 * in the file, the rows that could not be read, the lint and the draft (YAML). And the options, one zod schema for
 * the API's form fields (strings, as multipart sends them). */
import { z } from 'zod';
import { DIRECTION_CODES } from '../../core/cycle/roadmap-schema.ts';
import type { CriteriaImport, CriteriaImportOptions } from './criteria-import.ts';

export const DIRECTIONS = DIRECTION_CODES;

const codesField = z
  .string()
  .trim()
  .max(2000)
  .transform((v): string[] | 'all' => (v === 'all' ? 'all' : v.split(/[,;\s]+/).filter(Boolean)));
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Options as text fields (multipart): empty fields are «not given». */
export const criteriaImportFieldsSchema = z.object({
  id: z.preprocess(blankToUndefined, z.string().trim().regex(/^[a-z0-9][a-z0-9._-]*$/, 'id: строчные латинские буквы, цифры, «.», «_», «-»').max(200).optional()),
  version: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  title: z.preprocess(blankToUndefined, z.string().trim().max(500).optional()),
  direction: z.preprocess(blankToUndefined, z.enum(DIRECTIONS, { message: `направление: одно из ${DIRECTIONS.join(', ')}` }).optional()),
  table: z.preprocess(blankToUndefined, z.coerce.number().int('номер таблицы — целое число').min(1, 'номер таблицы, начиная с 1').optional()),
  sheet: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  round: z.preprocess(blankToUndefined, z.coerce.number().int('знаков после запятой — целое от 0 до 6').min(0, 'знаков после запятой — целое от 0 до 6').max(6, 'знаков после запятой — целое от 0 до 6').default(1)),
  capped: z.preprocess(blankToUndefined, codesField.optional()),
  openTop: z.preprocess(blankToUndefined, codesField.optional()),
});
export type CriteriaImportFields = z.infer<typeof criteriaImportFieldsSchema>;

/** The fields as the importer's options (absent fields left out). */
export function importOptions(f: CriteriaImportFields): CriteriaImportOptions {
  const out: CriteriaImportOptions = { round: f.round };
  for (const k of ['id', 'version', 'title', 'direction', 'table', 'sheet', 'capped', 'openTop'] as const) if (f[k] !== undefined) Object.assign(out, { [k]: f[k] });
  return out;
}

/** The import as JSON: every band with its text, bounds and place («таблица 1, строка 7»). */
export function criteriaImportView(x: CriteriaImport) {
  return {
    file: x.file,
    part: x.part,
    ok: x.ok,
    problems: x.problems,
    header: x.table?.header ?? null,
    statedMax: x.table?.statedMax ? { ...x.table.statedMax, where: x.where[x.table.statedMax.line] } : null,
    criteria: x.table?.criteria ?? [],
    indicators: (x.table?.indicators ?? []).map((i) => ({ ...i, where: x.where[i.line], bands: i.bands.map((b) => ({ ...b, where: x.where[b.line] })) })),
    lint: x.lint,
    methodology: x.methodology,
  };
}
export type CriteriaImportView = ReturnType<typeof criteriaImportView>;
