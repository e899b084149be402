/** Runs the schema migrations (Kysely Migrator, static provider: migrations are imported code, not files read at
 * run time, so they work the same under tsx, in tests and in a bundle). */
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_collection.ts';
import * as m0003 from './migrations/0003_cycle.ts';
import * as m0004 from './migrations/0004_surveys.ts';
import * as m0005 from './migrations/0005_append_only_history.ts';
import * as m0006 from './migrations/0006_jobs_imports.ts';
import * as m0007 from './migrations/0007_campaign_analysis.ts';
import * as m0008 from './migrations/0008_cycle_effect.ts';
import * as m0009 from './migrations/0009_region.ts';
import * as m0010 from './migrations/0010_notifications.ts';
import * as m0011 from './migrations/0011_region_campaigns.ts';
import * as m0012 from './migrations/0012_campaign_participation.ts';
import * as m0013 from './migrations/0013_import_visibility.ts';
import * as m0014 from './migrations/0014_campaign_records.ts';
import * as m0015 from './migrations/0015_evidence_removal.ts';
import * as m0016 from './migrations/0016_documents.ts';
import * as m0017 from './migrations/0017_dimension_values.ts';
import * as m0018 from './migrations/0018_printed_reports.ts';
import * as m0019 from './migrations/0019_document_notifications.ts';
import * as m0020 from './migrations/0020_value_rows.ts';
import * as m0021 from './migrations/0021_record_groups.ts';
import * as m0022 from './migrations/0022_value_rows_work.ts';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_collection': m0002,
  '0003_cycle': m0003,
  '0004_surveys': m0004,
  '0005_append_only_history': m0005,
  '0006_jobs_imports': m0006,
  '0007_campaign_analysis': m0007,
  '0008_cycle_effect': m0008,
  '0009_region': m0009,
  '0010_notifications': m0010,
  '0011_region_campaigns': m0011,
  '0012_campaign_participation': m0012,
  '0013_import_visibility': m0013,
  '0014_campaign_records': m0014,
  '0015_evidence_removal': m0015,
  '0016_documents': m0016,
  '0017_dimension_values': m0017,
  '0018_printed_reports': m0018,
  '0019_document_notifications': m0019,
  '0020_value_rows': m0020,
  '0021_record_groups': m0021,
  '0022_value_rows_work': m0022,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrateOutcome {
  applied: string[];
}

/** Brings the database to the latest schema. Throws with the failing migration's name when one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrateOutcome> {
  const migrator = new Migrator({ db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'неизвестна';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Миграция ${failed} не выполнена: ${cause}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
