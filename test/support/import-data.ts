/** Data for import tests and the import benchmark: many organisations in the registry at once (one INSERT … SELECT
 * from generate_series, ИНН `77` + 8 digits of the number), files of N rows for them (CSV in UTF-8 or Windows-1251,
 * XLSX through exceljs's streaming writer), and a multipart body as a browser sends it. */
import iconv from 'iconv-lite';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

export const innOf = (no: number) => `77${String(no).padStart(8, '0')}`;

/** Adds organisations numbered from `from` (no, short name `ОО-<no>`, ИНН `innOf(no)`) to the municipality. */
export async function addOrganisations(db: Kysely<Database>, municipalityId: string, from: number, count: number): Promise<void> {
  await sql`
    insert into organisations (municipality_id, no, short_name, full_name, type, inn)
    select ${municipalityId}::uuid, g, 'ОО-' || g, 'Образовательная организация ' || g, 'school', '77' || lpad(g::text, 8, '0')
    from generate_series(${from}::int, ${from + count - 1}::int) g`.execute(db);
}

export interface RowSpec {
  no: number;
  students: string | number;
  programmes: string | number;
  surveyed: string | number;
}

export const HEADER = ['ИНН', 'Наименование', 'Численность обучающихся', 'Количество программ ДО', 'Анкетировано обучающихся'];

export function rowsFor(from: number, count: number, bad?: { index: number; students: string }): RowSpec[] {
  const out: RowSpec[] = [];
  for (let i = 0; i < count; i++) {
    const no = from + i;
    out.push({ no, students: bad && bad.index === i ? bad.students : 100 + (no % 900), programmes: no % 20, surveyed: 50 + (no % 40) });
  }
  return out;
}

export function csvOf(rows: readonly RowSpec[], opts: { delimiter?: string; encoding?: 'utf-8' | 'win1251' } = {}): Buffer {
  const d = opts.delimiter ?? ';';
  const lines = [HEADER.join(d), ...rows.map((r) => [innOf(r.no), `ОО-${r.no}`, r.students, r.programmes, r.surveyed].join(d))];
  const text = `${lines.join('\r\n')}\r\n`;
  return opts.encoding === 'win1251' ? iconv.encode(text, 'win1251') : Buffer.from(text, 'utf8');
}

/** An XLSX book; `sheets` lists extra sheets before the data sheet (e.g. an explanations sheet). */
export async function xlsxOf(rows: readonly RowSpec[], opts: { sheet?: string; before?: string[] } = {}): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const { PassThrough } = await import('node:stream');
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: false });
  for (const name of opts.before ?? []) {
    const ws = wb.addWorksheet(name);
    ws.addRow(['Пояснения к выгрузке']).commit();
    ws.addRow(['Данные — на листе «Данные»']).commit();
    ws.commit();
  }
  const ws = wb.addWorksheet(opts.sheet ?? 'Данные');
  ws.addRow(HEADER).commit();
  for (const r of rows) ws.addRow([innOf(r.no), `ОО-${r.no}`, r.students, r.programmes, r.surveyed]).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

/** A multipart/form-data body with one file field. */
export function multipart(fileName: string, content: Buffer, field = 'file', fields: Record<string, string> = {}): { body: Buffer; contentType: string } {
  const boundary = `----msoko${Math.random().toString(16).slice(2)}`;
  // Text fields go before the file: the routes read them with the file part.
  const text = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  const head = Buffer.from(`${text}--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { body: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
