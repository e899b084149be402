/** Shapes of the API responses the SPA reads. */

export type Role = 'admin' | 'analyst' | 'working_group' | 'org_rep';
export type OrgType = 'school' | 'preschool' | 'supplementary';
export type OrgStatus = 'active' | 'closed';

export interface User {
  id: string | number;
  login: string;
  fullName: string;
  role: Role;
  organisationId: string | number | null;
  organisationName: string | null;
}

export interface Organisation {
  id: string | number;
  no: number | null;
  shortName: string;
  fullName: string;
  type: OrgType;
  inn: string | null;
  growthPoint: boolean;
  status: OrgStatus;
  openedAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
}

export interface AuditEntry {
  id: string | number;
  at: string;
  actorLogin: string | null;
  action: string;
  targetType: string | null;
  targetId: string | number | null;
  ip: string | null;
  details: unknown;
}

export interface DemoUser {
  login: string;
  password: string;
  role: Role;
  fullName: string;
  organisationName: string | null;
}
