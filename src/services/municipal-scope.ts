/** Road maps and management decisions belong to a municipality (issue 9, migration 0011): `municipality_id`, null for
 * legacy rows every municipality sees. A caller without a municipality (single-municipality installs, users created
 * before the first municipality) sees every row. */
import { sql, type RawBuilder } from 'kysely';

/** `where` condition: the row is the municipality's or legacy. `column` e.g. `d.municipality_id`. */
export function ownOrLegacy(column: string, municipalityId: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(column)} is null or ${sql.ref(column)} = ${municipalityId})`;
}
