/** The context every step of the demo year shares (demo-year.ts runs the steps): the database, today, the demo
 * municipality's organisations by registry number and the demo users as actors. */
import type { Kysely } from 'kysely';
import type { OrganisationType } from '../../core/registry/schema.ts';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../errors.ts';

/** What the demo steps share: organisations by registry number, and the demo users as actors. */
export interface DemoContext {
  db: Kysely<Database>;
  today: string;
  municipalityId: string;
  orgs: Map<number, { id: string; shortName: string; type: OrganisationType }>;
  actors: { admin: Actor; analyst: Actor; wg: Actor; oo1: Actor; dou34: Actor };
}

async function actorOf(db: Kysely<Database>, login: string): Promise<Actor> {
  const u = await db.selectFrom('users').select(['id', 'login']).where('login', '=', login).executeTakeFirstOrThrow();
  return { userId: u.id, login: u.login, ip: null };
}

export async function demoContext(db: Kysely<Database>, municipalityId: string, today: string): Promise<DemoContext> {
  const rows = await db.selectFrom('organisations').select(['id', 'no', 'short_name', 'type']).where('municipality_id', '=', municipalityId).execute();
  return {
    db,
    today,
    municipalityId,
    orgs: new Map(rows.map((r) => [r.no, { id: r.id, shortName: r.short_name, type: r.type }])),
    actors: {
      admin: await actorOf(db, 'admin'),
      analyst: await actorOf(db, 'analyst'),
      wg: await actorOf(db, 'wg'),
      oo1: await actorOf(db, 'oo1'),
      dou34: await actorOf(db, 'dou34'),
    },
  };
}
