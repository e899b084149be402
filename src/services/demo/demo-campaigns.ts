/** Demo campaigns (issue 10) on `talents-2021`, created and filled through campaigns.ts and submissions.ts:
 * - seed 004's «Мониторинг охвата дополнительным образованием, 2021»: every organisation's students and programmes
 *   from organisations.csv submitted and accepted, then closed and published;
 * - the previous year, 2020, synthetic and marked so in its title, likewise accepted, closed and published;
 * - the open campaign of the current academic year: some forms accepted, some submitted, some returned with a
 *   comment, some drafts and some not started — the latter overdue (dates relative to the seeding day). */
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { academicYearOf, apportion, currentCampaignDates, currentCampaignState, currentYearFigures, syntheticPreviousYear, type OrganisationFigures } from '../../core/demo/plan.ts';
import type { Database } from '../../db/schema.ts';
import { listCampaignTables, uploadCampaignTable } from '../analysis/campaign-inputs.ts';
import { changeCampaignStatus, createCampaign, type CampaignRecord } from '../collection/campaigns.ts';
import type { Actor } from '../errors.ts';
import { appendValues, changeSubmissionStatus, type ValueEntry } from '../collection/submissions.ts';
import { SEED004_DIR, readSeed004Organisations } from './demo-files.ts';
import { seedDemoPrintedReport } from './demo-printed-report.ts';
import type { DemoContext } from './demo-context.ts';

export const DEMO_METHODOLOGY = { id: 'talents-2021', version: '2021.1' } as const;
export const SEED004_CAMPAIGN_TITLE = 'Мониторинг охвата дополнительным образованием, 2021';
export const PREVIOUS_CAMPAIGN_TITLE = 'Мониторинг охвата дополнительным образованием, 2020 (синтетические данные демо)';
export const currentCampaignTitle = (today: string): string => `Мониторинг охвата дополнительным образованием, ${academicYearOf(today).code} учебный год`;

/** Seed 004 prints only the municipal number of students surveyed about their needs: 2651 (2021). The demo spreads
 * it over the organisations in proportion to their enrolment (the form requires the figure). */
export const SURVEYED_STUDENTS_2021 = 2651;
export const RETURN_COMMENT =
  'Численность обучающихся расходится с отчётом ОО-1 на начало учебного года. Проверьте значение и отправьте форму повторно.';

export interface DemoCampaigns {
  previous: CampaignRecord;
  seed004: CampaignRecord;
  current: CampaignRecord;
}

async function findByTitle(db: Kysely<Database>, title: string): Promise<CampaignRecord | undefined> {
  return db.selectFrom('campaigns').selectAll().where('title', '=', title).orderBy('created_at').executeTakeFirst();
}

async function ensureCampaign(ctx: DemoContext, title: string, period: string, dates: { opensOn: string; dueOn: string; closesOn: string }): Promise<CampaignRecord> {
  const found = await findByTitle(ctx.db, title);
  if (found) return found;
  await createCampaign(ctx.db, ctx.actors.analyst, {
    title,
    methodologyId: DEMO_METHODOLOGY.id,
    methodologyVersion: DEMO_METHODOLOGY.version,
    period,
    participants: { mode: 'all' },
    ...dates,
  });
  return (await findByTitle(ctx.db, title))!;
}

async function statusesOf(db: Kysely<Database>, campaignId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('submissions').select(['organisation_id', 'status']).where('campaign_id', '=', campaignId).execute();
  return new Map(rows.map((r) => [r.organisation_id, r.status]));
}

function entries(f: Partial<OrganisationFigures>): ValueEntry[] {
  const out: ValueEntry[] = [];
  if (f.students !== undefined) out.push({ input: 'students', value: f.students, evidenceUrl: null });
  if (f.programmes !== undefined) out.push({ input: 'programmes', value: f.programmes, evidenceUrl: null });
  if (f.surveyedStudents !== undefined) out.push({ input: 'surveyed_students', value: f.surveyedStudents, evidenceUrl: null });
  return out;
}

interface FormPlan {
  orgId: string;
  figures: Partial<OrganisationFigures>;
  target: 'accepted' | 'submitted' | 'returned' | 'draft';
  actor: Actor;
  source: 'form' | 'import';
  sourceRef: string | null;
  submitComment: string;
}

/** Brings one form to its target state from wherever an earlier (possibly interrupted) run left it. */
async function driveForm(ctx: DemoContext, campaign: CampaignRecord, p: FormPlan, status: string | undefined): Promise<void> {
  const access = { scope: null };
  const done = { accepted: ['accepted'], submitted: ['submitted', 'accepted'], returned: ['returned'], draft: ['draft', 'submitted', 'accepted', 'returned'] }[p.target];
  if (status && done.includes(status)) return;
  if (status === undefined || status === 'draft' || status === 'returned') {
    await appendValues(ctx.db, p.actor, campaign, p.orgId, entries(p.figures), p.source, p.sourceRef);
    if (p.target === 'draft') return;
    await changeSubmissionStatus(ctx.db, p.actor, campaign.id, p.orgId, 'submit', { comment: p.submitComment }, access);
  }
  if (p.target === 'accepted') await changeSubmissionStatus(ctx.db, ctx.actors.analyst, campaign.id, p.orgId, 'accept', { comment: '' }, access);
  if (p.target === 'returned') await changeSubmissionStatus(ctx.db, ctx.actors.analyst, campaign.id, p.orgId, 'return', { comment: RETURN_COMMENT }, access);
}

/** A past campaign: open it, accept every form, close and publish. Skips everything once it is published. */
async function seedPastCampaign(ctx: DemoContext, campaign: CampaignRecord, plans: FormPlan[]): Promise<CampaignRecord> {
  if (campaign.status === 'published') return campaign;
  if (campaign.status === 'draft') await changeCampaignStatus(ctx.db, ctx.actors.analyst, campaign.id, 'open');
  let status = (await findByTitle(ctx.db, campaign.title))!.status;
  if (status === 'open') {
    const subs = await statusesOf(ctx.db, campaign.id);
    for (const p of plans) await driveForm(ctx, campaign, p, subs.get(p.orgId));
    await changeCampaignStatus(ctx.db, ctx.actors.analyst, campaign.id, 'close');
    status = 'closed';
  }
  if (status === 'closed') await changeCampaignStatus(ctx.db, ctx.actors.analyst, campaign.id, 'publish');
  return (await findByTitle(ctx.db, campaign.title))!;
}

export async function seedDemoCampaigns(ctx: DemoContext): Promise<DemoCampaigns> {
  const rows = await readSeed004Organisations();
  const surveyed = apportion(SURVEYED_STUDENTS_2021, rows.map((r) => r.students));
  const figures2021 = new Map(rows.map((r, i) => [r.no, { students: r.students, programmes: r.programmes, surveyedStudents: surveyed[i]! }]));
  const orgId = (no: number) => {
    const o = ctx.orgs.get(no);
    if (!o) throw new Error(`Демо: в реестре нет организации №${no} — сначала загрузите организации (seedDemo)`);
    return o.id;
  };

  // The previous year first: the 2021 forms compare with it (the «change» rule), the current year with 2021.
  const previous = await ensureCampaign(ctx, PREVIOUS_CAMPAIGN_TITLE, '2020', { opensOn: '2021-06-14', dueOn: '2021-06-21', closesOn: '2021-06-30' });
  const prevDone = await seedPastCampaign(
    ctx,
    previous,
    rows.map((r) => ({
      orgId: orgId(r.no),
      figures: syntheticPreviousYear(figures2021.get(r.no)!, r.no),
      target: 'accepted',
      actor: ctx.actors.analyst,
      source: 'import',
      sourceRef: 'синтетические данные демо (2020)',
      submitComment: 'Синтетические данные демо за 2020 год — для показа динамики',
    })),
  );

  const seed004 = await ensureCampaign(ctx, SEED004_CAMPAIGN_TITLE, '2021', { opensOn: '2022-06-21', dueOn: '2022-06-23', closesOn: '2022-06-30' });
  // The municipality's coverage and the enrolments by programme focus: tables the analyst uploads (not forms). The
  // satisfaction table as the protocol printed it: its values come from the parents' survey, its printed figures (the
  // total of 14 577 children where the rows sum to 16 452, hence 3.1 printed 58,6 % against 51,9 %) are shown beside
  // the computed ones (src/core/analysis/printed.ts, issue 24).
  const uploaded = new Set((await listCampaignTables(ctx.db, seed004.id)).map((t) => t.datasetId));
  for (const [dataset, file] of [['coverage', 'coverage.csv'], ['focus', 'focus.csv'], ['satisfaction', 'satisfaction.csv']] as const) {
    if (uploaded.has(dataset)) continue;
    await uploadCampaignTable(ctx.db, ctx.actors.analyst, seed004.id, { name: file, buffer: await readFile(`${SEED004_DIR}${file}`) });
  }
  const seedDone = await seedPastCampaign(
    ctx,
    seed004,
    rows.map((r, i) => ({
      orgId: orgId(r.no),
      figures: figures2021.get(r.no)!,
      target: 'accepted',
      actor: ctx.actors.analyst,
      source: 'import',
      sourceRef: `протокол №6 от 30.06.2022, таблица 3, строка ${i + 1}; анкетирование — доля от 2651 пропорционально численности`,
      submitComment: 'Данные аналитической справки по итогам мониторинга (протокол №6 от 30.06.2022)',
    })),
  );

  await seedDemoPrintedReport(ctx, seed004.id, orgId);

  const current = await ensureCampaign(ctx, currentCampaignTitle(ctx.today), academicYearOf(ctx.today).code, currentCampaignDates(ctx.today));
  if (current.status === 'draft') await changeCampaignStatus(ctx.db, ctx.actors.analyst, current.id, 'open');
  const currentRow = (await findByTitle(ctx.db, current.title))!;
  if (currentRow.status === 'open') {
    const subs = await statusesOf(ctx.db, current.id);
    for (const r of rows) {
      const state = currentCampaignState(r.no);
      if (state === 'not_started') continue;
      const own = r.no === 1 ? ctx.actors.oo1 : r.no === 47 ? ctx.actors.dou34 : null;
      const f = currentYearFigures(figures2021.get(r.no)!, r.no);
      await driveForm(ctx, currentRow, {
        orgId: orgId(r.no),
        // A draft holds only part of the form: the representative has not finished it.
        figures: state === 'draft' ? { students: f.students } : f,
        target: state,
        actor: own ?? ctx.actors.analyst,
        source: own ? 'form' : 'import',
        sourceRef: own ? null : 'демо: данные ИС «Навигатор» на 1 октября',
        submitComment: 'Данные на 1 октября текущего учебного года',
      }, subs.get(orgId(r.no)));
    }
  }
  return { previous: prevDone, seed004: seedDone, current: (await findByTitle(ctx.db, current.title))! };
}
