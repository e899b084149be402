/** «Что требует внимания» (issue 24): the start page of the signed-in role, read from the stored facts of the caller's
 * municipality (an organisation representative: of their organisation) and today's date. Nothing is stored; every item
 * links to the page where it is acted on. Shapes and date rules: src/core/notifications/attention.ts. */
import { sql, type Kysely } from 'kysely';
import {
  ageText,
  countOf,
  elapsedDays,
  dueState,
  dueText,
  progressText,
  section,
  submissionProgress,
  type Attention,
  type AttentionItem,
  type AttentionSection,
} from '../../core/notifications/attention.ts';
import { SUBMISSION_STATUS_LABELS } from '../../core/collection/schema.ts';
import { RECOMMENDATION_STATUS_LABELS } from '../../core/cycle/api-schema.ts';
import { DIRECTION_CODES, DIRECTION_LABELS } from '../../core/cycle/roadmap-schema.ts';
import { IMPORT_STATUS_LABELS } from '../../core/imports/schema.ts';
import { ROLE_LABELS, type Role } from '../../core/registry/schema.ts';
import { SURVEY_STATUS_LABELS } from '../../core/surveys/schema.ts';
import { formatDate, formatNumber } from '../../core/format.ts';
import type { Database } from '../../db/schema.ts';
import { campaignModel } from '../analysis/campaign-analysis.ts';
import { getCampaignDetail, hasParticipantIn, listCampaigns } from '../collection/campaigns.ts';
import { getCycleCompleteness } from '../cycle/cycle.ts';
import { listRecommendations } from '../cycle/recommendations.ts';
import { getRoadmap } from '../cycle/roadmaps.ts';
import { listSurveys } from '../surveys/surveys.ts';

export interface AttentionCaller {
  role: Role;
  /** The caller's municipality (request.municipalityScope); null: no municipal filter. */
  municipalityId: string | null;
  /** An organisation representative's organisation (request.orgScope). */
  organisationId: string | null;
}

/** Days after which the last backup is called old on the administrator's page. */
export const BACKUP_MAX_AGE_DAYS = 7;
/** How far back the administrator's page looks for failed jobs and failed sign-ins. */
export const ADMIN_LOOKBACK_DAYS = 7;

const REC_OPEN = ['issued', 'in_progress'] as const;
const short = (text: string, n = 140) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export async function getAttention(db: Kysely<Database>, caller: AttentionCaller, today: string, now: Date = new Date()): Promise<Attention> {
  const role = caller.role;
  if (role === 'regional_analyst') throw new Error('regional analysts start at /region');
  const sections =
    role === 'analyst'
      ? await analystSections(db, caller.municipalityId, today)
      : role === 'org_rep'
        ? await orgRepSections(db, caller, today)
        : role === 'working_group'
          ? await workingGroupSections(db, caller.municipalityId, today)
          : await adminSections(db, caller.municipalityId, now);
  return { role, today, sections };
}

// ---------------------------------------------------------------------------------------------------- analyst

async function analystSections(db: Kysely<Database>, municipalityId: string | null, today: string): Promise<AttentionSection[]> {
  const open = (await listCampaigns(db, { municipalityId })).filter((c) => c.status === 'open');
  const campaigns: AttentionItem[] = [];
  const toAccept: AttentionItem[] = [];
  const overdue: AttentionItem[] = [];
  for (const c of open) {
    const d = await getCampaignDetail(db, c.id, { today, municipalityId });
    const p = submissionProgress(d.rows);
    campaigns.push({ title: c.title, detail: `${dueText(c.dueOn, today)}; ${progressText(p)}`, href: `/campaigns/${c.id}`, tone: p.overdue > 0 ? 'overdue' : p.submitted > 0 ? 'warning' : 'info' });
    for (const r of d.rows) {
      const href = `/campaigns/${c.id}/organisations/${r.organisationId}`;
      if (r.status === 'submitted') {
        toAccept.push({ title: r.shortName, detail: `«${c.title}»: форма отправлена${r.updatedAt ? ` ${formatDate(r.updatedAt)}` : ''}, ждёт приёмки`, href, tone: 'warning' });
      }
      if (r.overdue) {
        overdue.push({ title: r.shortName, detail: `«${c.title}»: ${SUBMISSION_STATUS_LABELS[r.status].toLowerCase()}, заполнено ${formatNumber(r.filled)} из ${formatNumber(r.required)}; ${dueText(c.dueOn, today)}`, href, tone: 'overdue' });
      }
    }
  }

  const imports = await db
    .selectFrom('imports as i')
    .innerJoin('campaigns as c', 'c.id', 'i.campaign_id')
    .select(['i.id', 'i.file_name', 'i.status', 'i.created_at', 'c.title'])
    .where('i.status', 'in', ['queued', 'writing'])
    .$if(municipalityId !== null, (q) => q.where(hasParticipantIn(municipalityId as string)))
    .orderBy('i.created_at')
    .execute();
  const importItems: AttentionItem[] = imports.map((i) => ({
    title: i.file_name,
    detail: `«${i.title}»: ${IMPORT_STATUS_LABELS[i.status].toLowerCase()}, загружен ${formatDate(new Date(i.created_at).toISOString())}`,
    href: `/imports/${i.id}`,
    tone: 'info',
  }));

  const recs = (await listRecommendations(db, { orgScope: null, municipalityScope: municipalityId }))
    .filter((r) => (REC_OPEN as readonly string[]).includes(r.status) && r.dueDate !== null && dueState(r.dueDate, today) !== 'later')
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
  const recItems: AttentionItem[] = recs.map((r) => ({
    title: short(r.text),
    detail: `${r.organisationName ?? 'муниципалитет'}; ${RECOMMENDATION_STATUS_LABELS[r.status].toLowerCase()}; ${dueText(r.dueDate as string, today)}`,
    href: `/recommendations?direction=${r.direction}`,
    tone: (r.dueDate as string) < today ? 'overdue' : 'warning',
  }));

  const year = Number(today.slice(0, 4));
  const events: (AttentionItem & { due: string })[] = [];
  const broken: AttentionItem[] = [];
  for (const direction of DIRECTION_CODES) {
    const href = `/roadmaps?direction=${direction}&year=${year}`;
    const map = await getRoadmap(db, direction, year, today, municipalityId);
    for (const e of map.events) {
      for (const o of e.occurrences) {
        if (o.completion || dueState(o.due, today) === 'later') continue;
        events.push({ title: e.title, detail: `${DIRECTION_LABELS[direction]}: ${o.label}; ${e.executor}; ${dueText(o.due, today)}`, href, tone: o.due < today ? 'overdue' : 'warning', due: o.due });
      }
    }
    const cycle = await getCycleCompleteness(db, direction, year, today, municipalityId);
    const stage = cycle.stages.find((s) => s.state !== 'ok');
    if (stage) {
      broken.push({
        title: DIRECTION_LABELS[direction],
        detail: `разрыв на этапе «${stage.title}»${stage.missing[0] ? `: ${stage.missing[0]}` : ''} (этапов пройдено ${cycle.complete} из ${cycle.stages.length})`,
        href,
        tone: stage.state === 'missing' ? 'overdue' : 'warning',
      });
    }
  }
  events.sort((a, b) => a.due.localeCompare(b.due));

  return [
    section('campaigns', 'Открытые мониторинги', 'Открытых мониторингов нет.', campaigns, { href: '/campaigns', label: 'Все мониторинги' }),
    section('to-accept', 'Формы ждут приёмки', 'Отправленных и не принятых форм нет.', toAccept, { href: open[0] ? `/campaigns/${open[0].id}` : '/campaigns', label: 'Все формы мониторинга' }),
    section('overdue', 'Просроченные организации', 'Просроченных форм нет.', overdue, { href: open[0] ? `/campaigns/${open[0].id}` : '/campaigns', label: 'Все формы мониторинга' }),
    section('imports', 'Импорты выполняются', 'Сейчас ничего не импортируется.', importItems, { href: '/campaigns', label: 'Мониторинги' }),
    section('recommendations', 'Рекомендации: срок в этом месяце или прошёл', 'Рекомендаций со сроком в этом месяце или просроченных нет.', recItems, { href: '/recommendations', label: 'Все рекомендации' }),
    section('roadmap', 'Дорожные карты: мероприятия этого месяца и просроченные', 'Мероприятий со сроком в этом месяце или просроченных нет.', events.map(({ due: _due, ...i }) => i), { href: `/roadmaps?year=${year}`, label: 'Дорожные карты' }),
    section('cycle', 'Направления с разрывом цикла', 'Цикл управления замкнут по всем направлениям.', broken, { href: `/roadmaps?year=${year}`, label: 'Дорожные карты' }),
  ];
}

// ---------------------------------------------------------------------------------------- organisation representative

async function orgRepSections(db: Kysely<Database>, caller: AttentionCaller, today: string): Promise<AttentionSection[]> {
  const orgId = caller.organisationId;
  if (!orgId) return [];
  const campaigns = (await listCampaigns(db, { organisationId: orgId, municipalityId: caller.municipalityId })).filter((c) => c.status === 'open');
  const forms: AttentionItem[] = [];
  for (const c of campaigns) {
    const row = (await getCampaignDetail(db, c.id, { today, organisationId: orgId, municipalityId: caller.municipalityId })).rows[0];
    if (!row) continue;
    const done = row.status === 'submitted' || row.status === 'accepted';
    forms.push({
      title: c.title,
      detail: `${SUBMISSION_STATUS_LABELS[row.status]}; заполнено ${formatNumber(row.filled)} из ${formatNumber(row.required)}; ${dueText(c.dueOn, today)}`,
      href: `/campaigns/${c.id}/organisations/${orgId}`,
      tone: row.overdue ? 'overdue' : row.status === 'returned' ? 'warning' : done ? 'ok' : 'info',
    });
  }

  const returnedRows = await db
    .selectFrom('submissions as s')
    .innerJoin('campaigns as c', 'c.id', 's.campaign_id')
    .select(['s.campaign_id', 's.reviewer_comment', 's.updated_at', 'c.title', 'c.due_on'])
    .where('s.organisation_id', '=', orgId)
    .where('s.status', '=', 'returned')
    .where('c.status', '=', 'open')
    .orderBy('s.updated_at', 'desc')
    .execute();
  const returned: AttentionItem[] = returnedRows.map((r) => ({
    title: r.title,
    detail: `возвращено ${formatDate(new Date(r.updated_at).toISOString())}: ${r.reviewer_comment ? `«${short(r.reviewer_comment, 300)}»` : 'причина не указана'}; ${dueText(r.due_on, today)}`,
    href: `/campaigns/${r.campaign_id}/organisations/${orgId}`,
    tone: 'warning',
  }));

  const recs = (await listRecommendations(db, { orgScope: orgId, municipalityScope: caller.municipalityId }))
    .filter((r) => (REC_OPEN as readonly string[]).includes(r.status))
    .sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'));
  const recItems: AttentionItem[] = recs.map((r) => ({
    title: short(r.text),
    detail: `${RECOMMENDATION_STATUS_LABELS[r.status]}; ${r.dueDate ? dueText(r.dueDate, today) : 'срок не указан'}`,
    href: `/recommendations?direction=${r.direction}`,
    tone: r.dueDate && r.dueDate < today ? 'overdue' : r.dueDate && dueState(r.dueDate, today) === 'this_month' ? 'warning' : 'info',
  }));

  const surveys = (await listSurveys(db, { organisationId: orgId, municipalityId: caller.municipalityId })).filter((s) => s.status !== 'draft');
  const counts = new Map<string, number>();
  if (surveys.length) {
    const rows = await db
      .selectFrom('survey_responses')
      .select(['survey_id', sql<number>`count(*)::int`.as('n')])
      .where('organisation_id', '=', orgId)
      .where('survey_id', 'in', surveys.map((s) => s.id))
      .groupBy('survey_id')
      .execute();
    for (const r of rows) counts.set(r.survey_id, Number(r.n));
  }
  const surveyItems: AttentionItem[] = surveys.map((s) => ({
    title: s.title,
    detail: `${SURVEY_STATUS_LABELS[s.status]}, ${formatDate(s.opensOn)}–${formatDate(s.closesOn)}; ответов от вашей организации: ${formatNumber(counts.get(s.id) ?? 0)}`,
    href: `/surveys/${s.id}`,
    tone: s.status === 'open' ? 'info' : 'ok',
  }));

  return [
    section('forms', 'Мои формы', 'Открытых мониторингов с участием вашей организации нет.', forms, { href: '/campaigns', label: 'Все мониторинги' }),
    section('returned', 'Возвращено на доработку', 'Возвращённых форм нет.', returned),
    section('recommendations', 'Рекомендации моей организации', 'Невыполненных рекомендаций нет.', recItems, { href: '/recommendations', label: 'Все рекомендации' }),
    section('surveys', 'Опросы моей организации', 'Опросов с участием вашей организации нет.', surveyItems, { href: '/surveys', label: 'Все опросы' }),
  ];
}

// ------------------------------------------------------------------------------------------------- working group

/** The next meeting reviews the campaigns whose collection is over and that are not yet published (closed); when
 * there are none, the open campaign that closes first (its materials are being prepared). */
async function workingGroupSections(db: Kysely<Database>, municipalityId: string | null, today: string): Promise<AttentionSection[]> {
  const all = await listCampaigns(db, { municipalityId });
  const closed = all.filter((c) => c.status === 'closed');
  const next = closed.length ? closed : all.filter((c) => c.status === 'open').sort((a, b) => a.closesOn.localeCompare(b.closesOn)).slice(0, 1);
  const out: AttentionSection[] = [];
  for (const c of next) {
    const items: AttentionItem[] = [];
    const detail = await getCampaignDetail(db, c.id, { today, municipalityId });
    const p = submissionProgress(detail.rows);
    const stage = c.status === 'closed' ? 'сбор завершён, к утверждению' : `идёт сбор до ${formatDate(c.dueOn)}, завершение ${formatDate(c.closesOn)}`;
    items.push({ title: 'Проект протокола заседания рабочей группы (DOCX)', detail: `«${c.title}»: ${stage}`, href: `/api/campaigns/${c.id}/protocol`, tone: 'info' });
    items.push({ title: 'Аналитическая справка (проект)', detail: `по отправленным формам: ${progressText(p)}`, href: `/campaigns/${c.id}/analysis`, tone: p.accepted < p.total ? 'warning' : 'ok' });
    const { model } = await campaignModel(db, c.id, { municipalityId });
    const n = model.discrepancies.length;
    items.push({
      title: 'Расхождения с опубликованными данными',
      detail: n ? `${countOf(n, ['расхождение', 'расхождения', 'расхождений'])} при пересчёте по исходным данным` : 'расхождений при пересчёте нет',
      href: `/campaigns/${c.id}/analysis`,
      tone: n ? 'warning' : 'ok',
    });
    for (const w of model.warnings) items.push({ title: 'Замечание к расчёту', detail: w, href: `/campaigns/${c.id}/analysis`, tone: 'warning' });
    out.push(section(`meeting-${c.id}`, `Материалы ближайшего заседания: «${c.title}»`, '', items, { href: `/campaigns/${c.id}/analysis`, label: 'Анализ мониторинга' }));
  }
  if (!out.length) out.push(section('meeting', 'Материалы ближайшего заседания', 'Мониторингов, ожидающих рассмотрения рабочей группой, нет.', [], { href: '/campaigns', label: 'Все мониторинги' }));
  return out;
}

// ------------------------------------------------------------------------------------------------- administrator

async function adminSections(db: Kysely<Database>, municipalityId: string | null, now: Date): Promise<AttentionSection[]> {
  const users = await db
    .selectFrom('users')
    .select(['role', 'disabled', 'email'])
    .$if(municipalityId !== null, (q) => q.where('municipality_id', '=', municipalityId as string))
    .execute();
  const byRole = new Map<Role, { active: number; disabled: number; noEmail: number }>();
  for (const u of users) {
    const r = byRole.get(u.role) ?? { active: 0, disabled: 0, noEmail: 0 };
    if (u.disabled) r.disabled++;
    else {
      r.active++;
      if (!u.email) r.noEmail++;
    }
    byRole.set(u.role, r);
  }
  const userItems: AttentionItem[] = [...byRole].map(([role, r]) => ({
    title: ROLE_LABELS[role],
    detail: `${countOf(r.active, ['пользователь', 'пользователя', 'пользователей'])}${r.disabled ? `, отключено ${formatNumber(r.disabled)}` : ''}${r.noEmail ? `; без адреса e-mail ${formatNumber(r.noEmail)} (уведомления только в системе)` : ''}`,
    href: '/settings',
    tone: r.noEmail ? 'warning' : 'ok',
  }));

  const backup = await db.selectFrom('audit_log').select(['at', 'actor_login']).where('action', '=', 'backup.create').orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const backupAt = backup ? new Date(backup.at).toISOString() : null;
  const age = backupAt ? elapsedDays(backupAt, now.toISOString()) : null;
  const backupItem: AttentionItem = backupAt
    ? {
        title: 'Последняя резервная копия',
        detail: `${formatDate(backupAt)} (${ageText(age ?? 0)})${backup?.actor_login ? `, сделал ${backup.actor_login}` : ''}${(age ?? 0) > BACKUP_MAX_AGE_DAYS ? `; старше ${formatNumber(BACKUP_MAX_AGE_DAYS)} дней — сделайте новую` : ''}`,
        href: '/backup',
        tone: (age ?? 0) > BACKUP_MAX_AGE_DAYS ? 'overdue' : 'ok',
      }
    : { title: 'Резервная копия ещё не делалась', detail: 'скачайте копию базы на странице «Резервные копии»', href: '/backup', tone: 'overdue' };

  const since = new Date(now.getTime() - ADMIN_LOOKBACK_DAYS * 86_400_000);
  const jobs = await db
    .selectFrom('jobs as j')
    .leftJoin('users as u', 'u.id', 'j.created_by')
    .leftJoin('imports as i', 'i.job_id', 'j.id')
    .select(['j.id', 'j.kind', 'j.error', 'j.finished_at', 'j.created_at', 'u.login', 'i.id as import_id', 'i.file_name'])
    .where('j.status', '=', 'failed')
    .where('j.created_at', '>=', since)
    .$if(municipalityId !== null, (q) => q.where('u.municipality_id', '=', municipalityId as string))
    .orderBy('j.created_at', 'desc')
    .execute();
  const jobItems: AttentionItem[] = jobs.map((j) => ({
    title: j.file_name ? `Импорт «${j.file_name}»` : `Задание ${j.kind}`,
    detail: `${formatDate(new Date(j.finished_at ?? j.created_at).toISOString())}${j.login ? `, запустил ${j.login}` : ''}: ${short(j.error ?? 'ошибка не записана', 200)}`,
    href: j.import_id ? `/imports/${j.import_id}` : '/audit',
    tone: 'overdue',
  }));

  const failures = await db
    .selectFrom('login_attempts as a')
    .innerJoin('users as u', (j) => j.on(sql<boolean>`lower(u.login) = a.login`))
    .select(['a.login', sql<number>`count(*)::int`.as('n'), sql<Date>`max(a.at)`.as('last')])
    .where('a.success', '=', false)
    .where('a.at', '>=', since)
    .$if(municipalityId !== null, (q) => q.where('u.municipality_id', '=', municipalityId as string))
    .groupBy('a.login')
    .orderBy(sql`max(a.at)`, 'desc')
    .execute();
  const failureItems: AttentionItem[] = failures.map((f) => ({
    title: f.login,
    detail: `${countOf(Number(f.n), ['неудачная попытка', 'неудачные попытки', 'неудачных попыток'])} входа, последняя ${formatDate(new Date(f.last).toISOString())}`,
    href: '/audit',
    tone: Number(f.n) >= 5 ? 'overdue' : 'warning',
  }));

  return [
    section('users', 'Пользователи', 'Пользователей нет: добавьте их командой msoko user add.', userItems, { href: '/settings', label: 'Адреса e-mail пользователей' }),
    section('backup', 'Резервное копирование', '', [backupItem]),
    section('failed-jobs', `Сбои фоновых заданий за ${formatNumber(ADMIN_LOOKBACK_DAYS)} дней`, 'Сбоев нет.', jobItems, { href: '/audit', label: 'Журнал аудита' }),
    section('sign-in-failures', `Неудачные входы за ${formatNumber(ADMIN_LOOKBACK_DAYS)} дней`, 'Неудачных входов нет.', failureItems, { href: '/audit', label: 'Журнал аудита' }),
  ];
}
