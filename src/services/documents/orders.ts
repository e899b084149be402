/** The orders (issue 18), generated from msoko's data, edited, issued with the orders' register number and stored:
 * - approving the passports and road maps of chosen directions (seed 001): a point and an appendix per direction —
 *   the passport in force (its methodology version) and the plan of events of the year (as imported and edited in
 *   msoko; the library's plan when the year has none);
 * - on a monitoring's results: its addressed recommendations with the indicator, deadline and person responsible.
 * A missing requisite refuses the order before a number is taken. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { parsePeriod, periodLabel } from '../../core/calendar/periods.ts';
import { ADDRESSEE_LABELS, DIRECTION_CODES, DIRECTION_LABELS, DirectionSchema, type DirectionCode } from '../../core/cycle/index.ts';
import { approvalOrderDefaults, passportRows, resultsOrderDefaults, roadmapRows, type OrderText, type PassportSource, type RoadmapSource } from '../../core/documents/orders.ts';
import { byOrganisationThenDue, recommendationRows, type RecommendationSource } from '../../core/documents/recommendation-rows.ts';
import { documentDate } from '../../core/documents/register.ts';
import { patternOf } from '../../core/documents/requisites.ts';
import type { Database } from '../../db/schema.ts';
import { findCampaignRow } from '../collection/campaigns.ts';
import { loadRoadmapTemplate } from '../cycle/roadmaps.ts';
import { loadPassport } from '../cycle/passports.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';
import { getMethodologyVersion } from '../methodology/methodology-versions.ts';
import { ownOrLegacy } from '../municipal-scope.ts';
import { departmentOf, documentFileName, missingList, requireRequisites } from './issue-context.ts';
import { issueDocument, type DocumentDto } from './register.ts';
import { currentRequisites } from './requisites.ts';
import { renderTemplate, templateInUse } from './templates.ts';

const textFields = {
  title: z.string().trim().min(1, 'Укажите заголовок').max(500).optional(),
  preamble: z.string().trim().min(1, 'Укажите преамбулу').max(5000).optional(),
  paragraphs: z.array(z.string().trim().min(1, 'Пустой пункт: удалите его или заполните').max(5000)).min(1, 'Нужен хотя бы один пункт').max(60).optional(),
};

export const approvalOrderInputSchema = z.strictObject({
  directions: z.array(DirectionSchema).min(1, 'Выберите хотя бы одно направление').max(DIRECTION_CODES.length).optional(),
  year: z.number().int().min(2000).max(2100).optional(),
  ...textFields,
});

export const resultsOrderInputSchema = z.strictObject(textFields);

interface DirectionSource { direction: DirectionCode; passport: PassportSource & { id: string; version: string | null }; roadmap: RoadmapSource & { from: 'year' | 'library' } }

/** The passport in force and the plan of events of the year (imported, else the library's) of a direction. */
async function directionSource(db: Kysely<Database>, municipalityId: string, direction: DirectionCode, year: number): Promise<DirectionSource> {
  const p = await loadPassport(db, direction);
  if (!p.ok) throw new ServiceError('validation', 'PASSPORT_INVALID', `Паспорт направления «${DIRECTION_LABELS[direction]}» не разобран: ${p.errors.map((e) => e.message).join('; ')}`);
  const m = p.methodology;
  const seen = new Set<string>();
  const indicators = Object.values(m.indicators).filter((i) => !i.code || (!seen.has(i.code) && !!seen.add(i.code)))
    .map((i) => ({ code: i.code ?? null, title: i.title, target: i.target ?? null, unit: i.unit ?? null }));
  const passport = {
    id: m.id, version: p.version ?? m.version, directionLabel: DIRECTION_LABELS[direction], title: m.title, goal: m.goal ?? null, expectedResult: m.expected_result ?? null,
    indicators, inputs: Object.values(m.inputs).map((i) => i.title ?? '').filter(Boolean),
  };
  const template = await loadRoadmapTemplate(direction).catch(() => null);
  const rows = await db.selectFrom('roadmap_events').select(['section', 'number', 'title', 'deadline_text', 'executor', 'expected_document'])
    .where(ownOrLegacy('municipality_id', municipalityId)).where('direction', '=', direction).where('year', '=', year).where('removed_at', 'is', null)
    .orderBy('template_seq', (ob) => ob.asc().nullsLast()).orderBy('created_at').execute();
  const title = template?.template.title ?? `План мероприятий («дорожная карта») по направлению «${DIRECTION_LABELS[direction]}»`;
  if (rows.length) {
    return { direction, passport, roadmap: { title, from: 'year', events: rows.map((r) => ({ section: r.section, number: r.number, title: r.title, deadline: r.deadline_text, executor: r.executor, result: r.expected_document })) } };
  }
  if (!template) throw new ServiceError('validation', 'ROADMAP_MISSING', `Для направления «${DIRECTION_LABELS[direction]}» нет плана мероприятий на ${year} год: импортируйте или добавьте мероприятия на странице «Дорожные карты»`);
  return { direction, passport, roadmap: { title, from: 'library', events: template.events.map((e) => ({ section: e.section ?? null, number: e.number ?? null, title: e.title, deadline: e.deadline, executor: e.executor, result: e.expected_document ?? null })) } };
}

async function approvalSources(db: Kysely<Database>, municipalityId: string, directions: readonly DirectionCode[], year: number): Promise<DirectionSource[]> {
  const out: DirectionSource[] = [];
  for (const d of DIRECTION_CODES.filter((c) => directions.includes(c))) out.push(await directionSource(db, municipalityId, d, year));
  return out;
}

export interface ApprovalOrderDraft extends OrderText {
  year: number;
  directions: { direction: DirectionCode; label: string; passport: { id: string; version: string | null; title: string }; roadmap: { title: string; events: number; from: 'year' | 'library' } }[];
  missingRequisites: { field: string; label: string }[];
}

export async function approvalOrderDraft(db: Kysely<Database>, municipalityId: string, opts: { year: number; directions?: readonly DirectionCode[] }): Promise<ApprovalOrderDraft> {
  const req = await currentRequisites(db, municipalityId);
  const sources = await approvalSources(db, municipalityId, opts.directions ?? DIRECTION_CODES, opts.year);
  const defaults = approvalOrderDefaults({ directions: sources });
  return {
    ...defaults, year: opts.year, missingRequisites: missingList(req?.requisites ?? null),
    directions: sources.map((s) => ({ direction: s.direction, label: DIRECTION_LABELS[s.direction], passport: { id: s.passport.id, version: s.passport.version, title: s.passport.title }, roadmap: { title: s.roadmap.title, events: s.roadmap.events.length, from: s.roadmap.from } })),
  };
}

export async function issueApprovalOrder(db: Kysely<Database>, actor: Actor, opts: { municipalityId: string; today: string }, input: unknown): Promise<DocumentDto> {
  const edited = parseInput(approvalOrderInputSchema, input ?? {});
  const req = await requireRequisites(db, opts.municipalityId, 'Приказ не выпущен');
  const year = edited.year ?? Number(opts.today.slice(0, 4));
  const sources = await approvalSources(db, opts.municipalityId, edited.directions ?? DIRECTION_CODES, year);
  const defaults = approvalOrderDefaults({ directions: sources });
  const text: OrderText = { title: edited.title ?? defaults.title, preamble: edited.preamble ?? defaults.preamble, paragraphs: edited.paragraphs ?? defaults.paragraphs };
  const template = await templateInUse(db, opts.municipalityId, 'order_approval');
  const date = documentDate(opts.today);
  return issueDocument(db, actor, patternOf(req.requisites, 'order'), {
    municipalityId: opts.municipalityId, kind: 'order', issuedOn: opts.today, title: text.title, campaignId: null,
    fields: {
      templateKind: 'order_approval', ...text, year,
      source: { requisitesVersion: req.version, directions: sources.map((s) => ({ direction: s.direction, passport: `${s.passport.id}@${s.passport.version}`, roadmap: s.roadmap.from, events: s.roadmap.events.length })) },
    },
    template: { id: template.id, sha256: template.sha256 },
    fileName: (number) => documentFileName('Приказ', number, date),
    render: (number) => {
      const data = {
        department: departmentOf(req.requisites), number, date, year: opts.today.slice(0, 4), title: text.title, preamble: text.preamble, paragraphs: text.paragraphs.map((t) => ({ text: t })),
        appendices: sources.map((s, i) => ({ appendixNo: String(i + 1), passportTitle: `Паспорт: ${s.passport.title}`, passport: passportRows(s.passport), roadmapTitle: s.roadmap.title, rows: roadmapRows(s.roadmap) })),
      };
      return { content: renderTemplate(template.content, 'order_approval', data), data: { ...data, template: template.sha256 } };
    },
  });
}

/** A campaign's recommendations as document rows' sources (with the organisation's full name and the methodology's
 * indicator titles), ordered by organisation, then deadline. */
export async function campaignRecommendations(db: Kysely<Database>, campaignId: string): Promise<{ campaign: Awaited<ReturnType<typeof findCampaignRow>>; methodologyTitle: string | null; recs: (RecommendationSource & { organisationId: string | null; organisationFull: string | null })[] }> {
  const campaign = await findCampaignRow(db, campaignId);
  const m = await getMethodologyVersion(db, campaign.methodology_id, campaign.methodology_version).catch(() => null);
  const titleOf = (id: string | null) => (id ? (m?.methodology.indicators[id]?.title ?? id) : null);
  const rows = await db.selectFrom('recommendations as r').leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.organisation_id', 'o.short_name', 'o.full_name', 'r.addressee_kind', 'r.text', 'r.indicator', 'r.due_date'])
    .where('r.campaign_id', '=', campaign.id).execute();
  const recs = rows.map((r) => ({
    organisationId: r.organisation_id, organisation: r.short_name, organisationFull: r.full_name, addresseeKind: r.addressee_kind,
    addresseeLabel: ADDRESSEE_LABELS[r.addressee_kind], text: r.text, indicator: titleOf(r.indicator), dueDate: r.due_date,
  }));
  return { campaign, methodologyTitle: m?.title ?? null, recs: byOrganisationThenDue(recs) };
}

async function resultsSource(db: Kysely<Database>, campaignId: string, departmentName: string) {
  const { campaign, methodologyTitle, recs } = await campaignRecommendations(db, campaignId);
  const p = parsePeriod(campaign.period_code);
  const defaults = resultsOrderDefaults({ campaignTitle: campaign.title, periodLabel: p.ok ? periodLabel(p.value) : campaign.period_code, methodologyTitle, organisations: new Set(recs.map((r) => r.organisationId)).size });
  return { campaign, defaults, rows: recommendationRows(recs, departmentName) };
}

export interface ResultsOrderDraft extends OrderText {
  campaignId: string;
  recommendations: number;
  missingRequisites: { field: string; label: string }[];
}

export async function resultsOrderDraft(db: Kysely<Database>, municipalityId: string, campaignId: string): Promise<ResultsOrderDraft> {
  const req = await currentRequisites(db, municipalityId);
  const { campaign, defaults, rows } = await resultsSource(db, campaignId, req?.requisites.name ?? '');
  return { campaignId: campaign.id, ...defaults, recommendations: rows.length, missingRequisites: missingList(req?.requisites ?? null) };
}

export async function issueResultsOrder(db: Kysely<Database>, actor: Actor, opts: { municipalityId: string; campaignId: string; today: string }, input: unknown): Promise<DocumentDto> {
  const edited = parseInput(resultsOrderInputSchema, input ?? {});
  const req = await requireRequisites(db, opts.municipalityId, 'Приказ не выпущен');
  const { campaign, defaults, rows } = await resultsSource(db, opts.campaignId, req.requisites.name);
  if (!rows.length) throw new ServiceError('validation', 'NO_RECOMMENDATIONS', 'Приказ не выпущен: по мониторингу нет адресных рекомендаций — выдайте их на странице «Рекомендации и решения»');
  const text: OrderText = { title: edited.title ?? defaults.title, preamble: edited.preamble ?? defaults.preamble, paragraphs: edited.paragraphs ?? defaults.paragraphs };
  const template = await templateInUse(db, opts.municipalityId, 'order_results');
  const date = documentDate(opts.today);
  return issueDocument(db, actor, patternOf(req.requisites, 'order'), {
    municipalityId: opts.municipalityId, kind: 'order', issuedOn: opts.today, title: text.title, campaignId: campaign.id,
    fields: { templateKind: 'order_results', ...text, source: { requisitesVersion: req.version, campaignUpdatedAt: new Date(campaign.updated_at).toISOString(), methodology: `${campaign.methodology_id}@${campaign.methodology_version}`, recommendations: rows.length } },
    template: { id: template.id, sha256: template.sha256 },
    fileName: (number) => documentFileName('Приказ', number, date),
    render: (number) => {
      const data = {
        department: departmentOf(req.requisites), number, date, year: opts.today.slice(0, 4), title: text.title, preamble: text.preamble, paragraphs: text.paragraphs.map((t) => ({ text: t })),
        appendixTitle: `Адресные рекомендации по результатам мониторинга «${campaign.title}»`, recommendations: rows,
      };
      return { content: renderTemplate(template.content, 'order_results', data), data: { ...data, template: template.sha256 } };
    },
  });
}
