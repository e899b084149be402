/** Logins ФИС ОКО saved on the registry from a ФИС ОКО import (issue 22): a school of the reports matched to a
 * participant by ИНН, by name or by the analyst's confirmation, whose printed login the organisation does not have
 * yet (core fisoko-logins.ts offers them in the preview), gets it — each as the registry edit it is
 * (`updateOrganisation`: uniqueness in the municipality, `organisation.update` in the audit log), so next year's
 * reports match it by login. Only offered pairs are accepted; a login another organisation of the municipality holds
 * refuses the whole request before anything is written. */
import { sql, type Kysely } from 'kysely';
import { fisOkoSaveLoginsSchema, type FisOkoPreview } from '../../core/imports/fisoko-campaign.ts';
import { fisOkoLoginOffers } from '../../core/imports/fisoko-logins.ts';
import type { Database } from '../../db/schema.ts';
import { parseInput, ServiceError, type Actor } from '../errors.ts';
import { updateOrganisation } from '../registry/registry.ts';
import { prepareStoredFisOko, presentFisOko } from './fisoko-import.ts';

export interface SavedLogins {
  saved: { organisationId: string; shortName: string; login: string }[];
  /** The preview again: the schools now matched by login, no offer left for them. */
  preview: FisOkoPreview;
}

export async function saveFisOkoLogins(db: Kysely<Database>, actor: Actor, importId: string, input: unknown): Promise<SavedLogins> {
  const { logins, ...given } = parseInput(fisOkoSaveLoginsSchema, input ?? {});
  const p = await prepareStoredFisOko(db, importId, given);
  const offers = fisOkoLoginOffers(p.result.schools, p.participants);
  const wanted = logins.map((l, i) => ({ i, organisationId: l.organisationId.toLowerCase(), login: l.login.toLowerCase() }));
  const chosen = wanted.map((w) => ({ w, offer: offers.find((o) => o.organisation.id === w.organisationId && o.login === w.login) }));
  const missing = chosen.filter((c) => !c.offer);
  if (missing.length)
    throw new ServiceError('validation', 'FISOKO_LOGIN_NOT_OFFERED', `Логин ${missing[0]?.w.login} не предлагался для этой организации: сохранить можно логин школы, найденной не по логину, если у организации его ещё нет`,
      missing.map((c) => ({ path: `logins.${c.w.i}`, message: `Логин ${c.w.login} не предлагался для этой организации` })));
  if (new Set(wanted.map((w) => w.organisationId)).size !== wanted.length)
    throw new ServiceError('validation', 'FISOKO_LOGIN_TWICE', 'Одна организация указана дважды', [{ path: 'logins', message: 'Одна организация указана дважды' }]);
  // Held by an organisation of the same municipality outside the campaign: refused before any write.
  const taken = await db
    .selectFrom('organisations as target')
    .innerJoin('organisations as holder', (j) => j.onRef('holder.municipality_id', '=', 'target.municipality_id').on(sql<boolean>`lower(holder.fisoko_login) = any(${sql.val(wanted.map((w) => w.login))}::text[])`))
    .select(['target.id as target', 'holder.short_name', sql<string>`lower(holder.fisoko_login)`.as('login')])
    .where('target.id', 'in', wanted.map((w) => w.organisationId))
    .execute();
  const clash = taken.find((t) => wanted.some((w) => w.organisationId === t.target && w.login === t.login));
  if (clash)
    throw new ServiceError('conflict', 'FISOKO_LOGIN_TAKEN', `Логин ФИС ОКО ${clash.login} уже указан у организации «${clash.short_name}»: ничего не сохранено`, [{ path: 'logins', message: `Логин уже указан у организации «${clash.short_name}»` }]);
  const saved: SavedLogins['saved'] = [];
  for (const { w, offer } of chosen) {
    const o = await updateOrganisation(db, actor, w.organisationId, { fisokoLogin: w.login });
    saved.push({ organisationId: o.id, shortName: offer?.organisation.shortName ?? o.shortName, login: w.login });
  }
  return { saved, preview: presentFisOko(await prepareStoredFisOko(db, importId, given)) };
}
