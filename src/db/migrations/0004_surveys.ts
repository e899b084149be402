/** Anonymous surveys (issue 5): questionnaires of 0–10 scales, single and multiple choice and free text, one public
 * link (unguessable token) per participating organisation, optional single-use codes (only their sha256 is stored),
 * and the answers. 152-ФЗ: a response row holds the survey, the organisation and the DAY only — no account, IP
 * address, user agent, cookie or time of day; a code keeps only the day it was used and is not linked to the
 * response. Response ids are random uuids (no sequence that would order the answers). One statement per call. */
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the evolving Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('surveys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id').onDelete('set null'))
    .addColumn('methodology_id', 'text')
    .addColumn('period_code', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('parents', 'students', 'teachers')`))
    .addColumn('selection', 'jsonb', (c) => c.notNull())
    .addColumn('opens_on', 'date', (c) => c.notNull())
    .addColumn('closes_on', 'date', (c) => c.notNull())
    .addColumn('min_respondents', 'integer', (c) => c.notNull().defaultTo(5).check(sql`min_respondents between 1 and 1000`))
    .addColumn('requires_codes', 'boolean', (c) => c.notNull().defaultTo(false))
    /** Campaign input holding the number of children (e.g. `children_5_17`), read from submitted forms. */
    .addColumn('enrolment_input', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'open', 'closed')`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('surveys_dates_ordered', sql`opens_on <= closes_on`)
    .execute();

  await db.schema
    .createTable('survey_questions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('survey_id', 'uuid', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('scale', 'single', 'multiple', 'text')`))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('required', 'boolean', (c) => c.notNull().defaultTo(true))
    /** The 0–10 question whose answers give the loyalty index (at most one per survey). */
    .addColumn('loyalty', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('survey_questions_position_key', ['survey_id', 'position'])
    .execute();

  /** Participants: one row per organisation with its public token and, optionally, the number of children entered
   * by the analyst (used when the organisation's submitted campaign data has none). */
  await db.schema
    .createTable('survey_links')
    .addColumn('survey_id', 'uuid', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('children', 'integer', (c) => c.check(sql`children >= 0`))
    .addPrimaryKeyConstraint('survey_links_pkey', ['survey_id', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('survey_codes')
    .addColumn('survey_id', 'uuid', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    /** sha256 (hex) of `<survey id>:<code>`; the code itself is shown once, at generation, and never stored. */
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    /** The day the code was used (a day, like the responses: no time that could match a response). */
    .addColumn('used_at', 'date')
    .execute();
  await db.schema.createIndex('survey_codes_survey_idx').on('survey_codes').columns(['survey_id', 'organisation_id']).execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('survey_id', 'uuid', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('submitted_on', 'date', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_responses_survey_idx').on('survey_responses').columns(['survey_id', 'organisation_id']).execute();

  /** One row per answer; a multiple-choice answer is one row per chosen option. `value`: the 0–10 score, the
   * option's index, or the free text. */
  await db.schema
    .createTable('survey_answers')
    .addColumn('response_id', 'uuid', (c) => c.notNull().references('survey_responses.id').onDelete('cascade'))
    .addColumn('question_id', 'uuid', (c) => c.notNull().references('survey_questions.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_answers_response_idx').on('survey_answers').column('response_id').execute();
  await db.schema.createIndex('survey_answers_question_idx').on('survey_answers').columns(['question_id', 'value']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['survey_answers', 'survey_responses', 'survey_codes', 'survey_links', 'survey_questions', 'surveys']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
