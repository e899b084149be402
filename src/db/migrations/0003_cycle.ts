/** Management cycle (issue 7): road-map events per direction and year (imported from library/roadmaps or added by
 * hand) with their append-only completions; addressed recommendations with append-only status events; management
 * decisions linked to recommendations. Occurrences and overdue statuses are derived, never stored. One statement per call. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const DIRECTIONS = sql`('preparation', 'talents', 'career', 'leaders', 'teachers', 'upbringing', 'preschool')`;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('roadmap_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ${DIRECTIONS}`))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
    /** Position in the template (1-based) for imported events; null for events added by hand. */
    .addColumn('template_seq', 'integer')
    .addColumn('number', 'text')
    .addColumn('section', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('deadline_text', 'text', (c) => c.notNull())
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('executor', 'text', (c) => c.notNull())
    .addColumn('expected_document', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('roadmap_events_template_key', ['direction', 'year', 'template_seq'])
    .execute();
  await db.schema.createIndex('roadmap_events_direction_year_idx').on('roadmap_events').columns(['direction', 'year']).execute();

  await db.schema
    .createTable('roadmap_completions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('roadmap_events.id').onDelete('cascade'))
    .addColumn('occurrence_due', 'date', (c) => c.notNull())
    .addColumn('done_at', 'date', (c) => c.notNull())
    .addColumn('evidence_url', 'text')
    .addColumn('note', 'text')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('roadmap_completions_evidenced', sql`evidence_url is not null or note is not null`)
    .execute();
  await db.schema.createIndex('roadmap_completions_event_idx').on('roadmap_completions').columns(['event_id', 'occurrence_due']).execute();

  await db.schema
    .createTable('recommendations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ${DIRECTIONS}`))
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id').onDelete('set null'))
    .addColumn('methodology_id', 'text')
    .addColumn('addressee_kind', 'text', (c) =>
      c.notNull().check(sql`addressee_kind in ('organisation', 'head', 'deputies', 'teachers', 'methodological_association', 'parents')`))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('due_date', 'date')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('issued').check(sql`status in ('issued', 'in_progress', 'done', 'verified')`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('recommendations_org_idx').on('recommendations').column('organisation_id').execute();
  await db.schema.createIndex('recommendations_direction_idx').on('recommendations').column('direction').execute();

  await db.schema
    .createTable('recommendation_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('recommendation_id', 'uuid', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('report_text', 'text')
    .addColumn('evidence_url', 'text')
    .addColumn('comment', 'text')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_login', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('recommendation_events_rec_idx').on('recommendation_events').column('recommendation_id').execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ${DIRECTIONS}`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('order', 'meeting', 'training', 'funding', 'roadmap_change')`))
    .addColumn('number', 'text')
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('document_url', 'text')
    .addColumn('indicators', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('effect_evaluated_at', 'date')
    .addColumn('effect_note', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('decisions_direction_idx').on('decisions').columns(['direction', 'date']).execute();

  await db.schema
    .createTable('decision_recommendations')
    .addColumn('decision_id', 'uuid', (c) => c.notNull().references('decisions.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'uuid', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('decision_recommendations_pkey', ['decision_id', 'recommendation_id'])
    .execute();
  await db.schema.createIndex('decision_recommendations_rec_idx').on('decision_recommendations').column('recommendation_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['decision_recommendations', 'decisions', 'recommendation_events', 'recommendations', 'roadmap_completions', 'roadmap_events']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
