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

export interface Database {
  municipalities: MunicipalitiesTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  methodology_versions: MethodologyVersionsTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisationRow = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
