/** The information letter of a campaign (issue 18, seed 000): default texts from the campaign (its methodology's title
 * and goal, dates, participants, period), edited by the department, rendered on its letter template with the
 * requisites and issued with a register number; the representatives of the participating organisations are notified
 * (in the app and by e-mail, with the letter). A missing requisite refuses the letter naming it; nothing is issued. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { parsePeriod, periodLabel } from '../../core/calendar/periods.ts';
import { letterDefaults, type LetterText } from '../../core/documents/letter.ts';
import { documentDate } from '../../core/documents/register.ts';
import { patternOf, type Requisites } from '../../core/documents/requisites.ts';
import type { TemplateData } from '../../core/documents/template-tags.ts';
import type { Database } from '../../db/schema.ts';
import { findCampaignRow } from '../collection/campaigns.ts';
import { parseInput, type Actor } from '../errors.ts';
import { getMethodologyVersion } from '../methodology/methodology-versions.ts';
import { departmentOf, documentFileName, missingList, requireRequisites } from './issue-context.ts';
import { issueDocument, type DocumentDto } from './register.ts';
import { currentRequisites } from './requisites.ts';
import { renderTemplate, templateInUse } from './templates.ts';

export const letterInputSchema = z.strictObject({
  addressee: z.string().trim().min(1, 'Укажите адресата').max(500).optional(),
  title: z.string().trim().min(1, 'Укажите заголовок').max(500).optional(),
  paragraphs: z.array(z.string().trim().min(1, 'Пустой абзац: удалите его или заполните').max(5000)).min(1, 'Нужен хотя бы один абзац').max(60).optional(),
});

export interface LetterDraft extends LetterText {
  campaignId: string;
  /** The number the letter would take now is not reserved: it is taken only when issuing. */
  missingRequisites: { field: string; label: string }[];
}

async function source(db: Kysely<Database>, campaignId: string, requisites: Requisites | null) {
  const c = await findCampaignRow(db, campaignId);
  let methodologyTitle: string | null = null;
  let goal: string | null = null;
  let methodologyHash: string | null = null;
  try {
    const m = await getMethodologyVersion(db, c.methodology_id, c.methodology_version);
    methodologyTitle = m.title;
    goal = m.methodology.goal ?? null;
    methodologyHash = m.hash;
  } catch {
    // A campaign whose methodology version is gone still gets a letter, without the goal.
  }
  const orgs = await db.selectFrom('campaign_organisations as co').innerJoin('organisations as o', 'o.id', 'co.organisation_id').select(['o.id', 'o.short_name', 'o.type']).where('co.campaign_id', '=', c.id).orderBy('o.no').execute();
  const p = parsePeriod(c.period_code);
  const defaults = letterDefaults({
    campaignTitle: c.title,
    methodologyTitle,
    goal,
    opensOn: c.opens_on,
    dueOn: c.due_on,
    periodLabel: p.ok ? periodLabel(p.value) : c.period_code,
    participants: {
      count: orgs.length,
      schools: orgs.filter((o) => o.type === 'school').length,
      preschools: orgs.filter((o) => o.type === 'preschool').length,
      supplementary: orgs.filter((o) => o.type === 'supplementary').length,
    },
    departmentName: requisites?.name ?? '',
  });
  return { campaign: c, defaults, methodologyHash, organisations: orgs.map((o) => ({ id: o.id, name: o.short_name })) };
}

/** The letter's default texts and what is missing to issue it. */
export async function letterDraft(db: Kysely<Database>, municipalityId: string, campaignId: string): Promise<LetterDraft> {
  const req = await currentRequisites(db, municipalityId);
  const { campaign, defaults } = await source(db, campaignId, req?.requisites ?? null);
  return { campaignId: campaign.id, ...defaults, missingRequisites: missingList(req?.requisites ?? null) };
}

/** Issues the letter dated `today`: the fields sent replace the defaults. */
export async function issueLetter(db: Kysely<Database>, actor: Actor, opts: { municipalityId: string; campaignId: string; today: string }, input: unknown): Promise<DocumentDto> {
  const edited = parseInput(letterInputSchema, input ?? {});
  const req = await requireRequisites(db, opts.municipalityId, 'Письмо не выпущено');
  const requisites = req.requisites;
  const { campaign, defaults, methodologyHash, organisations } = await source(db, opts.campaignId, requisites);
  const text: LetterText = { addressee: edited.addressee ?? defaults.addressee, title: edited.title ?? defaults.title, paragraphs: edited.paragraphs ?? defaults.paragraphs };
  const template = await templateInUse(db, opts.municipalityId, 'letter');
  const department = departmentOf(requisites);
  return issueDocument(db, actor, patternOf(requisites, 'letter'), {
    municipalityId: opts.municipalityId,
    kind: 'letter',
    issuedOn: opts.today,
    title: text.title,
    campaignId: campaign.id,
    fields: { templateKind: 'letter', ...text, source: { requisitesVersion: req.version, campaignUpdatedAt: new Date(campaign.updated_at).toISOString(), methodology: `${campaign.methodology_id}@${campaign.methodology_version}`, methodologyHash } },
    template: { id: template.id, sha256: template.sha256 },
    sendTo: { organisations, sender: requisites.name },
    fileName: (number) => documentFileName('Письмо', number, documentDate(opts.today)),
    render: (number) => {
      const data: TemplateData = {
        department, number, date: documentDate(opts.today), year: opts.today.slice(0, 4),
        addressee: text.addressee, title: text.title, paragraphs: text.paragraphs.map((t) => ({ text: t })),
      };
      return { content: renderTemplate(template.content, 'letter', data), data: { ...data, template: template.sha256 } };
    },
  });
}
