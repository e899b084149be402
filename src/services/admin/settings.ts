/** Municipality settings that the server needs: the name (page header), the time zone that defines "today" for due
 * dates, and the reminder lead time. A deployment serves one municipality (the first created) unless the caller names
 * one. Updates are audited in the same transaction. */
import { sql, type Kysely } from 'kysely';
import { DEFAULT_TIME_ZONE } from '../../core/calendar/timezone.ts';
import { campaignRemindersSchema, settingsUpdateSchema, type Settings } from '../../core/notifications/schema.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from './audit.ts';
import { findCampaignRow, todayIso } from '../collection/campaigns.ts';
import { ServiceError, parseInput, type Actor } from '../errors.ts';

export const DEFAULT_REMIND_DAYS = 3;

export interface MunicipalityRow {
  id: string | null;
  name: string;
  timeZone: string;
  remindDaysBefore: number;
}

export async function municipalitySettings(db: Kysely<Database>, municipalityId?: string | null): Promise<MunicipalityRow> {
  let q = db.selectFrom('municipalities').select(['id', 'name', 'time_zone', 'remind_days_before']);
  q = municipalityId ? q.where('id', '=', municipalityId) : q.orderBy('created_at').limit(1);
  const row = await q.executeTakeFirst();
  if (!row) return { id: null, name: 'Муниципалитет', timeZone: DEFAULT_TIME_ZONE, remindDaysBefore: DEFAULT_REMIND_DAYS };
  return { id: row.id, name: row.name, timeZone: row.time_zone, remindDaysBefore: row.remind_days_before };
}

/** Time zones read in the last 30 s (the public survey endpoint asks on every answer). A change made through
 * `updateSettings` clears it here; another process sees it within 30 s. */
const zoneCache = new Map<string, { zone: string; until: number }>();
const ZONE_TTL_MS = 30_000;

/** Today in the municipality's time zone (the one place the server turns the clock into a calendar date). */
export async function municipalToday(db: Kysely<Database>, now: Date = new Date(), municipalityId?: string | null): Promise<string> {
  const key = municipalityId ?? '';
  const cached = zoneCache.get(key);
  if (cached && cached.until > Date.now()) return todayIso(now, cached.zone);
  const zone = (await municipalitySettings(db, municipalityId)).timeZone;
  zoneCache.set(key, { zone, until: Date.now() + ZONE_TTL_MS });
  return todayIso(now, zone);
}

export async function getSettings(db: Kysely<Database>, opts: { emailEnabled: boolean; municipalityId?: string | null; now?: Date }): Promise<Settings> {
  const m = await municipalitySettings(db, opts.municipalityId);
  return {
    municipality: { id: m.id, name: m.name },
    timeZone: m.timeZone,
    today: todayIso(opts.now ?? new Date(), m.timeZone),
    remindDaysBefore: m.remindDaysBefore,
    emailEnabled: opts.emailEnabled,
  };
}

/** The municipality of a user (null for users without one: the deployment's first municipality applies). */
export async function municipalityOfUser(db: Kysely<Database>, userId: string | null | undefined): Promise<string | null> {
  if (!userId) return null;
  const u = await db.selectFrom('users').select('municipality_id').where('id', '=', userId).executeTakeFirst();
  return u?.municipality_id ?? null;
}

export async function updateSettings(db: Kysely<Database>, actor: Actor, input: unknown, opts: { emailEnabled: boolean; municipalityId?: string | null }): Promise<Settings> {
  const data = parseInput(settingsUpdateSchema, input);
  const m = await municipalitySettings(db, opts.municipalityId);
  if (!m.id) throw new ServiceError('not_found', 'MUNICIPALITY_NOT_FOUND', 'Муниципалитет ещё не создан: добавьте организации в реестр');
  const id = m.id;
  if (data.timeZone === undefined && data.remindDaysBefore === undefined) return getSettings(db, { emailEnabled: opts.emailEnabled, municipalityId: id });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('municipalities')
      .set({ ...(data.timeZone !== undefined ? { time_zone: data.timeZone } : {}), ...(data.remindDaysBefore !== undefined ? { remind_days_before: data.remindDaysBefore } : {}) })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, actor, {
      action: 'settings.update',
      targetType: 'municipality',
      targetId: id,
      details: { before: { timeZone: m.timeZone, remindDaysBefore: m.remindDaysBefore }, after: data },
    });
  });
  zoneCache.clear();
  return getSettings(db, { emailEnabled: opts.emailEnabled, municipalityId: id });
}

/** A campaign's own reminder lead time (null: the municipality's setting). */
export async function setCampaignReminderDays(db: Kysely<Database>, actor: Actor, campaignId: string, input: unknown): Promise<{ daysBefore: number | null }> {
  const { daysBefore } = parseInput(campaignRemindersSchema, input);
  const c = await findCampaignRow(db, campaignId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('campaigns').set({ remind_days_before: daysBefore, updated_at: sql`now()` }).where('id', '=', c.id).execute();
    await recordAudit(trx, actor, { action: 'campaign.reminders', targetType: 'campaign', targetId: c.id, details: { before: c.remind_days_before, after: daysBefore } });
  });
  return { daysBefore };
}
