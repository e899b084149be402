/** Stored groups of a record list (issue 21, scale): a campaign's record list is immutable once applied (0014) and
 * counting its figures needs only its groups — per organisation × the values of the fields counting compares, the
 * number of records, the first line, sums, the terms an explanation lists, distinct values (record-groups.ts). The apply
 * forms them once, in its transaction, with one `insert … select … group by` over the records it has just written;
 * every recompute then reads them instead of grouping 100 000 jsonb rows again.
 * - `campaign_record_groups`: one row per list × `definition_hash` (sha-256 of what the grouping depends on: the
 *   compared, summed and distinct fields with their types, the filters, the format of the text) with `groups`, the
 *   list's groups as one compact JSON text (exactly what the live grouping query gives: one read, one JSON.parse).
 *   A recompute uses the row whose hash is that of the campaign's dataset definition; without one (a list applied
 *   before this migration, another definition) it forms the groups live as before. No backfill here: forming groups
 *   needs the methodology's dataset definition, which migrations do not compile — the live fallback covers old lists.
 * Append-only like the records (the trigger of 0005). */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('campaign_record_groups')
    .addColumn('list_id', 'uuid', (c) => c.notNull().references('campaign_record_lists.id'))
    .addColumn('definition_hash', 'text', (c) => c.notNull())
    .addColumn('groups', 'json', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('campaign_record_groups_pkey', ['list_id', 'definition_hash'])
    .execute();
  await sql`create trigger campaign_record_groups_append_only before update or delete on campaign_record_groups for each row execute function msoko_append_only()`.execute(db);
  await sql`create trigger campaign_record_groups_no_truncate before truncate on campaign_record_groups for each statement execute function msoko_append_only()`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('campaign_record_groups').ifExists().execute();
}
