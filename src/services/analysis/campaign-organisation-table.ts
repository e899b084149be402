/** The table of one organisation-level dataset of a campaign, built from its participants' current values (the forms):
 * a row per organisation on the basis with every required input; the inputs a record list in force supplies are left
 * to the list. Part of `computeCampaignResults` (campaign-results.ts). */
import { attributeColumn, type DatasetDef, type Methodology, type TableRow } from '../../core/methodology/index.ts';
import type { OrganisationType } from '../../db/schema.ts';
import type { OrganisationInfo } from '../../core/analysis/index.ts';

/** A participant of a campaign as the results see it. */
export interface CampaignOrganisation extends OrganisationInfo {
  /** Registry id. */
  id: string;
  /** Short name, the key of the organisation in the computed tables (`ResultRow.organisation`). */
  name: string;
  type: OrganisationType;
  /** Registry number as text (OrganisationInfo keeps the printed form). */
  no: string;
  fullName: string;
  growthPoint: boolean;
  submissionStatus: 'not_started' | 'draft' | 'submitted' | 'accepted' | 'returned';
  /** Whether its values are on the basis (and so in the organisation tables). */
  included: boolean;
}

const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'да' : 'нет') : String(v));

/** Attribute value of an organisation by the attribute's name or column (`type`, `no`, `growth_point`, `name`). */
function attributeOf(o: CampaignOrganisation, name: string, column: string): string {
  for (const k of [name, column]) {
    if (k === 'type') return o.type;
    if (k === 'no') return o.no;
    if (k === 'growth_point' || k === 'growthPoint') return o.growthPoint ? 'да' : 'нет';
    if (k === 'full_name') return o.fullName;
  }
  return '';
}

function list(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} и ещё ${names.length - max}`;
}

/** Builds the table of one organisation-level dataset from the current values: only organisations with every
 * required input of the table; the others are named in a warning when they have some of its values. */
export function organisationTable(
  m: Methodology,
  dsId: string,
  ds: DatasetDef,
  orgs: readonly CampaignOrganisation[],
  values: Map<string, Record<string, { value: unknown }>>,
  warnings: string[],
  supplied: ReadonlySet<string> = new Set(),
): { header: string[]; rows: TableRow[] } | null {
  const attrs = Object.entries(ds.attributes ?? {}).map(([name, ref]) => ({ name, column: attributeColumn(ref).column }));
  // Inputs a record list in force supplies are counted from its records, not read from the forms.
  const inputs = Object.entries(ds.columns).filter(([input]) => m.inputs[input] && m.inputs[input]?.type !== 'score' && !supplied.has(input));
  const evidence = Object.entries(ds.evidence_columns ?? {});
  const header = [ds.key, ...attrs.map((a) => a.column), ...inputs.map(([, c]) => c), ...evidence.map(([, c]) => c)];
  const rows: TableRow[] = [];
  const partial: string[] = [];
  // Inputs shared with another organisation table (e.g. enrolment) do not make an organisation "started" here.
  const own = inputs.filter(([input]) => !Object.entries(m.datasets ?? {}).some(([id, other]) => id !== dsId && other.unit === 'organisation' && input in other.columns));
  for (const o of orgs) {
    if (!o.included) continue;
    const v = values.get(o.id) ?? {};
    const missing = inputs.filter(([input]) => m.inputs[input]?.required !== false && (v[input]?.value ?? null) === null);
    if (missing.length) {
      if ((own.length ? own : inputs).some(([input]) => (v[input]?.value ?? null) !== null)) partial.push(o.name);
      continue;
    }
    rows.push({
      line: rows.length + 2,
      cells: [
        o.name,
        ...attrs.map((a) => attributeOf(o, a.name, a.column)),
        ...inputs.map(([input]) => cellText(v[input]?.value)),
        ...evidence.map(([input]) => cellText((v[input] as { evidenceUrl?: string | null } | undefined)?.evidenceUrl)),
      ],
    });
  }
  if (partial.length)
    warnings.push(`Таблица «${ds.title}»: не вошли организации с незаполненными обязательными значениями (${partial.length}): ${list(partial)}.`);
  return rows.length ? { header, rows } : null;
}
