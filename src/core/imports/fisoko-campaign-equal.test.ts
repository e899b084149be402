/** `prepareFisOkoImport` restructured for speed (issue 22 at scale: columns, dimension readers and value columns set up
 * once per table, a dimension text and a repeated comparison cell read once, keys of dimension values built once per
 * distinct set) gives exactly what the straightforward version gave — `reference` below is that version, as it was
 * before — on random uploads: schools by login, ИНН, name, fuzzy or unknown, confirmations (an organisation, a skip, a
 * non-participant), locked forms, subjects needing an alias or empty, unreadable numbers, a school twice in one
 * table, the same work in two files, ГИА tables with and without their exam. Results compared as JSON (values, order
 * of rows, errors, issues and offers). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { datasetDimensions, readDimensionValue } from '../methodology/dimensions.ts';
import { detectDataset, parseCell } from '../methodology/records.ts';
import { MethodologySchema, type DatasetDef, type DimensionDef, type Methodology } from '../methodology/schema.ts';
import { dimensionAliasProblems, errorView, prepareFisOkoImport, reportTitle, type FisOkoErrorView, suggestDimensionValue, type FisOkoCampaignResult, type FisOkoImportSettings, type FisOkoPreview, type FisOkoValueRow } from './fisoko-campaign.ts';
import { FISOKO_COLUMNS, fisOkoTable } from './fisoko-table.ts';
import type { FisOkoError, FisOkoReport, GiaReport, VprJournalReport, VprMarksReport } from './fisoko-types.ts';
import { normaliseInn, OrgIndex, type OrgRef } from './match.ts';
import type { NameIssue } from './schema.ts';

const m = MethodologySchema.parse(parse(readFileSync(new URL('../../../library/directions/preparation-2021.2.yaml', import.meta.url), 'utf8')));

// ——— the version before, unchanged but for these helpers it used from its module ———
function withAliases(def: DimensionDef, extra: Record<string, string> | undefined): DimensionDef {
  return extra ? { ...def, aliases: { ...(def.aliases ?? {}), ...extra } } : def;
}
interface School { name: string; login: string | null; inn: string | null; places: { file: string; line: number }[]; tables: number }
const schoolKey = (login: string | null, name: string) => (login ? `(${login}) ${name}` : name);
const where = (file: string, sheet: string | null | undefined) => (sheet ? `${file}, лист «${sheet}»` : file);
function loginIndex(orgs: readonly OrgRef[]): Map<string, OrgRef> {
  const out = new Map<string, OrgRef>();
  for (const o of orgs) if (o.fisokoLogin) out.set(o.fisokoLogin.toLowerCase(), o);
  return out;
}
type How = FisOkoCampaignResult['schools'][number]['how'];

function reference(m: Methodology, reports: readonly FisOkoReport[], readErrors: readonly FisOkoError[], participants: readonly OrgRef[], settings: FisOkoImportSettings): FisOkoCampaignResult {
  const errors: FisOkoErrorView[] = readErrors.map(errorView);
  const addError = (file: string, sheet: string | null | undefined, line: number | null, column: string | null, message: string) =>
    errors.push(errorView({ file, ...(sheet ? { sheet } : {}), line, column, message }));
  const aliases = settings.aliases ?? {};
  for (const p of dimensionAliasProblems(m, aliases)) addError('—', null, null, null, p.message);
  const index = new OrgIndex(participants);
  const byLogin = loginIndex(participants);
  const schools = new Map<string, School>();
  const offers = new Map<string, FisOkoPreview['aliasOffers'][number]>();
  const pending: { key: string; file: string; sheet: string | null; line: number; dimensions: Record<string, string>; values: FisOkoValueRow['values']; table: string }[] = [];

  for (const report of reports) {
    const bridged = fisOkoTable(report);
    if (!bridged.ok) {
      addError(report.file, report.sheet, bridged.error.line, bridged.error.column, bridged.error.message);
      continue;
    }
    const t = bridged.table;
    const detected = detectDataset(m, t.header);
    if (!detected.ok) {
      addError(report.file, report.sheet, null, null, `таблица «${reportTitle(report)}» не подходит к методике «${m.id}»: ${detected.message}`);
      continue;
    }
    const ds = (m.datasets ?? {})[detected.id] as DatasetDef;
    const dims = datasetDimensions(m, ds);
    // Column positions by name, looked up once per table (not per cell: 3 000 schools × 48 works made it a hot path).
    const positions = new Map<string, number>();
    t.header.forEach((h, i) => {
      const k = h.trim().toLowerCase();
      if (!positions.has(k)) positions.set(k, i);
    });
    const col = (name: string) => positions.get(name.trim().toLowerCase()) ?? -1;
    const nameCol = col(FISOKO_COLUMNS.organisation);
    const loginCol = col(FISOKO_COLUMNS.login);
    const innCol = col('ИНН');
    const tableId = `${report.file}\u0000${report.sheet ?? ''}\u0000${detected.id}`;
    for (const row of t.rows) {
      const cell = (i: number) => (i < 0 ? '' : (row.cells[i] ?? '').trim());
      const login = cell(loginCol) || null;
      const name = cell(nameCol);
      const key = schoolKey(login, name);
      const school = schools.get(key) ?? { name, login, inn: normaliseInn(cell(innCol)), places: [], tables: 0 };
      school.places.push({ file: report.file, line: row.line });
      schools.set(key, school);
      const dimensions: Record<string, string> = {};
      let bad = false;
      for (const d of dims) {
        const def = m.dimensions?.[d] as DimensionDef;
        const column = ds.dimensions?.[d] as string;
        const text = cell(col(column));
        const read = readDimensionValue(withAliases(def, aliases[d]), text);
        if (read.ok) dimensions[d] = read.value;
        else if (text === '') {
          addError(report.file, report.sheet, row.line, column, read.message);
          bad = true;
        } else {
          const k = `${d}\u0000${text}`;
          const o = offers.get(k) ?? { field: d, column: def.title, value: text, allowed: def.values, rows: 0, suggestion: suggestDimensionValue(def, text) };
          o.rows++;
          offers.set(k, o);
          bad = true;
        }
      }
      const values: FisOkoValueRow['values'] = [];
      for (const [input, column] of Object.entries(ds.columns)) {
        const def = m.inputs[input];
        const i = col(column);
        if (!def || i < 0) continue;
        const v = parseCell(cell(i), def);
        if (!v.ok) {
          addError(report.file, report.sheet, row.line, column, v.message);
          bad = true;
        } else if (v.value !== null) values.push({ input, value: v.value });
      }
      if (!bad) pending.push({ key, file: report.file, sheet: report.sheet ?? null, line: row.line, dimensions, values, table: tableId });
    }
    for (const key of new Set(t.rows.map((r) => schoolKey((loginCol < 0 ? '' : (r.cells[loginCol] ?? '').trim()) || null, (r.cells[nameCol] ?? '').trim())))) {
      const s = schools.get(key);
      if (s) s.tables++;
    }
  }

  // Schools → organisations.
  const confirmations = settings.confirmations ?? {};
  const resolved = new Map<string, { org: OrgRef | null; how: How }>();
  const issues: NameIssue[] = [];
  for (const [key, s] of schools) {
    if (key in confirmations) {
      const id = confirmations[key];
      const org = id ? index.get(id) : undefined;
      if (id && !org) addError(s.places[0]?.file ?? '—', null, s.places[0]?.line ?? null, FISOKO_COLUMNS.organisation, `«${key}»: выбранная организация не участвует в мониторинге`);
      resolved.set(key, { org: org ?? null, how: id ? 'confirmed' : 'skipped' });
      continue;
    }
    const byL = s.login ? byLogin.get(s.login.toLowerCase()) : undefined;
    if (byL) {
      resolved.set(key, { org: byL, how: 'login' });
      continue;
    }
    const byInn = s.inn ? index.match('inn', s.inn) : null;
    if (byInn?.kind === 'ok') {
      resolved.set(key, { org: byInn.org, how: 'inn' });
      continue;
    }
    const byName = index.match('name', s.name);
    if (byName.kind === 'ok') {
      resolved.set(key, { org: byName.org, how: 'name' });
      continue;
    }
    resolved.set(key, { org: null, how: 'unresolved' });
    const candidates = 'candidates' in byName ? byName.candidates : [];
    issues.push({
      name: key,
      lines: [...new Set(s.places.map((p) => p.line))].sort((a, b) => a - b),
      kind: candidates.length === 0 ? 'unmatched' : 'kind' in byName && byName.kind === 'ambiguous' ? 'ambiguous' : 'fuzzy',
      candidates: candidates.map((c) => ({ id: c.org.id, no: c.org.no, shortName: c.org.shortName, fullName: c.org.fullName, score: c.score })),
    });
  }

  // Rows of matched schools; a school twice in one table, or two schools on one organisation × dimension values, is an error.
  const rows: FisOkoValueRow[] = [];
  const seen = new Map<string, string>();
  const lockReported = new Set<string>();
  for (const p of pending) {
    const r = resolved.get(p.key);
    if (!r?.org) continue;
    if (r.org.locked) {
      if (!lockReported.has(r.org.id)) addError(p.file, p.sheet, p.line, FISOKO_COLUMNS.organisation, `«${r.org.shortName}»: форма организации ${r.org.locked === 'accepted' ? 'принята' : 'отправлена на проверку'} — импорт её не изменит; верните форму на доработку`);
      lockReported.add(r.org.id);
      continue;
    }
    const at = `${where(p.file, p.sheet)}, строка ${p.line}`;
    const k = `${p.table}\u0000${r.org.id}\u0000${JSON.stringify(p.dimensions)}`;
    const before = seen.get(k);
    if (before) {
      addError(p.file, p.sheet, p.line, FISOKO_COLUMNS.organisation, `«${r.org.shortName}» уже есть в этой таблице (${before}) с теми же значениями измерений`);
      continue;
    }
    seen.set(k, at);
    if (p.values.length) rows.push({ organisationId: r.org.id, dimensions: p.dimensions, file: p.file, sheet: p.sheet, line: p.line, ref: at, values: p.values });
  }
  // The same input of one organisation × dimension values from two files.
  const inputAt = new Map<string, string>();
  for (const row of rows) {
    const at = `${row.organisationId}\u0000${JSON.stringify(row.dimensions)}\u0000`;
    for (const v of row.values) {
      const k = `${at}${v.input}`;
      const before = inputAt.get(k);
      if (before) {
        addError(row.file, row.sheet, row.line, m.inputs[v.input]?.title ?? v.input, `значение уже дано в ${before}: один и тот же показатель организации по тем же предмету и классу в двух файлах`);
        break;
      }
      inputAt.set(k, row.ref);
    }
  }

  const participantView = (o: OrgRef) => ({ id: o.id, no: o.no, shortName: o.shortName, fullName: o.fullName });
  const schoolList = [...schools].map(([key, s]) => {
    const r = resolved.get(key);
    return { name: key, login: s.login, how: r?.how ?? 'unresolved', organisation: r?.org ? participantView(r.org) : null, tables: s.tables };
  });
  const aliasOffers = [...offers.values()];
  return {
    schools: schoolList,
    issues,
    aliasOffers,
    errorCount: errors.length,
    errors,
    values: rows.reduce((s, r) => s + r.values.length, 0),
    organisations: new Set(rows.map((r) => r.organisationId)).size,
    ok: errors.length === 0 && issues.length === 0 && aliasOffers.length === 0,
    rows,
  };
}

// ——— random uploads ———
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function upload(seed: number): { reports: FisOkoReport[]; readErrors: FisOkoError[]; participants: OrgRef[]; settings: FisOkoImportSettings } {
  const rnd = lcg(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const orgCount = 3 + Math.floor(rnd() * 12);
  const participants: OrgRef[] = Array.from({ length: orgCount }, (_, k) => ({
    id: uuid(k + 1), no: k + 1, inn: rnd() < 0.3 ? String(1000000000 + k) : null, shortName: `СОШ №${k + 1}`, fullName: `МБОУ «Средняя школа № ${k + 1}»`,
    fisokoLogin: rnd() < 0.6 ? `sch${100 + k}` : null, locked: rnd() < 0.08 ? pick(['submitted', 'accepted'] as const) : null,
  }));
  // Schools as printed: a participant by login, by exact or changed name, a stranger; sometimes twice in a table.
  const printed = () => {
    const k = Math.floor(rnd() * (orgCount + 3));
    const login = rnd() < 0.7 ? `sch${100 + k}` : null;
    const name = k >= orgCount ? `МБОУ «Неизвестная школа № ${k}»` : pick([`МБОУ «Средняя школа № ${k + 1}»`, `МБОУ Средняя школа ${k + 1}`, `СОШ №${k + 1}`]);
    return { login, name, inn: rnd() < 0.3 ? String(1000000000 + k) : null };
  };
  const subject = () => pick(['Математика', 'Русский язык', 'Математика', 'Русский язык', 'Матем.', 'Рус. яз.', 'История', 'Физ-ра', '']);
  const share = () => (rnd() < 0.004 ? Number.NaN : Math.round(rnd() * 10000) / 100);
  const files = ['статистика.xlsx', 'журнал.xlsx', 'гиа.csv'];
  const reports: FisOkoReport[] = [];
  const count = 1 + Math.floor(rnd() * 6);
  for (let n = 0; n < count; n++) {
    const file = pick(files);
    const sheet = rnd() < 0.5 ? `Лист${n}` : undefined;
    const kind = pick(['vpr_marks', 'vpr_journal', 'gia'] as const);
    const head = { year: rnd() < 0.8 ? 2025 : null, grade: pick([4, 5, 7, 11]), subject: subject(), date: null, maxScore: 20 };
    const schools = Array.from({ length: Math.floor(rnd() * 12) }, (_, i) => ({ line: 12 + i, ...printed() }));
    if (kind === 'vpr_marks') {
      const shares = () => ({ 2: share(), 3: share(), 4: share(), 5: share() });
      const r: VprMarksReport = {
        kind, file, ...(sheet ? { sheet } : {}), ...head, skipped: [],
        comparison: { ...(rnd() < 0.8 ? { region: { name: 'Регион', schools: 900, participants: 40000, shares: shares() } } : {}), ...(rnd() < 0.8 ? { municipality: { name: 'МО', schools: 20, participants: 900, shares: shares() } } : {}) },
        schools: schools.map((s) => ({ line: s.line, login: s.login, name: s.name, participants: Math.floor(rnd() * 120), shares: shares() })),
      };
      reports.push(r);
    } else if (kind === 'vpr_journal') {
      const j = () => ({ participants: Math.floor(rnd() * 120), lowered: share(), confirmed: share(), raised: share() });
      const r: VprJournalReport = {
        kind, file, ...(sheet ? { sheet } : {}), ...head, skipped: [],
        comparison: { ...(rnd() < 0.8 ? { region: { name: 'Регион', ...j() } } : {}), ...(rnd() < 0.8 ? { municipality: { name: 'МО', ...j() } } : {}) },
        schools: schools.map((s) => ({ line: s.line, login: s.login, name: s.name, ...j() })),
      };
      reports.push(r);
    } else {
      const r: GiaReport = {
        kind, file, ...(sheet ? { sheet } : {}), exam: pick(['ГИА-9', 'ГИА-11', null] as const), year: head.year, skipped: [],
        rows: schools.map((s) => ({ line: s.line, organisation: s.name, login: s.login, inn: s.inn, subject: subject(), participants: Math.floor(rnd() * 100), meanScore: rnd() < 0.2 ? null : share(), failed: rnd() < 0.2 ? null : Math.floor(rnd() * 5) })),
      };
      reports.push(r);
    }
  }
  const readErrors: FisOkoError[] = rnd() < 0.2 ? [{ file: 'сломанный.xlsx', line: 3, column: null, message: 'файл не прочитан' }] : [];
  const confirmations: Record<string, string | null> = {};
  for (let i = 0; i < 3; i++) if (rnd() < 0.4) { const s = printed(); confirmations[schoolKey(s.login, s.name)] = rnd() < 0.3 ? null : rnd() < 0.2 ? uuid(999) : uuid(1 + Math.floor(rnd() * orgCount)); }
  const aliases: Record<string, Record<string, string>> = rnd() < 0.5 ? { subject: { 'Матем.': 'Математика', ...(rnd() < 0.1 ? { 'Физ-ра': 'Физкультура' } : {}) } } : {};
  return { reports, readErrors, participants, settings: { confirmations, aliases } };
}

describe('prepareFisOkoImport restructured = the version before', () => {
  it('gives the same result on 500 random uploads (every kind of report, school, error and offer occurs)', () => {
    const seen = { ok: 0, errors: 0, issues: 0, offers: 0, rows: 0, locked: 0, twice: 0 };
    for (let seed = 1; seed <= 500; seed++) {
      const u = upload(seed);
      const before = reference(m, u.reports, u.readErrors, u.participants, u.settings);
      const after = prepareFisOkoImport(m, u.reports, u.readErrors, u.participants, u.settings);
      expect(JSON.stringify(after), `seed ${seed}`).toBe(JSON.stringify(before));
      if (before.ok) seen.ok++;
      if (before.errorCount) seen.errors++;
      if (before.issues.length) seen.issues++;
      if (before.aliasOffers.length) seen.offers++;
      seen.rows += before.rows.length;
      if (before.errors.some((e) => /форма организации/.test(e.message))) seen.locked++;
      if (before.errors.some((e) => /уже есть в этой таблице|значение уже дано/.test(e.message))) seen.twice++;
    }
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(5);
  }, 60_000);
});
