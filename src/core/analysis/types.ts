/** The shape of the analysis model (issue 6) and how documents name organisation types: what buildAnalysis
 * returns and every renderer and conclusion reads. Pure data, no logic beyond naming. */
import type { AggregateDef, ComputeOutput, Methodology } from '../methodology/index.ts';
import type { ClusterResult, CrossTab, Descriptive, MatrixCell } from '../stats/index.ts';

/** Organisation types of the registry and how documents name them. */
export const ORG_TYPE_NAMES: Record<string, { full: string; short: string }> = {
  school: { full: 'Общеобразовательные организации', short: 'ОО' },
  preschool: { full: 'Дошкольные образовательные организации', short: 'ДОУ' },
  supplementary: { full: 'Организации дополнительного образования', short: 'УДО' },
  total: { full: 'Итого', short: 'Итого' },
  municipality: { full: 'Муниципалитет', short: 'Муниципалитет' },
};
export const typeName = (t: string | null | undefined, form: 'full' | 'short' = 'full'): string =>
  t === null || t === undefined || t === '' ? 'не указан' : (ORG_TYPE_NAMES[t]?.[form] ?? t);

export interface OrganisationInfo { name: string; type: string | null; no?: string | null }
export interface Recommendation { addressee: string; text: string; organisations: string[] }
export interface ReportMeta {
  municipality?: string;
  /** Campaign or report title; the methodology title when absent. */
  title?: string;
  /** E.g. «2021 год», «2021/2022 учебный год». */
  period?: string;
  /** Date of the report, ISO `YYYY-MM-DD`. */
  date?: string;
  /** Monitoring tasks (the methodology has no field for them). */
  tasks?: string[];
  author?: string;
}
/** One compute output per data table (the shape of `computeTable` / `computeFromBuffer`). */
export type ComputedTable = Pick<ComputeOutput, 'dataset' | 'indicators' | 'results' | 'totals' | 'aggregates' | 'discrepancies' | 'lint'>;

/** A table as a source document printed it: the header and the rows of the uploaded file (printed.ts). */
export interface PrintedTable {
  datasetId: string;
  fileName: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface AnalysisInput {
  methodology: Methodology;
  computed: readonly ComputedTable[];
  organisations?: readonly OrganisationInfo[];
  meta?: ReportMeta;
  recommendations?: readonly Recommendation[];
  /** Per indicator or aggregate id: a regional value and/or a target entered for the campaign (the target replaces
   * the methodology's). */
  benchmarks?: Readonly<Record<string, { regional: number | null; target: number | null }>>;
  /** Tables as a source document printed them, kept beside values computed from another source (printed.ts). */
  printed?: readonly PrintedTable[];
}

export interface IndicatorInfo {
  id: string;
  code: string | null;
  title: string;
  unit: string | null;
  round: number | null;
  target: number | null;
  hasLevels: boolean;
  /** A yes/no indicator (`kind: yes_no`): an organisation's 1/0 is printed «да»/«нет». */
  yesNo: boolean;
}
export interface CriteriaBandRow { label: string; points: number | null }
export interface CriteriaTable {
  criteria: {
    id: string;
    title: string;
    max: number;
    indicators: { id: string; code: string | null; title: string; target: number | null; unit: string | null; bands: CriteriaBandRow[]; note: string | null }[];
  }[];
  maxTotal: number | null;
}
export interface OrgRow {
  no: string | null;
  name: string;
  type: string | null;
  inputs: Record<string, number | string | boolean | null>;
  cells: Record<string, { value: number | null; level: string | null; levelCode: string | null; points: number | null; explanation: string }>;
  total: { points: number; max: number; complete: boolean } | null;
}
export interface OrgTable { datasetId: string; datasetTitle: string; inputs: { id: string; title: string; unit: string | null }[]; indicators: IndicatorInfo[]; rows: OrgRow[] }
export interface GroupTable {
  datasetId: string;
  datasetTitle: string;
  unit: 'organisation_type' | 'municipality';
  /** True when none of the table's indicators is scored by the criteria (a breakdown such as programme focus). */
  breakdown: boolean;
  inputs: { id: string; title: string; unit: string | null }[];
  indicators: IndicatorInfo[];
  rows: { key: string; label: string; isTotal: boolean; inputs: Record<string, number | null>; cells: Record<string, { value: number | null; points: number | null; level: string | null; explanation: string }> }[];
  /** Column totals of the inputs over the non-total rows, with shares of the grand total adding up to 100. */
  inputTotals: { id: string; title: string; sum: number; share: number }[];
}
export interface LevelDistribution {
  indicator: IndicatorInfo;
  /** Rows = level names (high → low), columns = organisation types; cell shares are of the type's total (columns add up to 100). */
  byType: CrossTab;
  /** Organisations per level, in ranking order. */
  members: Record<string, string[]>;
}
export interface RankingEntry { position: number; rank: number | null; name: string; type: string | null; value: number | null; level: string | null; levelCode: string | null; tied: boolean }
export interface Ranking { indicator: IndicatorInfo; entries: RankingEntry[] }
export interface IndicatorStats { indicator: IndicatorInfo; all: Descriptive; byType: { type: string; stats: Descriptive }[] }
export interface MunicipalValue {
  indicator: IndicatorInfo;
  value: number;
  /** 'row': the municipality's own row or the totals row; 'mean': the mean of the organisations' values. */
  kind: 'row' | 'mean';
  source: string;
  level: string | null;
  points: number | null;
  explanation: string;
  target: { value: number; comparison: 'above' | 'equal' | 'below' } | null;
  /** The region's figure for the same indicator, when one was entered. */
  regional?: { value: number; comparison: 'above' | 'equal' | 'below' } | null;
  byType: { type: string; value: number | null }[];
  /** What the source document printed for this figure, where it differs (printed.ts): shown beside the value. */
  printed?: string[];
}
export interface DiscrepancyRow {
  organisation: string | null; label: string; round: number | null; indicator: string; indicatorTitle: string; field: string; published: number | string; computed: number | string | null; explanation: string;
  /** How the printed figure may have been obtained (the most plausible diagnosis, issue 16); null when not diagnosed. */
  cause: string | null;
}
export interface Conclusion { id: string; text: string }
export interface AggregateRow { id: string; title: string; group: string | null; value: number | null; level: string | null; explanation: string }

/** Per-dimension results (organisation × subject × grade) as the analysis shows them (dimensional.ts). */
export interface DimensionInfo { id: string; title: string; values: { value: string; label: string }[] }
export interface DimensionalCell { value: number | null; level: string | null; levelCode: string | null; explanation: string }
export interface DimensionalRow {
  organisation: string;
  dimensions: Record<string, string>;
  cells: Record<string, DimensionalCell>;
  /** The inputs the row's indicators were computed from (union over its indicators). */
  inputs: Record<string, number | null>;
}
/** An aggregate of the methodology that can be taken per organisation over several subjects or grades. */
export interface DimensionalAggregate { id: string; title: string; unit: string | null; round: number | null; groupBy: string | null; def: AggregateDef }
export interface DimensionalView {
  /** The methodology the rows were computed by: the ranking takes its aggregates and comparison formulas from it. */
  methodology: Methodology;
  dimensions: DimensionInfo[];
  indicators: IndicatorInfo[];
  aggregates: DimensionalAggregate[];
  rows: DimensionalRow[];
  /** The sign of non-objectivity and the inputs of its formula, when the methodology has one. */
  objectivity: { indicator: IndicatorInfo; inputs: { id: string; title: string; unit: string | null }[] } | null;
  /** How many rows `rows` leaves out (dimensional-compact.ts): the analysis page's answer for a campaign with many
   * rows keeps the first row and the rows with a sign of non-objectivity; rankings then come from the server. */
  omittedRows?: number;
}

export interface AnalysisModel {
  meta: Required<Pick<ReportMeta, 'title'>> & ReportMeta;
  methodology: { id: string; version: string; title: string; direction: string; source: string | null; goal: string | null; expectedResult: string | null; notes: string[] };
  criteria: CriteriaTable;
  orgTables: OrgTable[];
  groupTables: GroupTable[];
  rankings: Ranking[];
  distributions: LevelDistribution[];
  statistics: IndicatorStats[];
  correlation: { cells: MatrixCell[]; note: string | null };
  clusters: { indicators: string[]; result: ClusterResult | null; note: string | null } | null;
  municipal: MunicipalValue[];
  aggregates: AggregateRow[];
  discrepancies: DiscrepancyRow[];
  lint: string[];
  conclusions: Conclusion[];
  recommendations: Recommendation[];
  /** The dimensional tables' rows (ВПР per subject × grade), null when the methodology has none with data. */
  dimensional: DimensionalView | null;
}
