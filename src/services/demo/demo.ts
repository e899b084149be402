/** Demo data: the 51 organisations of seed 004 in «Ишимбайский район (демо)» and five demo users (password
 * `demo2022`). Idempotent: existing organisations (by number) and users (by login) are left alone. Goes through the
 * registry and user services, so the demo is audited like any other write. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { OrganisationType, Role } from '../../core/registry/schema.ts';
import { SYSTEM_ACTOR } from '../errors.ts';
import { createOrganisation, getOrCreateMunicipality } from '../registry/registry.ts';
import { createUser } from '../admin/users.ts';
import type { DemoYearOutcome } from './demo-year.ts';

export const DEMO_MUNICIPALITY = 'Ишимбайский район (демо)';
export const DEMO_PASSWORD = 'demo2022';
export const DEMO_CSV = fileURLToPath(new URL('../../../library/demo/organisations.csv', import.meta.url));
const GROWTH_POINTS = new Set(['Кинзебулатово', 'Кулгунино']);

export interface DemoUser {
  login: string;
  password: string;
  role: Role;
  fullName: string;
  /** Registry number of the represented organisation (org representatives). */
  organisationNo: number | null;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { login: 'admin', password: DEMO_PASSWORD, role: 'admin', fullName: 'Администратор (демо)', organisationNo: null },
  { login: 'analyst', password: DEMO_PASSWORD, role: 'analyst', fullName: 'Аналитик-методист (демо)', organisationNo: null },
  { login: 'wg', password: DEMO_PASSWORD, role: 'working_group', fullName: 'Член рабочей группы (демо)', organisationNo: null },
  { login: 'oo1', password: DEMO_PASSWORD, role: 'org_rep', fullName: 'Представитель школы №1 (демо)', organisationNo: 1 },
  { login: 'dou34', password: DEMO_PASSWORD, role: 'org_rep', fullName: 'Представитель ДОУ №34 (демо)', organisationNo: 47 },
  // Created with the demo year's region (demo-region.ts), not by the loop below: a regional analyst has a region.
  { login: 'region', password: DEMO_PASSWORD, role: 'regional_analyst', fullName: 'Региональный аналитик (синтетический регион)', organisationNo: null },
];

const SUPPLEMENTARY_NAMES: Record<string, string> = {
  ДДЮТ: 'МБУ ДО «Дворец детского и юношеского творчества»',
  СЮТ: 'МБУ ДО «Станция юных техников»',
  ДЭБЦ: 'МБУ ДО «Детский эколого-биологический центр»',
  Инсайт: 'МБУ ДО «Центр дополнительного образования «Инсайт»',
};

export function demoFullName(shortName: string, type: OrganisationType): string {
  if (type === 'supplementary') return SUPPLEMENTARY_NAMES[shortName] ?? `МБУ ДО «${shortName}»`;
  if (type === 'preschool') return `МАДОУ детский сад ${shortName.replace(/^ДОУ\s*/, '')} г. Ишимбая`;
  if (shortName.startsWith('БГИ')) return `МБОУ «Башкирская гимназия-интернат ${shortName.replace(/^БГИ\s*/, '')}»`;
  if (shortName.startsWith('№')) return `МБОУ СОШ ${shortName} г. Ишимбая`;
  return `МБОУ СОШ с. ${shortName}`;
}

/** The ФИС ОКО login of a demo school: the one the synthetic reports of library/synthetic/fisoko-2025 print
 * («(sch021208) МБОУ СОШ №14 г. Ишимбая», scripts/synthetic-fisoko.ts `login`); null for other types. */
export function demoFisOkoLogin(row: { no: number; type: OrganisationType }): string | null {
  return row.type === 'school' ? `sch0212${String(row.no).padStart(2, '0')}` : null;
}

export interface DemoOrganisationRow {
  no: number;
  name: string;
  type: OrganisationType;
}

export async function readDemoOrganisations(file = DEMO_CSV): Promise<DemoOrganisationRow[]> {
  const { parse } = await import('csv-parse/sync');
  const records = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return records.map((r) => ({ no: Number(r.no), name: String(r.name), type: r.type as OrganisationType }));
}

export interface SeedOutcome {
  municipalityId: string;
  organisationsCreated: number;
  usersCreated: number;
  /** The demo year (campaigns, survey, recommendations, road maps), when asked for: `src/services/demo/demo-year.ts`. */
  year?: DemoYearOutcome;
}

/** `year`: also seed the whole demo year (issue 10) anchored at `today` (ISO date, default the municipality's today). */
export async function seedDemo(db: Kysely<Database>, opts: { year?: boolean; today?: string } = {}): Promise<SeedOutcome> {
  const municipalityId = await getOrCreateMunicipality(db, DEMO_MUNICIPALITY);
  const existing = new Set(
    (await db.selectFrom('organisations').select('no').where('municipality_id', '=', municipalityId).execute()).map((r) => r.no),
  );
  let organisationsCreated = 0;
  for (const row of await readDemoOrganisations()) {
    if (existing.has(row.no)) continue;
    await createOrganisation(
      db,
      SYSTEM_ACTOR,
      {
        no: row.no,
        shortName: row.name,
        fullName: demoFullName(row.name, row.type),
        type: row.type,
        inn: `0261${String(row.no).padStart(6, '0')}`,
        fisokoLogin: demoFisOkoLogin(row),
        growthPoint: GROWTH_POINTS.has(row.name),
      },
      municipalityId,
    );
    organisationsCreated++;
  }
  // A demo seeded before the logins existed gets them (only where none is set).
  for (const row of await readDemoOrganisations()) {
    const login = demoFisOkoLogin(row);
    if (login) await db.updateTable('organisations').set({ fisoko_login: login }).where('municipality_id', '=', municipalityId).where('no', '=', row.no).where('fisoko_login', 'is', null).execute();
  }
  const logins = new Set((await db.selectFrom('users').select('login').execute()).map((r) => r.login));
  let usersCreated = 0;
  for (const u of DEMO_USERS) {
    if (logins.has(u.login) || u.role === 'regional_analyst') continue;
    const org =
      u.organisationNo === null
        ? undefined
        : await db.selectFrom('organisations').select('id').where('municipality_id', '=', municipalityId).where('no', '=', u.organisationNo).executeTakeFirstOrThrow();
    await createUser(db, SYSTEM_ACTOR, { login: u.login, fullName: u.fullName, role: u.role, password: u.password, organisationId: org?.id ?? null }, municipalityId);
    usersCreated++;
  }
  if (!opts.year) return { municipalityId, organisationsCreated, usersCreated };
  const { seedDemoYear } = await import('./demo-year.ts');
  const { municipalToday } = await import('../admin/settings.ts');
  const year = await seedDemoYear(db, municipalityId, opts.today ?? (await municipalToday(db, new Date(), municipalityId)));
  const { seedDemoRegion } = await import('./demo-region.ts');
  if ((await seedDemoRegion(db, municipalityId, DEMO_PASSWORD)).created && !logins.has('region')) usersCreated++;
  return { municipalityId, organisationsCreated, usersCreated, year };
}

/** Demo users with the names of their organisations, for the sign-in page and the `serve --demo` banner. */
export async function demoUsersWithOrganisations(db: Kysely<Database>): Promise<{ login: string; password: string; role: Role; fullName: string; organisationName: string | null }[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.login', 'users.full_name', 'users.role', 'organisations.short_name'])
    .where('users.login', 'in', DEMO_USERS.map((u) => u.login))
    .execute();
  const byLogin = new Map(rows.map((r) => [r.login, r]));
  return DEMO_USERS.filter((u) => byLogin.has(u.login)).map((u) => {
    const r = byLogin.get(u.login);
    return { login: u.login, password: u.password, role: u.role, fullName: r?.full_name ?? u.fullName, organisationName: r?.short_name ?? null };
  });
}
