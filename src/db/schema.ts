/** Typed view of the msoko database for Kysely. One interface per table; the migrations in ./migrations create them. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** `date` columns travel as ISO calendar strings (`2022-06-30`); both drivers are configured not to build Dates. */
type NullableCalendarDate = ColumnType<string | null, string | null | undefined, string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type OrganisationType = 'school' | 'preschool' | 'supplementary';
export type OrganisationStatus = 'active' | 'closed';
export type Role = 'admin' | 'analyst' | 'working_group' | 'org_rep' | 'regional_analyst';

export interface MunicipalitiesTable {
  id: Generated<string>;
  name: string;
  created_at: Timestamp;
  /** IANA time zone of the municipality's calendar (0010): what "today" means for due dates. */
  time_zone: Generated<string>;
  /** Reminder lead time before a campaign's due date, days (0010); a campaign may override it. */
  remind_days_before: Generated<number>;  /** Region the municipality belongs to (0009); null: a stand-alone municipality. */
  region_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Made by `msoko generate` (0009): synthetic data, never real. */
  synthetic: Generated<boolean>;
}

/** Regions (0009): contain municipalities; the regional analyst compares them. */
export interface RegionsTable {
  id: Generated<string>;
  name: string;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
}

/** Cache of the statistics the regional comparison reads (0009), derived from values + methodology: see the
 * migration. `metric`: `mean:<indicator>`, `level:<indicator>:<level>`, `aggregate:<id>[.<group>]`. */
export interface CampaignStatsTable {
  campaign_id: string;
  municipality_id: string;
  metric: string;
  value: number | null;
  count: number;
}

/** Participating organisations of a campaign per municipality (migration 0012), kept by triggers on
 * campaign_organisations and organisations.municipality_id. Read only. */
export interface CampaignParticipationTable {
  campaign_id: string;
  municipality_id: string;
  organisations: number;
}

export interface CampaignStatsStampsTable {
  campaign_id: string;
  content_hash: string;
  last_value_id: number;
  organisations: number;
  computed_at: Timestamp;
}

export interface OrganisationsTable {
  id: Generated<string>;
  municipality_id: string;
  no: number;
  short_name: string;
  full_name: string;
  type: OrganisationType;
  inn: string | null;
  /** The school's login in ФИС ОКО («sch510203»), for matching ФИС ОКО reports (0017). */
  fisoko_login: ColumnType<string | null, string | null | undefined, string | null>;
  growth_point: Generated<boolean>;
  status: Generated<OrganisationStatus>;
  opened_at: NullableCalendarDate;
  closed_at: NullableCalendarDate;
  close_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  login: string;
  full_name: string;
  password_hash: string;
  role: Role;
  organisation_id: string | null;
  municipality_id: string | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  /** For e-mailed notifications (0010); null: in-app only. */
  email: ColumnType<string | null, string | null | undefined, string | null>;  /** Regional analysts (0009): the region they compare; null for everyone else. */
  region_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  /** sha256 (hex) of the random token kept in the cookie; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  login: string;
  ip: string;
  success: boolean;
  at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_login: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: Json;
}

export interface MethodologyVersionsTable {
  methodology_id: string;
  version: string;
  title: string;
  direction: string;
  source_yaml: string;
  content_hash: string;
  created_by: string | null;
  created_at: Timestamp;
}

export type CampaignStatus = 'draft' | 'open' | 'closed' | 'published';
export type SubmissionStatus = 'draft' | 'submitted' | 'accepted' | 'returned';
export type ValueSource = 'form' | 'import' | 'api';
type CalendarDate = ColumnType<string, string, string>;

export interface CampaignsTable {
  id: Generated<string>;
  title: string;
  methodology_id: string;
  methodology_version: string;
  /** Canonical period code (`2021/2022`, `2022`, `2022-H1`, `2022-Q3`, `2022-03`), src/core/calendar/periods.ts. */
  period_code: string;
  period_start: CalendarDate;
  /** How participants were chosen: `{ mode: 'all' | 'types' | 'list', types?, organisationIds? }`. */
  selection: Json;
  opens_on: CalendarDate;
  due_on: CalendarDate;
  closes_on: CalendarDate;
  status: Generated<CampaignStatus>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Reminder lead time for this campaign (0010); null: the municipality's setting. */
  remind_days_before: ColumnType<number | null, number | null | undefined, number | null>;
  /** A regional campaign (0011): the region whose analyst created it and runs it; null for a municipal campaign. */
  region_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** How a regional campaign's participants were chosen (0011): `{ municipalityIds: string[] | null, types: string[] | null }`. */
  region_selection: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface CampaignOrganisationsTable {
  campaign_id: string;
  organisation_id: string;
}

export interface CampaignEventsTable {
  id: Generated<number>;
  campaign_id: string;
  from_status: CampaignStatus | null;
  to_status: CampaignStatus;
  reason: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export interface SubmissionsTable {
  id: Generated<string>;
  campaign_id: string;
  organisation_id: string;
  status: Generated<SubmissionStatus>;
  submitter_comment: string | null;
  reviewer_comment: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SubmissionEventsTable {
  id: Generated<number>;
  submission_id: string;
  from_status: SubmissionStatus | null;
  to_status: SubmissionStatus;
  comment: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

/** Append-only: the repository only inserts; the current value of an input is its latest row. */
export interface ValueHistoryTable {
  id: Generated<number>;
  campaign_id: string;
  organisation_id: string;
  input: string;
  value: Json;
  evidence_url: string | null;
  source: ValueSource;
  source_ref: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
  /** The import job that wrote the row (0013); such rows are read only once that job applied the import. */
  import_job_id: ColumnType<string | null, string | null | undefined, never>;
  /** Dimension values of an input of a dimensional dataset (0017), e.g. `{"subject": "Математика", "grade": "5"}`;
   * null for an ordinary value. The current value is the latest per organisation × input × dimensions. */
  dimensions: ColumnType<Record<string, string> | null, Record<string, string> | null | undefined, never>;
}

/** Per-dimension values of an import (0020): one row per campaign × organisation × dimension values with the inputs it
 * changed as one object; ids from `value_history`'s sequence. Read through `value_history_visible` (one row per input)
 * or merged per organisation × dimensions (`jsonb_merge`, campaign-dimensional.ts). Append-only. */
export interface ValueRowsTable {
  id: Generated<number>;
  campaign_id: string;
  organisation_id: string;
  dimensions: Record<string, string>;
  values: Record<string, Json>;
  source: ValueSource;
  source_ref: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
  import_job_id: string | null;
}

/** Management cycle (issue 7, migration 0003_cycle). */
export type DirectionCode = 'preparation' | 'talents' | 'career' | 'leaders' | 'teachers' | 'upbringing' | 'preschool';
export type AddresseeKind = 'organisation' | 'head' | 'deputies' | 'teachers' | 'methodological_association' | 'parents';
export type RecommendationStatus = 'issued' | 'in_progress' | 'done' | 'verified';
export type DecisionKind = 'order' | 'meeting' | 'training' | 'funding' | 'roadmap_change';

export interface RoadmapEventsTable {
  id: Generated<string>;
  direction: DirectionCode;
  year: number;
  template_seq: number | null;
  number: string | null;
  section: string | null;
  title: string;
  deadline_text: string;
  /** `DeadlineRule` (src/core/calendar/schema.ts). */
  rule: Json;
  executor: string;
  expected_document: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  /** Removed by hand (0008): hidden from the road map, restorable; never deleted. */
  removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  removed_by: string | null;
  updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Whose road map (0011); null: a legacy event every municipality sees. */
  municipality_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Append-only (0008): every hand edit of a road-map event with the fields before and after. */
export interface RoadmapEventRevisionsTable {
  id: Generated<number>;
  event_id: string;
  action: 'create' | 'update' | 'remove' | 'restore';
  before: ColumnType<unknown, string | null | undefined, string | null>;
  after: ColumnType<unknown, string | null | undefined, string | null>;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export type EvidenceOwnerType = 'recommendation' | 'roadmap_event' | 'decision';
export type EvidenceKind = 'pdf' | 'docx' | 'xlsx' | 'odt' | 'jpeg' | 'png';

/** Evidence files stored in the database (0008), type checked by content; served only as downloads. */
export interface EvidenceFilesTable {
  id: Generated<string>;
  owner_type: EvidenceOwnerType;
  owner_id: string;
  occurrence_due: NullableCalendarDate;
  organisation_id: string | null;
  file_name: string;
  kind: EvidenceKind;
  media_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string | null;
  uploader_login: string | null;
  at: Timestamp;
  /** Removed by the uploader or an analyst (0015): hidden, restorable for 30 days; null — in force. */
  removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  removed_by: ColumnType<string | null, string | null | undefined, string | null>;
  remover_login: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Append-only: the latest row per (event, occurrence) is the completion in force. */
export interface RoadmapCompletionsTable {
  id: Generated<number>;
  event_id: string;
  occurrence_due: CalendarDate;
  done_at: CalendarDate;
  evidence_url: string | null;
  note: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export interface RecommendationsTable {
  id: Generated<string>;
  direction: DirectionCode;
  campaign_id: string | null;
  methodology_id: string | null;
  addressee_kind: AddresseeKind;
  organisation_id: string | null;
  text: string;
  due_date: NullableCalendarDate;
  status: Generated<RecommendationStatus>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** What motivated it (0008): the indicator of the campaign's results, the methodology rule and its reason. */
  indicator: string | null;
  rule_id: string | null;
  basis: string | null;
}

export interface RecommendationEventsTable {
  id: Generated<number>;
  recommendation_id: string;
  from_status: RecommendationStatus | null;
  to_status: RecommendationStatus;
  report_text: string | null;
  evidence_url: string | null;
  comment: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export interface DecisionsTable {
  id: Generated<string>;
  direction: DirectionCode;
  kind: DecisionKind;
  number: string | null;
  date: CalendarDate;
  title: string;
  responsible: string;
  document_url: string | null;
  /** `[{ methodology_id, indicator }]`: indicators the decision should move. */
  indicators: Json;
  effect_evaluated_at: NullableCalendarDate;
  effect_note: string | null;
  /** The campaign whose results motivated the decision (0008): the «before» of its effect. */
  campaign_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Whose decision (0011); null: a legacy decision every municipality sees. */
  municipality_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DecisionRecommendationsTable {
  decision_id: string;
  recommendation_id: string;
}

/** Anonymous surveys (issue 5, migration 0004_surveys). No personal data: see the migration's header. */
export type SurveyStatus = 'draft' | 'open' | 'closed';
export type SurveyAudience = 'parents' | 'students' | 'teachers';
export type SurveyQuestionKind = 'scale' | 'single' | 'multiple' | 'text';

export interface SurveysTable {
  id: Generated<string>;
  title: string;
  campaign_id: string | null;
  methodology_id: string | null;
  period_code: string;
  audience: SurveyAudience;
  /** `{ mode: 'all' | 'types' | 'list', types?, organisationIds? }` as for campaigns. */
  selection: Json;
  opens_on: CalendarDate;
  closes_on: CalendarDate;
  min_respondents: Generated<number>;
  requires_codes: Generated<boolean>;
  enrolment_input: string | null;
  status: Generated<SurveyStatus>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SurveyQuestionsTable {
  id: Generated<string>;
  survey_id: string;
  position: number;
  kind: SurveyQuestionKind;
  text: string;
  /** string[] of option labels (choice questions). */
  options: Json;
  required: Generated<boolean>;
  loyalty: Generated<boolean>;
}

export interface SurveyLinksTable {
  survey_id: string;
  organisation_id: string;
  token: string;
  children: number | null;
}

export interface SurveyCodesTable {
  survey_id: string;
  organisation_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: NullableCalendarDate;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  survey_id: string;
  organisation_id: string;
  submitted_on: CalendarDate;
}

export interface SurveyAnswersTable {
  response_id: string;
  question_id: string;
  value: string;
}

/** Campaign analysis (issue 6, migration 0007_campaign_analysis): append-only; the latest row per key is in force. */
export interface CampaignTablesTable {
  id: Generated<number>;
  campaign_id: string;
  dataset_id: string;
  file_name: string;
  /** string[] */
  header: Json;
  /** string[][] */
  rows: Json;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export interface CampaignBenchmarksTable {
  id: Generated<number>;
  campaign_id: string;
  key: string;
  regional_value: number | null;
  target_value: number | null;
  note: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export interface CampaignReportTextsTable {
  id: Generated<number>;
  campaign_id: string;
  block_id: string;
  text: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

/** In-app notifications (0010): `(user_id, key)` is unique, so reminder passes are idempotent. */
export type NotificationKind = 'due_soon' | 'overdue' | 'overdue_summary' | 'returned' | 'document';
export type EmailStatus = 'none' | 'pending' | 'sent' | 'failed';

export interface NotificationsTable {
  id: Generated<number>;
  user_id: string;
  kind: NotificationKind;
  key: string;
  campaign_id: string | null;
  organisation_id: string | null;
  title: string;
  body: string;
  link: string;
  created_at: Timestamp;
  read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  email_status: Generated<EmailStatus>;
  email_attempts: Generated<number>;
  email_error: string | null;
  email_locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  email_sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The issued document the notification carries (0019): downloadable by the users of its organisation. */
  document_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** The job queue (0006): claimed with `FOR UPDATE SKIP LOCKED`, see src/services/imports/jobs.ts. */
export interface JobsTable {
  id: Generated<string>;
  kind: string;
  payload: Json;
  status: Generated<JobStatus>;
  progress_done: Generated<number>;
  progress_total: number | null;
  progress_message: string | null;
  result: Json | null;
  error: string | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  created_by: string | null;
  /** `host:pid:random` of the worker that claimed the job. */
  locked_by: string | null;
  heartbeat_at: Timestamp | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export type ImportStatus = 'uploaded' | 'queued' | 'writing' | 'applied' | 'rejected' | 'failed';

/** An uploaded data file of a campaign (0006), src/services/imports/imports.ts. */
export interface ImportsTable {
  id: Generated<string>;
  campaign_id: string;
  file_name: string;
  format: 'csv' | 'xlsx';
  file_size: number;
  file_sha256: string;
  content: Uint8Array;
  sheets: Json;
  settings: Json | null;
  status: Generated<ImportStatus>;
  job_id: string | null;
  report: Json | null;
  created_by: string | null;
  created_at: Timestamp;
  applied_at: Timestamp | null;
}

export interface ImportMappingsTable {
  id: Generated<string>;
  name: string;
  methodology_id: string;
  columns: Json;
  match: Json;
  /** Value aliases of record lists (0014): field → { text as written → declared value }. */
  aliases: Json;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An applied record list of a campaign (0014, append-only): the latest per campaign and dataset is in force. */
export interface CampaignRecordListsTable {
  id: Generated<string>;
  campaign_id: string;
  dataset_id: string;
  import_id: string | null;
  file_name: string;
  sheet: string | null;
  header_line: number;
  rows_total: number;
  records: number;
  /** { confirmations, aliases } the list was applied with. */
  settings: Json;
  /** Lines left out: { line, reason }[]. */
  skipped: Json;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

/** A record of an applied list (0014, append-only): matched organisation, row of the file, typed fields. */
export interface CampaignRecordsTable {
  id: Generated<string>;
  list_id: string;
  organisation_id: string;
  line: number;
  label: string | null;
  fields: Json;
}

/** The groups of a record list formed when it was applied (0021), append-only: one row per list × definition hash. */
export interface CampaignRecordGroupsTable {
  list_id: string;
  definition_hash: string;
  /** The list's groups as one compact JSON text (record-groups.ts in services/imports). */
  groups: Json;
  at: Generated<Date>;
}

/** Department requisites per municipality (0016), append-only: the latest row is in force. */
export interface DepartmentRequisitesTable {
  id: Generated<number>;
  municipality_id: string;
  data: Json;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

/** Uploaded DOCX templates per municipality and document kind (0016), append-only: the latest is in force. */
export interface DocumentTemplatesTable {
  id: Generated<string>;
  municipality_id: string;
  kind: string;
  file_name: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

/** The last outgoing number per municipality, kind and year (0016). */
export interface DocumentCountersTable {
  municipality_id: string;
  kind: string;
  year: number;
  last_number: number;
}

/** The register of issued documents (0016), append-only. */
export interface DocumentsTable {
  id: Generated<string>;
  municipality_id: string;
  kind: string;
  year: number;
  seq: number;
  number: string;
  issued_on: string;
  title: string;
  campaign_id: string | null;
  fields: Json;
  data_hash: string;
  template_id: string | null;
  template_sha256: string;
  file_name: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export interface Database {
  municipalities: MunicipalitiesTable;
  regions: RegionsTable;
  campaign_stats: CampaignStatsTable;
  campaign_stats_stamps: CampaignStatsStampsTable;
  campaign_participation: CampaignParticipationTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  methodology_versions: MethodologyVersionsTable;
  campaigns: CampaignsTable;
  campaign_organisations: CampaignOrganisationsTable;
  campaign_events: CampaignEventsTable;
  submissions: SubmissionsTable;
  submission_events: SubmissionEventsTable;
  value_history: ValueHistoryTable;
  /** View (0013): the rows that count — forms, API and applied imports. Read values from here, never from the table. */
  value_history_visible: ValueHistoryTable;
  value_rows: ValueRowsTable;
  jobs: JobsTable;
  imports: ImportsTable;
  import_mappings: ImportMappingsTable;
  roadmap_events: RoadmapEventsTable;
  roadmap_completions: RoadmapCompletionsTable;
  recommendations: RecommendationsTable;
  recommendation_events: RecommendationEventsTable;
  decisions: DecisionsTable;
  decision_recommendations: DecisionRecommendationsTable;
  roadmap_event_revisions: RoadmapEventRevisionsTable;
  evidence_files: EvidenceFilesTable;
  surveys: SurveysTable;
  survey_questions: SurveyQuestionsTable;
  survey_links: SurveyLinksTable;
  survey_codes: SurveyCodesTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
  notifications: NotificationsTable;
  campaign_tables: CampaignTablesTable;
  campaign_record_lists: CampaignRecordListsTable;
  campaign_records: CampaignRecordsTable;
  campaign_record_groups: CampaignRecordGroupsTable;
  campaign_benchmarks: CampaignBenchmarksTable;
  campaign_report_texts: CampaignReportTextsTable;
  department_requisites: DepartmentRequisitesTable;
  document_templates: DocumentTemplatesTable;
  document_counters: DocumentCountersTable;
  documents: DocumentsTable;
  printed_reports: PrintedReportsTable;
  printed_report_figures: PrintedReportFiguresTable;
}

/** A printed report of a campaign (0018); removal marks the row. */
export interface PrintedReportsTable {
  id: Generated<string>;
  campaign_id: string;
  title: string;
  /** ISO date. */
  printed_on: string;
  source: string;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
  removed_at: Timestamp | null;
  removed_by: string | null;
  remover_login: string | null;
  removal_reason: string | null;
}

/** A figure a printed report printed (0018), append-only: the latest per report × scope × organisation × group ×
 * target is in force. */
export interface PrintedReportFiguresTable {
  id: Generated<number>;
  report_id: string;
  batch: string;
  scope: 'organisation' | 'group' | 'municipal';
  organisation_id: string | null;
  group_key: string | null;
  target: string;
  value_text: string | null;
  level_text: string | null;
  actor_user_id: string | null;
  actor_login: string | null;
  at: Timestamp;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisationRow = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
