/** Shapes of the methodology API (src/http/routes/methodology/methodologies.ts) as the SPA reads them. */
import { formatNumber } from '../../src/core/format.ts';
import { LEVEL_NAMES } from '../../src/core/methodology/schema.ts';
import type { ResultRow } from '../../src/core/methodology/run.ts';
import type { MethodologyVersionSummary } from '../../src/services/methodology/methodology-versions.ts';

/** The list item of GET /api/methodologies, as the service defines it (type-only import: no server code is bundled). */
export type MethodologySummary = MethodologyVersionSummary;

export interface LintItem {
  message: string;
  severity?: string;
  path?: string;
  line?: number;
  column?: number;
}

export interface ParseError {
  line?: number;
  column?: number;
  message: string;
}

export type LintResponse =
  | { ok: true; id: string; version: string; title: string; exists: boolean; lint: LintItem[] }
  | { ok: false; errors: ParseError[] };

/** One result of a computation, as the engine defines it (the SPA does not use `details`). */
export type ComputeResultRow = Omit<ResultRow, 'details'>;

export interface ComputeAggregate {
  id: string;
  title: string;
  group: string | null;
  value: number | null;
  level: string | null;
  points: number | null;
  explanation: string;
}

export interface ComputeResponse {
  methodology: { id: string; version: string; title: string };
  dataset: { id: string; title: string; unit: 'organisation' | 'organisation_type' | 'municipality'; rows: number };
  file: { name: string; encoding?: string; sheet?: string };
  /** Every file (and sheet) of a computation over several. */
  files?: { name: string; encoding?: string; sheet?: string }[];
  indicators: { id: string; code: string | null; title: string; unit: string | null; kind?: string | null }[];
  results: ComputeResultRow[];
  /** A table per organisation × subject × grade: the dimensions, each result then has `dimensions`. */
  dimensions?: { id: string; title: string; labels?: Record<string, string> }[];
  aggregates: ComputeAggregate[];
  discrepancies: {
    organisation: string | null;
    indicator: string;
    field: string;
    published: number | string;
    computed: number | string | null;
    message: string;
    /** How the printed figure may have been obtained, most plausible first (issue 16). */
    diagnosis?: { code: string; message: string; formula: string }[];
  }[];
  lint: LintItem[];
}

export const DIRECTION_LABELS: Record<string, string> = {
  preparation: 'Подготовка обучающихся',
  talents: 'Способности и таланты',
  career: 'Профориентация',
  leaders: 'Руководители ОО',
  teachers: 'Профессиональное развитие педагогов',
  upbringing: 'Воспитание',
  preschool: 'Дошкольное образование',
};

/** Numbers the Russian way; other values as they are. */
export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return formatNumber(v);
  return (LEVEL_NAMES as Record<string, string>)[String(v)] ?? String(v);
}
