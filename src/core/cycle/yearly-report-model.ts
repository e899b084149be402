/** The yearly report on the state of the municipal system (issue 7) as plain data: what the service
 * (src/services/cycle/yearly-report.ts) assembles from the database and the renderer (src/reports/docx-yearly.ts) draws. */
import type { DirectionCode, RECOMMENDATION_STATUSES } from './index.ts';

export interface YearlyCampaign {
  title: string;
  periodCode: string;
  status: string;
  organisations: number;
  included: number;
  /** «Индекс многообразия программ ДО (среднее по организациям): 5,6». */
  figures: string[];
  warnings: string[];
}

export interface YearlyDirection {
  direction: DirectionCode;
  label: string;
  passportTitle: string | null;
  goal: string | null;
  expectedResult: string | null;
  campaigns: YearlyCampaign[];
  recommendations: { total: number; byStatus: Record<(typeof RECOMMENDATION_STATUSES)[number], number>; withoutDecision: number };
  decisions: { title: string; number: string | null; date: string; kind: string; responsible: string; effect: string; evaluated: boolean }[];
  roadmap: { events: number; occurrences: number; done: number; doneLate: number; overdue: number; overdueItems: string[] };
  completeness: { complete: number; gaps: string[] };
}

export interface YearlyReportModel {
  year: number;
  today: string;
  municipality: string | null;
  directions: YearlyDirection[];
}
