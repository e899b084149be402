/** Validation of an import, row by row: the key cell names an organisation of the campaign (once), every mapped cell
 * parses by its input's definition (the same `parseCell` the methodology engine uses for data files, then the form's
 * `parseFieldValue`), evidence links are http(s). Errors name the file row and column in Russian. Nothing is
 * written here: the result is the list of prepared rows, or the errors. Pure. */
import { parseCell, type TableRow } from '../methodology/records.ts';
import type { InputDef } from '../methodology/schema.ts';
import { parseEvidenceUrl, parseFieldValue, type FieldValue, type FormField } from '../rules/check.ts';
import { OrgIndex, normaliseName, type Candidate, type OrgRef } from './match.ts';
import type { ImportCellError, ImportSettings, NameIssue } from './schema.ts';

export interface PreparedValue {
  input: string;
  value: FieldValue;
  evidenceUrl: string | null;
}

export interface PreparedRow {
  line: number;
  organisationId: string;
  values: PreparedValue[];
}

export interface SettingsProblem {
  path: string;
  message: string;
}

export function cellErrorText(line: number, column: string | null, message: string): string {
  return column === null ? `Строка ${line}: ${message}` : `Строка ${line}, столбец «${column}»: ${message}`;
}

function cellError(line: number, column: string | null, message: string): ImportCellError {
  return { line, column, message, text: cellErrorText(line, column, message) };
}

/** Checks the settings against the header and the form before any row is read. */
export function checkSettings(settings: ImportSettings, header: readonly string[], fields: readonly FormField[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const have = new Set(header.map((h) => h.trim()));
  const byName = new Map(fields.map((f) => [f.name, f]));
  if (!have.has(settings.match.column.trim())) problems.push({ path: 'match.column', message: `В файле нет столбца «${settings.match.column}»` });
  const targets = new Map<string, string>();
  for (const [column, target] of Object.entries(settings.columns)) {
    if (!have.has(column.trim())) problems.push({ path: `columns.${column}`, message: `В файле нет столбца «${column}»` });
    if (column.trim() === settings.match.column.trim()) problems.push({ path: `columns.${column}`, message: `Столбец «${column}» уже используется для сопоставления организаций` });
    const [input, evidence] = target.split('#');
    const field = byName.get(input ?? '');
    if (!field) problems.push({ path: `columns.${column}`, message: `В форме нет поля «${input}»` });
    else if (evidence && !field.evidence) problems.push({ path: `columns.${column}`, message: `У поля «${field.title}» нет ссылки на подтверждение` });
    const prev = targets.get(target);
    if (prev !== undefined) problems.push({ path: `columns.${column}`, message: `Поле «${field?.title ?? target}» уже сопоставлено со столбцом «${prev}»` });
    targets.set(target, column);
  }
  if (targets.size === 0) problems.push({ path: 'columns', message: 'Сопоставьте хотя бы один столбец файла с полем формы' });
  return problems;
}

export interface ValidationResult {
  rows: PreparedRow[];
  /** The first `maxErrors` errors in file order. */
  errors: ImportCellError[];
  errorCount: number;
  issues: NameIssue[];
  /** Lines not imported because the analyst chose to skip their organisation name. */
  skipped: number[];
  blank: number;
}

const LOCK_MESSAGES = {
  submitted: 'форма отправлена на проверку — импорт в неё невозможен, пока её не вернут на доработку',
  accepted: 'форма принята — изменения невозможны',
} as const;

/** Validates rows one at a time (so a service can yield between chunks and report progress). */
export class ImportValidator {
  private readonly index: OrgIndex;
  private readonly col: Map<string, number>;
  private readonly mapped: { column: string; index: number; field: FormField; def: InputDef; evidence: boolean }[];
  private readonly keyIndex: number;
  private readonly seen = new Map<string, number>();
  private readonly issues = new Map<string, NameIssue>();
  private readonly out: ValidationResult = { rows: [], errors: [], errorCount: 0, issues: [], skipped: [], blank: 0 };

  constructor(
    private readonly settings: ImportSettings,
    header: readonly string[],
    fields: readonly FormField[],
    inputs: Readonly<Record<string, InputDef>>,
    organisations: readonly OrgRef[],
    private readonly maxErrors = 1000,
  ) {
    this.index = new OrgIndex(organisations);
    this.col = new Map();
    header.forEach((h, i) => {
      if (!this.col.has(h.trim())) this.col.set(h.trim(), i);
    });
    this.keyIndex = this.col.get(settings.match.column.trim()) ?? -1;
    const byName = new Map(fields.map((f) => [f.name, f]));
    this.mapped = [];
    for (const [column, target] of Object.entries(settings.columns)) {
      const [input = '', ev] = target.split('#');
      const field = byName.get(input);
      const def = inputs[input];
      const i = this.col.get(column.trim());
      if (field && def && i !== undefined) this.mapped.push({ column: column.trim(), index: i, field, def: { ...def, required: false }, evidence: ev === 'evidence' });
    }
  }

  /** Errors of one row (also recorded in the result). */
  row(row: TableRow): ImportCellError[] {
    const errs: ImportCellError[] = [];
    const fail = (column: string | null, message: string) => errs.push(cellError(row.line, column, message));
    const keyText = (row.cells[this.keyIndex] ?? '').trim();
    const anyValue = this.mapped.some((m) => (row.cells[m.index] ?? '').trim() !== '');
    if (keyText === '' && !anyValue) {
      this.out.blank++;
      return errs;
    }
    const keyColumn = this.settings.match.column.trim();
    let org: OrgRef | null = null;
    let skip = false;
    if (keyText === '') fail(keyColumn, 'пусто — не указано, к какой организации относится строка');
    else {
      const confirmed = this.settings.match.mode === 'name' ? this.settings.confirmations?.[keyText] : undefined;
      if (confirmed === null) skip = true;
      else if (confirmed !== undefined) {
        org = this.index.get(confirmed) ?? null;
        if (!org) fail(keyColumn, `«${keyText}» — выбранная организация не участвует в мониторинге`);
      } else {
        const m = this.index.match(this.settings.match.mode, keyText);
        if (m.kind === 'ok') org = m.org;
        else if (m.kind === 'invalid' || m.kind === 'unknown') fail(keyColumn, m.message);
        else {
          this.noteIssue(keyText, row.line, m.kind, m.candidates);
          fail(
            keyColumn,
            m.kind === 'unmatched'
              ? `«${keyText}» — организация не найдена: выберите её или пропустите строки с этим наименованием`
              : `«${keyText}» — наименование распознано неточно: подтвердите организацию`,
          );
        }
      }
    }
    if (skip) {
      this.out.skipped.push(row.line);
      return errs;
    }
    if (org) {
      const first = this.seen.get(org.id);
      if (first !== undefined) fail(keyColumn, `организация «${org.shortName}» уже указана в строке ${first}`);
      else this.seen.set(org.id, row.line);
      if (org.locked) fail(keyColumn, `«${org.shortName}»: ${LOCK_MESSAGES[org.locked]}`);
    }
    const values = new Map<string, PreparedValue>();
    for (const m of this.mapped) {
      const text = (row.cells[m.index] ?? '').trim();
      if (text === '') continue;
      const v = values.get(m.field.name) ?? { input: m.field.name, value: null, evidenceUrl: null };
      if (m.evidence) {
        const url = parseEvidenceUrl(text);
        if (!url.ok) fail(m.column, `«${text}» — ${lower(url.message)}`);
        else v.evidenceUrl = url.value;
      } else {
        const parsed = parseCell(text, m.def);
        if (!parsed.ok) {
          fail(m.column, parsed.message);
          continue;
        }
        const checked = parseFieldValue(m.field, parsed.value);
        if (!checked.ok) {
          fail(m.column, `«${text}» — ${lower(checked.message)}`);
          continue;
        }
        v.value = checked.value;
      }
      values.set(m.field.name, v);
    }
    if (errs.length) {
      this.out.errorCount += errs.length;
      for (const e of errs) if (this.out.errors.length < this.maxErrors) this.out.errors.push(e);
    } else if (org && values.size > 0) {
      this.out.rows.push({ line: row.line, organisationId: org.id, values: [...values.values()] });
    }
    return errs;
  }

  private noteIssue(name: string, line: number, kind: NameIssue['kind'], candidates: Candidate[]): void {
    const key = normaliseName(name) + '\u0000' + name;
    const existing = this.issues.get(key);
    if (existing) {
      if (existing.lines.length < 20) existing.lines.push(line);
      return;
    }
    this.issues.set(key, {
      name,
      lines: [line],
      kind,
      candidates: candidates.map((c) => ({ id: c.org.id, no: c.org.no, shortName: c.org.shortName, fullName: c.org.fullName, score: c.score })),
    });
  }

  result(): ValidationResult {
    return { ...this.out, issues: [...this.issues.values()] };
  }
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
