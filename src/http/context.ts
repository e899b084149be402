/** What routes need from the application: the database and settings. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DatabaseKind } from '../db/connection.ts';
import type { AuthSettings } from '../services/admin/auth.ts';
import type { CookieNames } from './guard.ts';

export interface AppContext {
  db: Kysely<Database>;
  kind: DatabaseKind;
  demo: boolean;
  auth: AuthSettings;
  cookieSecure: boolean;
  /** `__Host-` prefixed when `cookieSecure` (guard.ts). */
  cookies: CookieNames;
  /** Per-dimension rows the analysis page receives whole (dimensional-compact.ts). */
  analysisInlineRows: number;
}
