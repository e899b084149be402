/** Letters with addressed recommendations (issue 18): one letter to each organisation's head listing only that
 * organisation's recommendations of a monitoring (text, indicator, deadline), on the `recommendations_letter`
 * template, each with its own number in the letters' register and sent to that organisation's representatives only
 * (a notification with the letter). Municipal-level recommendations go to no
 * organisation and are left out. Letters are issued one after another, each in its own transaction: a refusal
 * (missing requisites, no recommendations) comes before any number is taken. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { parsePeriod, periodLabel } from '../../core/calendar/periods.ts';
import { recommendationRows, recommendationsLetterDefaults } from '../../core/documents/recommendation-rows.ts';
import { documentDate } from '../../core/documents/register.ts';
import { patternOf } from '../../core/documents/requisites.ts';
import type { Database } from '../../db/schema.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { departmentOf, documentFileName, missingList, requireRequisites } from './issue-context.ts';
import { campaignRecommendations } from './orders.ts';
import { issueDocument, type DocumentDto } from './register.ts';
import { currentRequisites } from './requisites.ts';
import { renderTemplate, templateInUse } from './templates.ts';

export const recommendationLettersInputSchema = z.strictObject({
  /** Only these organisations (default: every organisation with recommendations). */
  organisationIds: z.array(z.uuid()).min(1, 'Выберите хотя бы одну организацию').max(1000).optional(),
});

async function byOrganisation(db: Kysely<Database>, campaignId: string) {
  const { campaign, recs } = await campaignRecommendations(db, campaignId);
  const groups = new Map<string, { id: string; name: string; fullName: string; recs: typeof recs }>();
  for (const r of recs) {
    if (!r.organisationId) continue;
    const g = groups.get(r.organisationId) ?? { id: r.organisationId, name: r.organisation ?? '', fullName: r.organisationFull ?? r.organisation ?? '', recs: [] };
    g.recs.push(r);
    groups.set(r.organisationId, g);
  }
  const p = parsePeriod(campaign.period_code);
  return { campaign, period: p.ok ? periodLabel(p.value) : campaign.period_code, groups: [...groups.values()], municipalLevel: recs.filter((r) => !r.organisationId).length };
}

export interface RecommendationLettersDraft {
  campaignId: string;
  organisations: { id: string; name: string; recommendations: number }[];
  /** Recommendations without an organisation: in no letter. */
  municipalLevel: number;
  missingRequisites: { field: string; label: string }[];
}

export async function recommendationLettersDraft(db: Kysely<Database>, municipalityId: string, campaignId: string): Promise<RecommendationLettersDraft> {
  const req = await currentRequisites(db, municipalityId);
  const { campaign, groups, municipalLevel } = await byOrganisation(db, campaignId);
  return { campaignId: campaign.id, organisations: groups.map((g) => ({ id: g.id, name: g.name, recommendations: g.recs.length })), municipalLevel, missingRequisites: missingList(req?.requisites ?? null) };
}

export async function issueRecommendationLetters(db: Kysely<Database>, actor: Actor, opts: { municipalityId: string; campaignId: string; today: string }, input: unknown): Promise<DocumentDto[]> {
  const chosen = parseInput(recommendationLettersInputSchema, input ?? {}).organisationIds;
  const req = await requireRequisites(db, opts.municipalityId, 'Письма не выпущены');
  const { campaign, period, groups } = await byOrganisation(db, opts.campaignId);
  const unknown = chosen?.filter((id) => !groups.some((g) => g.id === id)) ?? [];
  if (unknown.length) throw new ServiceError('validation', 'NO_RECOMMENDATIONS', 'Письма не выпущены: у выбранной организации нет адресных рекомендаций по этому мониторингу', [{ path: 'organisationIds', message: `Без рекомендаций: ${unknown.join(', ')}` }]);
  const letters = groups.filter((g) => !chosen || chosen.includes(g.id));
  if (!letters.length) throw new ServiceError('validation', 'NO_RECOMMENDATIONS', 'Письма не выпущены: по мониторингу нет адресных рекомендаций организациям — выдайте их на странице «Рекомендации и решения»');
  const template = await templateInUse(db, opts.municipalityId, 'recommendations_letter');
  const date = documentDate(opts.today);
  const out: DocumentDto[] = [];
  for (const g of letters) {
    const text = recommendationsLetterDefaults({ campaignTitle: campaign.title, periodLabel: period, organisationFull: g.fullName, count: g.recs.length });
    const rows = recommendationRows(g.recs, req.requisites.name);
    out.push(await issueDocument(db, actor, patternOf(req.requisites, 'letter'), {
      municipalityId: opts.municipalityId, kind: 'letter', issuedOn: opts.today, title: `${text.title} — ${g.name}`, campaignId: campaign.id,
      fields: { templateKind: 'recommendations_letter', ...text, organisationId: g.id, source: { requisitesVersion: req.version, campaignUpdatedAt: new Date(campaign.updated_at).toISOString(), recommendations: g.recs.length } },
      template: { id: template.id, sha256: template.sha256 },
      sendTo: { organisations: [{ id: g.id, name: g.name }], sender: req.requisites.name },
      fileName: (number) => documentFileName('Письмо', number, date),
      render: (number) => {
        const data = {
          department: departmentOf(req.requisites), number, date, year: opts.today.slice(0, 4), addressee: text.addressee, title: text.title,
          paragraphs: text.paragraphs.map((t) => ({ text: t })), organisation: g.fullName, recommendations: rows,
        };
        return { content: renderTemplate(template.content, 'recommendations_letter', data), data: { ...data, template: template.sha256 } };
      },
    }));
  }
  return out;
}
