/** A printed report given as a file beside a computation over data files (`msoko compute … --printed FILE`, «Расчёт по
 * файлу»): a CSV/XLSX table in the format the campaign's printed-report import reads (Организация, Показатель,
 * Значение, Уровень) or the report's DOCX (its tables read as the campaign's DOCX import reads them, with the guessed
 * mapping). Its figures are compared with the computation as `published:` figures are (printed-report.ts); a
 * disagreement joins the computation's discrepancies unless the data file's published columns or the methodology's
 * `published:` already printed the same figure, and where both give a figure for the same thing and the two differ,
 * the difference is named. */
import path from 'node:path';
import { comparePrintedReport, type PrintedComparison, type PrintedFigure } from '../../core/analysis/printed-report.ts';
import { docxFigures } from '../../core/analysis/printed-report-docx.ts';
import { matchFigureRows, type FigureInput } from '../../core/analysis/printed-figure-rows.ts';
import type { ComputedTable } from '../../core/analysis/types.ts';
import type { OrgRef } from '../../core/imports/match.ts';
import { normaliseLevelName, parsePrinted } from '../../core/methodology/consistency.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import { formatNumber } from '../../core/format.ts';
import { readDataFile } from '../imports/datafile.ts';
import type { ComputeContract } from '../methodology/compute.ts';
import { readDocxTables } from './printed-report-docx.ts';

export interface PrintedConflict {
  label: string;
  target: string;
  field: 'value' | 'level';
  printed: string;
  published: string;
  message: string;
}
export interface PrintedFileCheck extends Omit<PrintedComparison, 'problems'> {
  file: string;
  figures: number;
  problems: string[];
  /** Figures the file and `published:` (data file columns or the methodology) both give and that differ. */
  conflicts: PrintedConflict[];
}
export type PrintedFileResult = { ok: true; output: ComputeContract & { printed: PrintedFileCheck } } | { ok: false; message: string };

/** The `published:` figures of the main table (its published columns) and of the methodology's aggregates. */
async function publishedFigures(m: Methodology, output: ComputeContract, data: { buffer: Uint8Array; fileName: string; sheet?: string } | null): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [id, a] of Object.entries(m.aggregates ?? {})) if (a.published) out.set(`municipal|${id}|value`, String(a.published.value));
  const ds = m.datasets?.[output.dataset.id];
  if (!ds?.published?.length || !data || (ds.unit !== 'organisation' && ds.unit !== 'organisation_type')) return out;
  const read = await readDataFile(data.buffer, path.basename(data.fileName), data.sheet);
  if (!read.ok) return out;
  const key = read.table.header.indexOf(ds.key);
  if (key < 0) return out;
  const scope = ds.unit === 'organisation' ? 'organisation' : 'group';
  for (const p of ds.published) {
    const col = read.table.header.indexOf(p.column);
    if (col < 0 || p.field === 'points') continue;
    for (const r of read.table.rows) {
      const text = (r.cells[col] ?? '').trim();
      if (text) out.set(`${scope}:${(r.cells[key] ?? '').trim()}|${p.indicator}|${p.field}`, text);
    }
  }
  return out;
}

function sameFigure(a: string, b: string, field: 'value' | 'level'): boolean {
  if (field === 'level') return normaliseLevelName(a) === normaliseLevelName(b);
  const x = parsePrinted(a);
  const y = parsePrinted(b.replace('.', ','));
  return x !== null && y !== null && x.value === y.value;
}

/** Reads the printed-report file and compares its figures with the computation (the first data file is the one whose
 * published columns are cross-checked). */
export async function checkPrintedFile(m: Methodology, output: ComputeContract, printed: { buffer: Uint8Array; fileName: string; table?: number }, data: { buffer: Uint8Array; fileName: string; sheet?: string } | null): Promise<PrintedFileResult> {
  const name = path.basename(printed.fileName);
  const unit = output.dataset.unit;
  const names = unit === 'organisation' ? [...new Set(output.results.map((r) => r.organisation))] : [];
  const orgs: OrgRef[] = names.map((n, i) => ({ id: n, no: i + 1, inn: null, shortName: n, fullName: n, locked: null }));
  let figures: FigureInput[];
  if (/\.docx$/i.test(name)) {
    let tables: string[][][];
    try {
      tables = await readDocxTables(printed.buffer, name);
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const r = docxFigures(tables, m, orgs, null, printed.table);
    if (!r.result.ok) return { ok: false, message: `${name}: ${r.result.errors.slice(0, 20).map((e) => e.message).join('; ')}` };
    figures = r.result.figures;
  } else {
    const read = await readDataFile(printed.buffer, name);
    if (!read.ok) return { ok: false, message: `${name}: ${read.message}` };
    const r = matchFigureRows(m, orgs, { header: read.table.header, rows: read.table.rows }, 'file');
    if (!r.ok) return { ok: false, message: `${name}: ${r.errors.slice(0, 20).map((e) => e.message).join('; ')}` };
    figures = r.figures;
  }
  const asPrinted: PrintedFigure[] = figures.map((f) => ({ scope: f.scope, entity: f.scope === 'organisation' ? f.organisationId : f.group, target: f.target, value: f.value, level: f.level }));
  const c = comparePrintedReport(m, [output as unknown as ComputedTable], asPrinted);

  const published = await publishedFigures(m, output, data);
  const conflicts: PrintedConflict[] = [];
  for (const f of asPrinted) {
    const label = f.scope === 'municipal' ? 'Муниципалитет' : (f.entity ?? '');
    for (const field of ['value', 'level'] as const) {
      const text = f[field];
      const other = published.get(`${f.scope === 'municipal' ? 'municipal' : `${f.scope}:${f.entity}`}|${f.target}|${field}`);
      if (text === null || other === undefined || sameFigure(text, other, field)) continue;
      const shown = field === 'value' ? formatNumber(Number(other.replace(',', '.'))) : other;
      const what = m.indicators[f.target]?.code ? String(m.indicators[f.target]!.code) : (m.aggregates?.[f.target]?.title ?? f.target);
      conflicts.push({
        label, target: f.target, field, printed: text, published: shown,
        message: `${label}, ${what}: в файле отчёта «${name}» ${field === 'value' ? 'напечатано' : 'уровень'} ${field === 'value' ? text : `«${text}»`}, а в опубликованных данных (published:) — ${field === 'value' ? shown : `«${shown}»`}`,
      });
    }
  }

  const discrepancies = [...output.discrepancies];
  for (const d of c.disagreements) {
    const organisation = d.scope === 'municipal' ? null : d.entity;
    const field = d.scope === 'municipal' && m.aggregates?.[d.target] && d.field === 'value' ? 'aggregate' : d.field;
    const value = field === 'level' ? d.printed : Number(d.printed.replace(',', '.'));
    if (discrepancies.some((x) => x.organisation === organisation && x.indicator === d.target && x.field === field && x.published === value)) continue;
    discrepancies.push({
      organisation, indicator: d.target, field, published: value, computed: field === 'level' ? d.computed : d.computed === null ? null : Number(d.computed.replace(',', '.')),
      message: `«${name}»: ${d.label}, ${d.targetTitle}: ${d.explanation}`, diagnosis: d.causes,
    });
  }
  const problems = c.problems.map((p) => `${p.figure.entity ?? 'Муниципалитет'}, ${p.figure.target}: ${p.reason}`);
  return { ok: true, output: { ...output, discrepancies, printed: { file: name, figures: figures.length, agreed: c.agreed, disagreements: c.disagreements, problems, conflicts } } };
}

/** The printed report's part of the text output. */
export function renderPrintedCheck(p: PrintedFileCheck): string {
  const lines = [`Опубликованный отчёт «${p.file}»: значений ${p.figures}, совпадают с расчётом ${p.agreed}, расходятся ${p.disagreements.length} (расхождения — в списке выше).`];
  if (p.problems.length) lines.push(`Не удалось сверить (${p.problems.length}):`, ...p.problems.map((x) => `  • ${x}`));
  if (p.conflicts.length) lines.push(`Файл отчёта и опубликованные данные (published:) расходятся между собой (${p.conflicts.length}):`, ...p.conflicts.map((x) => `  • ${x.message}`));
  return `${lines.join('\n')}\n`;
}
