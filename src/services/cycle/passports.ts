/** Direction passports (seed 001): methodology documents with id `direction-<direction>`. The seven built-in ones are
 * in library/directions; a department edits a passport — or writes its own in place of the built-in one — by saving a
 * new version of `direction-<direction>` (the methodology upload: `POST /api/methodologies` or `POST /api/passports/:direction`).
 * Versions are immutable, so every earlier wording stays readable; the passport in force is the highest version. */
import type { Kysely } from 'kysely';
import { DIRECTION_LABELS, type DirectionCode } from '../../core/cycle/index.ts';
import type { Database } from '../../db/schema.ts';
import { ServiceError, type Actor } from '../errors.ts';
import { loadMethodology, parseMethodologyText, type ParsedMethodology } from '../methodology/methodology-library.ts';
import { getMethodologyVersion, listMethodologyVersions, saveMethodologyVersion, type MethodologyVersionSummary } from '../methodology/methodology-versions.ts';

export const passportId = (direction: DirectionCode) => `direction-${direction}`;
const byVersion = (a: { version: string }, b: { version: string }) => a.version.localeCompare(b.version, 'en', { numeric: true });

export async function passportVersions(db: Kysely<Database>, direction: DirectionCode): Promise<MethodologyVersionSummary[]> {
  return (await listMethodologyVersions(db)).filter((v) => v.id === passportId(direction)).sort(byVersion);
}

/** The passport in force: the highest version, built-in or uploaded. */
export async function loadPassport(db: Kysely<Database>, direction: DirectionCode): Promise<ParsedMethodology & { version?: string; origin?: 'library' | 'uploaded' }> {
  const versions = await passportVersions(db, direction);
  const newest = versions.at(-1);
  if (!newest) return loadMethodology(passportId(direction));
  const detail = await getMethodologyVersion(db, newest.id, newest.version);
  return { ...parseMethodologyText(detail.yaml, `${newest.id}@${newest.version}`), version: newest.version, origin: newest.source };
}

export interface PassportDto {
  direction: DirectionCode;
  directionLabel: string;
  id: string;
  version: string | null;
  origin: 'library' | 'uploaded' | null;
  title: string | null;
  goal: string | null;
  expectedResult: string | null;
  indicators: { id: string; code: string | null; title: string; target: number | null }[];
  yaml: string | null;
  versions: { version: string; source: 'library' | 'uploaded'; createdAt: string | null; createdBy: string | null }[];
}

export async function getPassport(db: Kysely<Database>, direction: DirectionCode): Promise<PassportDto> {
  const versions = await passportVersions(db, direction);
  const newest = versions.at(-1);
  const detail = newest ? await getMethodologyVersion(db, newest.id, newest.version) : null;
  const m = detail?.methodology;
  return {
    direction, directionLabel: DIRECTION_LABELS[direction], id: passportId(direction), version: newest?.version ?? null, origin: newest?.source ?? null,
    title: m?.title ?? null, goal: m?.goal ?? null, expectedResult: m?.expected_result ?? null,
    indicators: m ? Object.entries(m.indicators).map(([id, i]) => ({ id, code: i.code ?? null, title: i.title, target: i.target ?? null })) : [],
    yaml: detail?.yaml ?? null,
    versions: versions.map((v) => ({ version: v.version, source: v.source, createdAt: v.createdAt, createdBy: v.createdBy })),
  };
}

/** Saves an edited passport as a new version; the document must be the passport of this direction. */
export async function savePassport(db: Kysely<Database>, actor: Actor, direction: DirectionCode, yaml: string): Promise<PassportDto> {
  const parsed = parseMethodologyText(yaml, passportId(direction));
  if (parsed.ok && (parsed.methodology.id !== passportId(direction) || parsed.methodology.direction !== direction)) {
    throw new ServiceError('validation', 'PASSPORT_MISMATCH', 'Документ не является паспортом этого направления', [
      { path: 'yaml', message: `Ожидается id: ${passportId(direction)} и direction: ${direction}; в документе id: ${parsed.methodology.id}, direction: ${parsed.methodology.direction}` },
    ]);
  }
  await saveMethodologyVersion(db, actor, yaml);
  return getPassport(db, direction);
}
