/** `msoko generate`: writes a synthetic region (src/core/region/generate.ts) into the real tables — region,
 * municipalities, organisations, published campaigns per computable methodology and year with their participants,
 * accepted submissions, value history (corrected values keep their earlier row), status events, and one parents'
 * satisfaction survey per municipality for the latest year with its anonymous answers. Bulk inserts
 * (`jsonb_to_recordset`, one statement per chunk), one transaction per municipality, progress reported per
 * municipality. Everything is marked synthetic (region and municipality flags, names, `source_ref`). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import { generateMunicipality, municipalitySizes, planMethodology, SYNTHETIC_MARK, type MethodologyPlan, type RegionSpec, type SampleOrganisation } from '../../core/region/generate.ts';
import { parsePeriod, periodStart } from '../../core/calendar/periods.ts';
import type { Methodology } from '../../core/methodology/index.ts';
import type { OrganisationType } from '../../core/registry/schema.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, type Actor } from '../errors.ts';
import { loadMethodology } from '../methodology/methodology-library.ts';
import { newSurveyToken } from '../surveys/surveys.ts';
import { createUser } from '../admin/users.ts';

export const SAMPLE_CSV = fileURLToPath(new URL('../../../library/synthetic/seed-004-organisations.csv', import.meta.url));

/** The computable methodologies of the library and who takes part. Passports compute values (no points or levels);
 * `direction-preschool` names its areas without any measure and `direction-talents` duplicates the talents direction
 * of talents-2021, so neither is generated. */
export const SYNTHETIC_METHODOLOGIES: readonly { id: string; types: readonly OrganisationType[] }[] = [
  { id: 'talents-2021', types: ['school', 'preschool', 'supplementary'] },
  { id: 'direction-preparation', types: ['school'] },
  { id: 'direction-career', types: ['school'] },
  { id: 'direction-leaders', types: ['school', 'preschool', 'supplementary'] },
  { id: 'direction-teachers', types: ['school', 'preschool', 'supplementary'] },
  { id: 'direction-upbringing', types: ['school'] },
];

export async function readSample(file = SAMPLE_CSV): Promise<SampleOrganisation[]> {
  const { parse } = await import('csv-parse/sync');
  const rows = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return rows.map((r) => ({ type: r.type as OrganisationType, students: Number(r.students), programmes: Number(r.programmes) }));
}

export interface GenerateOptions extends Omit<RegionSpec, 'lastYear'> {
  lastYear?: number;
  /** Password of the generated regional analyst `region` (default demo2022); it is created only when missing. */
  password?: string;
  onProgress?: (line: string) => void;
}

export interface GenerateOutcome {
  regionId: string;
  regionName: string;
  municipalities: number;
  organisations: number;
  campaigns: number;
  values: number;
  historyRows: number;
  surveyResponses: number;
  ms: number;
}

const CHUNK = 5000;

async function bulk(trx: Transaction<Database>, table: string, columns: string, rows: readonly Record<string, unknown>[], returning?: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = JSON.stringify(rows.slice(i, i + CHUNK));
    const names = columns.split(',').map((c) => c.trim().split(' ')[0]).join(', ');
    const res = await sql<Record<string, unknown>>`insert into ${sql.table(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${chunk}::jsonb) as x(${sql.raw(columns)}) ${sql.raw(returning ? `returning ${returning}` : '')}`.execute(trx);
    out.push(...res.rows);
  }
  return out;
}

export async function generateRegion(db: Kysely<Database>, actor: Actor, opts: GenerateOptions): Promise<GenerateOutcome> {
  const started = performance.now();
  const spec: RegionSpec = { municipalities: opts.municipalities, organisations: opts.organisations, years: opts.years, seed: opts.seed, lastYear: opts.lastYear ?? 2021 };
  if (!Number.isInteger(spec.years) || spec.years < 1 || spec.years > 20) throw new ServiceError('validation', 'VALIDATION', 'Число лет — от 1 до 20');
  let sizes: number[];
  try {
    sizes = municipalitySizes(spec);
  } catch {
    throw new ServiceError('validation', 'VALIDATION', 'Нужно не меньше одного муниципалитета и не меньше 3 организаций на муниципалитет');
  }
  const sample = await readSample();
  const methodologies: { m: Methodology; plan: MethodologyPlan }[] = [];
  for (const s of SYNTHETIC_METHODOLOGIES) {
    const loaded = await loadMethodology(s.id);
    if (!loaded.ok) throw new ServiceError('conflict', 'METHODOLOGY_UNREADABLE', `Методика «${s.id}» не читается`);
    methodologies.push({ m: loaded.methodology, plan: planMethodology(loaded.methodology, s.types) });
  }
  const byId = new Map(methodologies.map((x) => [x.m.id, x.m]));
  const regionName = `Синтетический регион, seed ${spec.seed} (${SYNTHETIC_MARK})`;
  if (await db.selectFrom('regions').select('id').where('name', '=', regionName).executeTakeFirst()) {
    throw new ServiceError('conflict', 'REGION_EXISTS', `«${regionName}» уже создан в этой базе: укажите другой --seed или другую базу`);
  }
  const region = await db.insertInto('regions').values({ name: regionName, synthetic: true }).returning('id').executeTakeFirstOrThrow();
  const sourceRef = `synthetic:seed=${spec.seed}`;
  const totals = { organisations: 0, campaigns: 0, values: 0, historyRows: 0, surveyResponses: 0 };

  for (let i = 0; i < spec.municipalities; i++) {
    const t0 = performance.now();
    const g = generateMunicipality(spec, sizes, i, sample, methodologies.map((x) => x.plan));
    const counts = await db.transaction().execute(async (trx) => {
      const mun = await trx.insertInto('municipalities').values({ name: g.name, region_id: region.id, synthetic: true }).returning('id').executeTakeFirstOrThrow();
      const orgRows = await bulk(
        trx, 'organisations', 'municipality_id uuid, no int, short_name text, full_name text, type text, growth_point boolean',
        g.organisations.map((o) => ({ municipality_id: mun.id, no: o.no, short_name: o.shortName, full_name: o.fullName, type: o.type, growth_point: o.growthPoint })),
        'id, no',
      );
      const orgId = new Map(orgRows.map((r) => [Number(r.no), String(r.id)]));
      const idOf = (k: number) => orgId.get(g.organisations[k]!.no) as string;
      let values = 0;
      let history = 0;
      for (const c of g.campaigns) {
        const m = byId.get(c.methodologyId) as Methodology;
        const period = parsePeriod(c.period);
        const start = period.ok ? periodStart(period.value) : `${c.year}-09-01`;
        const opens = `${c.year + 1}-02-15`;
        const types = methodologies.find((x) => x.m.id === c.methodologyId)?.plan.types ?? [];
        const campaign = await trx
          .insertInto('campaigns')
          .values({
            title: `${m.title} — ${c.period} (${SYNTHETIC_MARK})`,
            methodology_id: m.id, methodology_version: m.version, period_code: c.period, period_start: start,
            selection: JSON.stringify(types.length === 3 ? { mode: 'all' } : { mode: 'types', types }),
            opens_on: opens, due_on: `${c.year + 1}-06-01`, closes_on: `${c.year + 1}-06-30`, status: 'published', created_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const steps: [string | null, string][] = [[null, 'draft'], ['draft', 'open'], ['open', 'closed'], ['closed', 'published']];
        await trx.insertInto('campaign_events').values(steps.map(([from, to]) => ({ campaign_id: campaign.id, from_status: from as 'draft' | null, to_status: to as 'draft', reason: null, actor_user_id: actor.userId, actor_login: actor.login }))).execute();
        await bulk(trx, 'campaign_organisations', 'campaign_id uuid, organisation_id uuid', c.organisations.map((k) => ({ campaign_id: campaign.id, organisation_id: idOf(k) })));
        await bulk(trx, 'submissions', 'campaign_id uuid, organisation_id uuid, status text', c.organisations.map((k) => ({ campaign_id: campaign.id, organisation_id: idOf(k), status: 'accepted' })));
        const rows: Record<string, unknown>[] = [];
        for (const v of c.values) {
          const base = { campaign_id: campaign.id, organisation_id: idOf(v.organisation), input: v.input, actor_login: 'generator', source_ref: sourceRef };
          if (v.earlier !== null) rows.push({ ...base, value: v.earlier, evidence_url: null, source: 'form', at: `${c.year + 1}-03-01T09:00:00Z` });
          rows.push({ ...base, value: v.value, evidence_url: v.evidenceUrl, source: v.earlier !== null ? 'form' : 'import', at: `${c.year + 1}-04-01T09:00:00Z` });
        }
        await bulk(trx, 'value_history', 'campaign_id uuid, organisation_id uuid, input text, value jsonb, evidence_url text, source text, source_ref text, actor_login text, at timestamptz', rows);
        values += c.values.length;
        history += rows.length;
      }
      // Parents' satisfaction survey of the latest year: one 0–10 question (loyalty), anonymous answers per organisation.
      const last = spec.lastYear;
      const survey = await trx
        .insertInto('surveys')
        .values({
          title: `Удовлетворённость родителей дополнительным образованием — ${last}/${last + 1} (${SYNTHETIC_MARK})`,
          methodology_id: 'talents-2021', period_code: `${last}/${last + 1}`, audience: 'parents', selection: JSON.stringify({ mode: 'all' }),
          opens_on: `${last + 1}-03-01`, closes_on: `${last + 1}-03-31`, status: 'closed', created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const question = await trx
        .insertInto('survey_questions')
        .values({ survey_id: survey.id, position: 1, kind: 'scale', text: 'Насколько вы готовы рекомендовать дополнительное образование в этой организации? (0–10)', options: '[]', required: true, loyalty: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      await bulk(trx, 'survey_links', 'survey_id uuid, organisation_id uuid, token text', g.organisations.map((_, k) => ({ survey_id: survey.id, organisation_id: idOf(k), token: newSurveyToken() })));
      const responses = g.surveyScores.flatMap((scores, k) => scores.map(() => ({ survey_id: survey.id, organisation_id: idOf(k), submitted_on: `${last + 1}-03-15` })));
      const ids = await bulk(trx, 'survey_responses', 'survey_id uuid, organisation_id uuid, submitted_on date', responses, 'id');
      const scores = g.surveyScores.flat();
      await bulk(trx, 'survey_answers', 'response_id uuid, question_id uuid, value text', ids.map((r, k) => ({ response_id: r.id, question_id: question.id, value: String(scores[k]) })));
      await recordAudit(trx, actor, {
        action: 'region.generate_municipality', targetType: 'municipality', targetId: mun.id,
        details: { synthetic: true, seed: spec.seed, region: regionName, organisations: g.organisations.length, campaigns: g.campaigns.length, values, historyRows: history, surveyResponses: responses.length },
      });
      return { organisations: g.organisations.length, campaigns: g.campaigns.length, values, history, responses: responses.length };
    });
    totals.organisations += counts.organisations;
    totals.campaigns += counts.campaigns;
    totals.values += counts.values;
    totals.historyRows += counts.history;
    totals.surveyResponses += counts.responses;
    opts.onProgress?.(`${i + 1}/${spec.municipalities} ${g.name}: организаций ${counts.organisations}, мониторингов ${counts.campaigns}, значений ${counts.values} (строк истории ${counts.history}), ответов ${counts.responses} — ${Math.round(performance.now() - t0)} мс`);
  }
  if (!(await db.selectFrom('users').select('id').where('login', '=', 'region').executeTakeFirst())) {
    await createUser(db, actor, { login: 'region', fullName: 'Региональный аналитик (синтетический регион)', role: 'regional_analyst', password: opts.password ?? 'demo2022' }, null, region.id);
  }
  return { regionId: region.id, regionName, municipalities: spec.municipalities, ...totals, ms: Math.round(performance.now() - started) };
}
