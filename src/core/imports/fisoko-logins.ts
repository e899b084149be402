/** Logins ФИС ОКО to save on the registry (issue 22): a school of the reports that was matched to a participant
 * otherwise than by its login (by ИНН, by name, or confirmed by the analyst) while the file prints its login and the
 * organisation has none is offered for saving, so that next year's reports match it by login. A login printed for two
 * schools, or already held by another participant, is not offered. Pure. */
import { z } from 'zod';
import { UUID } from '../uuid.ts';
import type { OrgRef } from './match.ts';
import { candidateSchema } from './schema.ts';

export const fisOkoLoginOfferSchema = z.object({
  /** The school as printed in the reports («(sch021208) МБОУ СОШ №14 …»). */
  school: z.string(),
  login: z.string(),
  how: z.enum(['inn', 'name', 'confirmed']),
  organisation: candidateSchema.omit({ score: true }),
});
export type FisOkoLoginOffer = z.infer<typeof fisOkoLoginOfferSchema>;

/** The logins to save: `{ organisationId, login }` pairs chosen among the offers. */
export const fisOkoLoginsInputSchema = z.array(z.strictObject({ organisationId: z.string().regex(UUID), login: z.string().trim().min(1).max(100) })).min(1).max(5000);

interface MatchedSchool { name: string; login: string | null; how: string; organisation: { id: string } | null }

export function fisOkoLoginOffers(schools: readonly MatchedSchool[], participants: readonly OrgRef[]): FisOkoLoginOffer[] {
  const byId = new Map(participants.map((o) => [o.id, o]));
  const held = new Set(participants.flatMap((o) => (o.fisokoLogin ? [o.fisokoLogin.toLowerCase()] : [])));
  const printed = new Map<string, Set<string>>();
  for (const s of schools) if (s.login && s.organisation) (printed.get(s.login.toLowerCase()) ?? printed.set(s.login.toLowerCase(), new Set()).get(s.login.toLowerCase())!).add(s.organisation.id);
  const out: FisOkoLoginOffer[] = [];
  const seen = new Set<string>();
  for (const s of schools) {
    if (!s.login || !s.organisation || (s.how !== 'inn' && s.how !== 'name' && s.how !== 'confirmed')) continue;
    const login = s.login.toLowerCase();
    const org = byId.get(s.organisation.id);
    if (!org || org.fisokoLogin || held.has(login) || (printed.get(login)?.size ?? 0) > 1 || seen.has(`${org.id}\u0000${login}`)) continue;
    seen.add(`${org.id}\u0000${login}`);
    out.push({ school: s.name, login, how: s.how, organisation: { id: org.id, no: org.no, shortName: org.shortName, fullName: org.fullName } });
  }
  // One organisation offered two different logins (two printed names matched to it): neither is offered.
  const perOrg = new Map<string, number>();
  for (const o of out) perOrg.set(o.organisation.id, (perOrg.get(o.organisation.id) ?? 0) + 1);
  return out.filter((o) => perOrg.get(o.organisation.id) === 1);
}
