/** Addressed recommendations proposed from a CAMPAIGN's results (issue 7): the methodology's `recommendation_rules`
 * over `computeCampaignResults` (every computed table), organisations matched by registry id. Nothing is stored: the
 * analyst edits the proposals and issues them (`POST /api/recommendations` with `campaignId`, `indicator`, `ruleId`,
 * `basis`), so each issued recommendation remembers the campaign and the indicator that motivated it. */
import type { Kysely } from 'kysely';
import { proposeRecommendations, type DirectionCode } from '../../core/cycle/index.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import type { AddresseeKind, Database } from '../../db/schema.ts';
import { computeCampaignResults, type ResultsBasis } from '../analysis/campaign-results.ts';

export interface CampaignProposalDto {
  organisation: string;
  organisationId: string | null;
  rule: string;
  /** The indicator the rule's condition is about (the first one it names). */
  indicator: string | null;
  indicatorTitle: string | null;
  addressee: AddresseeKind;
  text: string;
  dueDays: number | null;
  because: string;
}

export interface CampaignProposals {
  campaignId: string;
  campaignTitle: string;
  methodologyId: string;
  direction: DirectionCode;
  basis: ResultsBasis;
  rules: number;
  proposals: CampaignProposalDto[];
  skipped: { organisation: string; rule: string; reason: string }[];
  warnings: string[];
}

/** The first indicator a rule's condition names (`coverage_share`, `diversity_index_level` → `diversity_index`). */
export function ruleIndicator(m: Methodology, when: string): string | null {
  const ids = Object.keys(m.indicators);
  for (const word of when.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    const base = word.replace(/_(level|points)$/, '');
    if (ids.includes(word)) return word;
    if (ids.includes(base)) return base;
  }
  return null;
}

export async function proposeFromCampaign(db: Kysely<Database>, campaignId: string, basis: ResultsBasis = 'submitted', municipalityId: string | null = null): Promise<CampaignProposals> {
  const r = await computeCampaignResults(db, campaignId, { basis, municipalityId, countedRecords: false, explain: false });
  const m = r.methodology;
  const rules = m.recommendation_rules ?? [];
  const idByName = new Map(r.organisations.map((o) => [o.name, o.id]));
  const proposals: CampaignProposalDto[] = [];
  const key = (rule: string, org: string) => `${rule}\u0000${org}`;
  // A rule names the indicators of one table: it counts as skipped for an organisation only when no table could evaluate it.
  const evaluated = new Set<string>();
  const skips = new Map<string, { organisation: string; rule: string; reason: string }>();
  for (const table of r.computed) {
    const out = proposeRecommendations(rules, { results: table.results, totals: table.totals });
    const skippedHere = new Set(out.skipped.map((x) => key(x.rule, x.organisation)));
    for (const o of new Set(table.results.map((x) => x.organisation))) for (const rule of rules) if (!skippedHere.has(key(rule.id, o))) evaluated.add(key(rule.id, o));
    for (const x of out.skipped) if (!skips.has(key(x.rule, x.organisation))) skips.set(key(x.rule, x.organisation), x);
    for (const p of out.proposals) {
      if (proposals.some((q) => q.rule === p.rule && q.organisation === p.organisation)) continue;
      const indicator = ruleIndicator(m, rules.find((x) => x.id === p.rule)?.when ?? '');
      proposals.push({
        organisation: p.organisation, organisationId: idByName.get(p.organisation) ?? null, rule: p.rule, indicator,
        indicatorTitle: indicator ? (m.indicators[indicator]?.title ?? null) : null, addressee: p.addressee, text: p.text, dueDays: p.dueDays, because: p.because,
      });
    }
  }
  const skipped = [...skips.entries()].filter(([k]) => !evaluated.has(k)).map(([, v]) => v);
  return {
    campaignId: r.campaign.id, campaignTitle: r.campaign.title, methodologyId: m.id, direction: m.direction, basis, rules: rules.length,
    proposals: proposals.sort((a, b) => a.rule.localeCompare(b.rule) || a.organisation.localeCompare(b.organisation, 'ru', { numeric: true })),
    skipped, warnings: r.warnings,
  };
}
