/** «Что если» (issue 15, item 3): the editor's draft — a base version with edits — computed over a past campaign's data
 * before anyone adopts it, beside the campaign as it was computed on its own version: which organisations change
 * value, level or points, how their sums of points and the municipal figures move (`compareOutputs`). Read-only:
 * nothing is saved. The campaign must have run on the same methodology (same id: the same inputs). */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { compareOutputs, type WhatIf } from '../../core/methodology/what-if.ts';
import type { Database } from '../../db/schema.ts';
import { ResultsBasisSchema, type ResultsBasis } from '../analysis/basis.ts';
import { computeCampaignResults } from '../analysis/campaign-results.ts';
import { ServiceError } from '../errors.ts';
import { applyEdits, MethodologyEditSchema } from './methodology-edit.ts';
import { parseMethodologyText } from './methodology-library.ts';
import { getMethodologyVersion } from './methodology-versions.ts';

export const WhatIfSchema = MethodologyEditSchema.extend({
  methodologyId: z.string().min(1).max(200),
  methodologyVersion: z.string().min(1).max(100),
  basis: ResultsBasisSchema.default('submitted'),
});

export interface WhatIfAnswer extends WhatIf {
  campaign: { id: string; title: string; methodologyVersion: string };
  draft: { id: string; version: string };
  basis: ResultsBasis;
  /** Warnings of the draft's computation the campaign's own did not have (a table no longer computable…). */
  warnings: string[];
}

export async function whatIf(db: Kysely<Database>, campaignId: string, input: unknown, municipalityId: string | null): Promise<WhatIfAnswer> {
  const q = WhatIfSchema.parse(input);
  const base = await getMethodologyVersion(db, q.methodologyId, q.methodologyVersion);
  const r = applyEdits(base.yaml, `версии ${base.version}`, q);
  if (!r.ok) throw new ServiceError('validation', 'METHODOLOGY_EDIT_INVALID', r.message, [{ path: 'edits', message: r.message }]);
  const parsed = parseMethodologyText(r.yaml, 'черновик');
  const errors = parsed.ok ? parsed.lint.filter((l) => l.severity === 'error') : parsed.errors;
  if (!parsed.ok || errors.length)
    throw new ServiceError('validation', 'DRAFT_INVALID', `Черновик содержит ошибки — исправьте их до расчёта: ${errors.slice(0, 3).map((e) => e.message).join('; ')}`, [{ path: 'edits', message: 'черновик с ошибками' }]);
  const draft = parsed.methodology;
  const before = await computeCampaignResults(db, campaignId, { basis: q.basis, municipalityId, countedRecords: false, explain: false });
  if (before.campaign.methodologyId !== draft.id)
    throw new ServiceError('validation', 'CAMPAIGN_OTHER_METHODOLOGY', `Мониторинг «${before.campaign.title}» проведён по методике «${before.campaign.methodologyId}», а черновик — «${draft.id}»: сравнивать можно только версии одной методики`, [{ path: 'campaignId', message: 'другая методика' }]);
  const after = await computeCampaignResults(db, campaignId, { basis: q.basis, municipalityId, methodology: draft, countedRecords: false, explain: false });
  const had = new Set(before.warnings);
  return {
    campaign: { id: before.campaign.id, title: before.campaign.title, methodologyVersion: before.campaign.methodologyVersion },
    draft: { id: draft.id, version: draft.version },
    basis: q.basis,
    ...compareOutputs(before.computed, after.computed),
    warnings: after.warnings.filter((w) => !had.has(w)),
  };
}
