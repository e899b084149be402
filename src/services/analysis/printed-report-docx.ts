/** Printed figures from the report's own DOCX (issue 15, item 4): the tables of word/document.xml are read as the
 * criteria import reads them (criteria-import-grid.ts: merged cells as Word stores them), the analyst sees every table
 * with its header text, the guessed or chosen mapping (which column names the organisations, which column is which
 * indicator's value or level, which municipal figure the «итого» row prints) and the figures read with their cells;
 * unreadable cells are refused naming them, and applying saves all or nothing (src/core/analysis/printed-report-docx.ts).
 * Each table comes with the caption printed above it («Таблица № 3. Индекс многообразия …», `tableCaption`), shown
 * beside the table picker. */
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { docxFigures, describeTables, tableCaption, type DocxMapping, type DocxTableInfo } from '../../core/analysis/printed-report-docx.ts';
import type { Database } from '../../db/schema.ts';
import { readDocxFileTables } from '../methodology/criteria-import-grid.ts';
import { ServiceError, type Actor } from '../errors.ts';
import { figureOptions, targetTitle, type PrintedFigureOptions } from './printed-report-figures.ts';
import { methodologyOf, participants, reportRow, saveFigures } from './printed-reports.ts';

export const docxMappingSchema = z.strictObject({
  table: z.number().int().min(1),
  organisationColumn: z.number().int().min(1),
  columns: z
    .array(z.strictObject({ column: z.number().int().min(1), target: z.string().trim().min(1), field: z.enum(['value', 'level']), total: z.string().trim().min(1).nullable().default(null) }))
    .max(100),
});

export interface DocxPreview {
  fileName: string;
  tables: DocxTableInfo[];
  mapping: DocxMapping | null;
  /** The figures read, each with the cell it was printed in. */
  figures: { place: string; row: string; target: string; targetTitle: string; value: string | null; level: string | null }[];
  /** Empty when the figures can be applied. */
  errors: { path: string; message: string }[];
  options: PrintedFigureOptions;
}

/** Every table of a DOCX as text grids; a damaged or disguised file is refused with the reason. */
export async function readDocxTables(buffer: Uint8Array, name: string): Promise<string[][][]> {
  return (await readCaptionedDocxTables(buffer, name)).tables;
}

/** Every table of a DOCX as text grids, with the caption printed above each (null: none). */
export async function readCaptionedDocxTables(buffer: Uint8Array, name: string): Promise<{ tables: string[][][]; captions: (string | null)[] }> {
  const read = await readDocxFileTables(buffer);
  if (!read.ok) throw new ServiceError('validation', 'FIGURES_INVALID', `${name}: ${read.message}`, [{ path: 'file', message: read.message }]);
  return { tables: read.tables.map((t) => t.rows), captions: read.tables.map((t) => tableCaption(t.paragraphsBefore)) };
}

function parseMapping(text: string | undefined): DocxMapping | null {
  if (text === undefined || text === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServiceError('validation', 'MAPPING_INVALID', 'Сопоставление столбцов не прочитано (ожидается JSON)', [{ path: 'mapping', message: 'не JSON' }]);
  }
  const r = docxMappingSchema.safeParse(json);
  if (!r.success) throw new ServiceError('validation', 'MAPPING_INVALID', `Сопоставление столбцов: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, [{ path: 'mapping', message: 'неверное сопоставление' }]);
  return r.data;
}

async function read(db: Kysely<Database>, campaignId: string, reportId: string, file: { name: string; buffer: Uint8Array }, mappingText: string | undefined, table?: number) {
  // The file first: a damaged or disguised file is refused as such whatever the ids.
  const name = path.basename(file.name);
  const { tables, captions } = await readCaptionedDocxTables(file.buffer, name);
  const mapping = parseMapping(mappingText);
  const { campaignId: id, m } = await methodologyOf(db, campaignId);
  const report = await reportRow(db, id, reportId);
  const orgs = await participants(db, id);
  return { name, tables, captions, id, m, report, orgs, read: docxFigures(tables, m, orgs, mapping, table) };
}

/** What the document's tables give under the chosen mapping, or the one guessed (in `table` when given); nothing is
 * saved. */
export async function previewDocxFigures(db: Kysely<Database>, campaignId: string, reportId: string, file: { name: string; buffer: Uint8Array }, mappingText?: string, tableText?: string): Promise<DocxPreview> {
  const table = tableText && /^\d{1,4}$/.test(tableText) ? Number(tableText) : undefined;
  const r = await read(db, campaignId, reportId, file, mappingText, table);
  return {
    fileName: r.name,
    tables: describeTables(r.tables, r.captions),
    mapping: r.read.mapping,
    figures: r.read.rows.map((f) => ({ place: f.place, row: f.rowText, target: f.target, targetTitle: targetTitle(r.m, f.target), value: f.value, level: f.level })),
    errors: r.read.result.ok ? [] : r.read.result.errors,
    options: figureOptions(r.m, r.orgs),
  };
}

/** Saves the figures of the document under the mapping, all or nothing; 400 naming every unreadable cell. */
export async function applyDocxFigures(db: Kysely<Database>, actor: Actor, campaignId: string, reportId: string, file: { name: string; buffer: Uint8Array }, mappingText: string | undefined): Promise<{ saved: number; fileName: string }> {
  // The file is read first (a damaged or disguised file is refused as such), then the mapping is required.
  const r = await read(db, campaignId, reportId, file, mappingText);
  if (!mappingText) throw new ServiceError('validation', 'MAPPING_INVALID', 'Выберите таблицу и столбцы (сопоставление)', [{ path: 'mapping', message: 'не указано' }]);
  if (!r.read.result.ok) {
    const errors = r.read.result.errors;
    const shown = errors.slice(0, 20).map((e) => e.message);
    const more = errors.length > shown.length ? `; и ещё ${errors.length - shown.length}` : '';
    throw new ServiceError('validation', 'FIGURES_INVALID', `${r.name}: ничего не сохранено — ${shown.join('; ')}${more}`, errors.slice(0, 100));
  }
  const saved = await saveFigures(db, actor, r.id, r.report.id, r.read.result.figures, { source: 'docx', file: r.name, table: r.read.mapping?.table });
  return { saved, fileName: r.name };
}
