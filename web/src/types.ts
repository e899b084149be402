/** Shapes of the API responses the SPA reads; registry types come from the server's zod schemas. */

export type {
  Organisation,
  OrganisationStatus as OrgStatus,
  OrganisationType as OrgType,
  Role,
  SessionUser as User,
} from '../../src/core/registry/index.ts';
import type { Role } from '../../src/core/registry/index.ts';

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
