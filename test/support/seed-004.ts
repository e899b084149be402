/** Seed 004's tables (shared/fixtures/seed-004, transcribed as published) as the engine reads a data file: the header
 * and each row with its line number (the header is line 1). For the core tests that compute seed 004 directly. */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { TableRow } from '../../src/core/methodology/records.ts';

export function seedTable(name: string): { header: string[]; rows: TableRow[] } {
  const text = readFileSync(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url), 'utf8');
  const [header, ...cells] = parseCsv(text, { skip_empty_lines: true }) as string[][];
  return { header: header as string[], rows: cells.map((c, i) => ({ line: i + 2, cells: c })) };
}
