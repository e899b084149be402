/** Seed 004's tables as shipped with the demo (library/demo/seed-004, a copy of shared/fixtures/seed-004). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { OrganisationType } from '../../core/registry/schema.ts';

export const SEED004_DIR = fileURLToPath(new URL('../../../library/demo/seed-004/', import.meta.url));

export interface Seed004Organisation {
  no: number;
  name: string;
  type: OrganisationType;
  students: number;
  programmes: number;
  publishedIndex: number;
  publishedLevel: string;
}

export interface Seed004Satisfaction {
  orgType: OrganisationType | 'total';
  children: number;
  respondents: number;
  promoters: number;
  neutrals: number;
  critics: number;
  publishedShare: number;
  publishedLoyalty: number;
}

async function readCsv(name: string): Promise<Record<string, string>[]> {
  const { parse } = await import('csv-parse/sync');
  return parse(await readFile(`${SEED004_DIR}${name}`, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

export async function readSeed004Organisations(): Promise<Seed004Organisation[]> {
  return (await readCsv('organisations.csv')).map((r) => ({
    no: Number(r.no),
    name: String(r.name),
    type: r.type as OrganisationType,
    students: Number(r.students),
    programmes: Number(r.programmes),
    publishedIndex: Number(r.published_index),
    publishedLevel: String(r.published_level),
  }));
}

export async function readSeed004Satisfaction(): Promise<Seed004Satisfaction[]> {
  return (await readCsv('satisfaction.csv')).map((r) => ({
    orgType: r.org_type as Seed004Satisfaction['orgType'],
    children: Number(r.children_5_17),
    respondents: Number(r.respondents),
    promoters: Number(r.promoters),
    neutrals: Number(r.neutrals),
    critics: Number(r.critics),
    publishedShare: Number(r.published_share_pct),
    publishedLoyalty: Number(r.published_loyalty_index),
  }));
}
