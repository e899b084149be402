/** Evidence files can be removed (issue 24): the uploader or an analyst removes a file from its recommendation, road-map
 * event or decision; the row stays, marked removed (who, when), and can be restored for 30 days
 * (src/services/cycle/evidence.ts). Removal and restoration are audited. */
import type { Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('evidence_files')
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('remover_login', 'text')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('evidence_files').dropColumn('remover_login').dropColumn('removed_by').dropColumn('removed_at').execute();
}
