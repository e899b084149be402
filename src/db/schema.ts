/** Typed view of the msoko database for Kysely. One interface per table; the migrations in ./migrations create them. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** `date` columns travel as ISO calendar strings (`2022-06-30`); both drivers are configured not to build Dates. */
type NullableCalendarDate = ColumnType<string | null, string | null | undefined, string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type OrganisationType = 'school' | 'preschool' | 'supplementary';
export type OrganisationStatus = 'active' | 'closed';
export type Role = 'admin' | 'analyst' | 'working_group' | 'org_rep';

export interface MunicipalitiesTable {
  id: Generated<string>;
  name: string;
  created_at: Timestamp;
}

export interface OrganisationsTable {
  id: Generated<string>;
  municipality_id: string;
  no: number;
  short_name: string;
  full_name: string;
  type: OrganisationType;
  inn: string | null;
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
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
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

export interface Database {
  municipalities: MunicipalitiesTable;
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
  roadmap_events: RoadmapEventsTable;
  roadmap_completions: RoadmapCompletionsTable;
  recommendations: RecommendationsTable;
  recommendation_events: RecommendationEventsTable;
  decisions: DecisionsTable;
  decision_recommendations: DecisionRecommendationsTable;
  surveys: SurveysTable;
  survey_questions: SurveyQuestionsTable;
  survey_links: SurveyLinksTable;
  survey_codes: SurveyCodesTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisationRow = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
