/** Who may call what: ONE table, keyed by route id `METHOD /url` exactly as registered in Fastify
 * (`GET /api/organisations/:id`). Every route must have a rule — `installPolicy` throws at registration otherwise,
 * so the permission matrix can be tested by enumerating `POLICY` and the registered routes.
 *
 * A rule is either `public` (no session needed) or a list of roles, with an optional scope per role:
 * - `ownOrganisation`: the `:id` route parameter must be the caller's organisation (else 403);
 * - `ownOrganisationList`: the handler receives `request.orgScope` = the caller's organisation and filters by it.
 * With either scope, a `:orgId` route parameter must also be the caller's organisation (else 403).
 * With either scope an `:orgId` route parameter must be the caller's organisation (else 403, before body validation).
 * Keys ending in `*` match every route url with that prefix (plugin-registered documentation and static files). */
import type { Role } from '../core/registry/schema.ts';

export type Scope = 'ownOrganisation' | 'ownOrganisationList';

export type Rule =
  | { access: 'public'; note?: string }
  | { access: 'roles'; roles: readonly Role[]; scope?: Partial<Record<Role, Scope>>; note?: string };

const ALL: readonly Role[] = ['admin', 'analyst', 'working_group', 'org_rep'];
const ADMIN: readonly Role[] = ['admin'];
const pub = (note?: string): Rule => ({ access: 'public', note });

export const POLICY: Readonly<Record<string, Rule>> = {
  'GET /api/health': pub('проверка работоспособности'),
  'GET /api/openapi.json': pub('описание API'),
  'GET /api/docs*': pub('Swagger UI'),
  'GET /api/auth/csrf': pub('выдача CSRF-токена'),
  'POST /api/auth/login': pub('вход'),
  'GET /api/auth/me': pub('текущий пользователь или 401'),
  'POST /api/auth/logout': { access: 'roles', roles: ALL },
  'POST /api/auth/logout-all': { access: 'roles', roles: ALL },
  'GET /api/demo-users': pub('демо-логины (только в демо-режиме)'),

  'GET /api/organisations': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'GET /api/organisations/:id': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisation' } },
  'POST /api/organisations': { access: 'roles', roles: ADMIN },
  'PATCH /api/organisations/:id': { access: 'roles', roles: ADMIN },
  'POST /api/organisations/:id/close': { access: 'roles', roles: ADMIN },
  'POST /api/organisations/:id/reopen': { access: 'roles', roles: ADMIN },

  'GET /api/audit': { access: 'roles', roles: ADMIN },

  'GET /api/methodologies': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/methodologies/:id/:version': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/methodologies/lint': { access: 'roles', roles: ['admin', 'analyst'], note: 'проверка без записи' },
  'POST /api/methodologies': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/methodologies/:id/:version/compute': { access: 'roles', roles: ['admin', 'analyst'] },

  // Campaigns and organisation forms: org representatives are scoped to their organisation (the services check
  // `:orgId` against request.orgScope and refuse others with 403).
  'GET /api/campaigns': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/campaigns': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/campaigns/:id': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/campaigns/:id/open': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/campaigns/:id/close': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/campaigns/:id/reopen': { access: 'roles', roles: ['admin', 'analyst'], note: 'с причиной, в журнале' },
  'POST /api/campaigns/:id/publish': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/campaigns/:id/organisations/:orgId': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'PUT /api/campaigns/:id/organisations/:orgId/values': { access: 'roles', roles: ['admin', 'analyst', 'org_rep'], scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/campaigns/:id/organisations/:orgId/submit': { access: 'roles', roles: ['admin', 'analyst', 'org_rep'], scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/campaigns/:id/organisations/:orgId/accept': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/campaigns/:id/organisations/:orgId/return': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/campaigns/:id/organisations/:orgId/history': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },

  // Management cycle (issue 7): road maps are municipal plans, readable by every role; recommendations are scoped for
  // org representatives (the service refuses another organisation's recommendation with 403).
  'GET /api/roadmaps/templates': { access: 'roles', roles: ALL },
  'GET /api/roadmaps/:direction/:year': { access: 'roles', roles: ALL },
  'GET /api/roadmaps/:direction/:year.ics': { access: 'roles', roles: ALL },
  'POST /api/roadmaps/:direction/:year/import': { access: 'roles', roles: ['admin', 'analyst'], note: 'идемпотентно, в журнале' },
  'POST /api/roadmaps/events/:id/completions': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/cycle/:direction/:year': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/recommendations': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'GET /api/recommendations/:id': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/recommendations': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/recommendations/propose': { access: 'roles', roles: ['admin', 'analyst'], note: 'расчёт по файлу, без записи' },
  'PATCH /api/recommendations/:id': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/recommendations/:id/status': { access: 'roles', roles: ['admin', 'analyst', 'org_rep'], scope: { org_rep: 'ownOrganisationList' } },
  'GET /api/decisions': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/decisions': { access: 'roles', roles: ['admin', 'analyst'] },
  'PATCH /api/decisions/:id': { access: 'roles', roles: ['admin', 'analyst'] },

  // Anonymous surveys (issue 5): analysts manage; org representatives read their own organisation's results (the
  // service still suppresses below the minimum); respondents use the two public routes without an account.
  'GET /api/surveys': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/surveys': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/surveys/:id': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/surveys/:id/open': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/surveys/:id/close': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/surveys/:id/links': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/surveys/:id/links/:orgId/qr.png': { access: 'roles', roles: ['admin', 'analyst'] },
  'PUT /api/surveys/:id/enrolment': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/surveys/:id/codes': { access: 'roles', roles: ['admin', 'analyst'], note: 'коды показываются один раз, хранятся только хэши' },
  'GET /api/surveys/:id/results': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'GET /api/surveys/:id/satisfaction.csv': { access: 'roles', roles: ['admin', 'analyst'], note: 'выгрузка непубличных данных, в журнале' },
  'GET /api/public/surveys/:token': pub('анкета по ссылке организации'),
  'POST /api/public/surveys/:token/responses': pub('анонимный ответ: CSRF-токен, ограничение частоты по IP и опросу, одноразовые коды'),

  'GET /': pub('SPA или подсказка о сборке'),
  'GET /*': pub('файлы SPA'),
};

/** `HEAD` routes share the rule of their `GET`. */
export function routeId(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

export function findRule(id: string, policy: Readonly<Record<string, Rule>> = POLICY): Rule | undefined {
  const exact = policy[id];
  if (exact) return exact;
  for (const [key, rule] of Object.entries(policy)) {
    if (key.endsWith('*') && key !== 'GET /*' && id.startsWith(key.slice(0, -1))) return rule;
  }
  return undefined;
}

export type Decision =
  | { allow: true; orgScope: string | null }
  | { allow: false; status: 401 | 403 };

export interface Caller {
  role: Role;
  organisationId: string | null;
}

/** Pure decision: rule + caller (or null) + route params → allow (with the organisation scope) or 401/403. */
export function decide(rule: Rule, caller: Caller | null, params: Record<string, unknown>): Decision {
  if (rule.access === 'public') return { allow: true, orgScope: null };
  if (!caller) return { allow: false, status: 401 };
  if (!rule.roles.includes(caller.role)) return { allow: false, status: 403 };
  const scope = rule.scope?.[caller.role];
  if (!scope) return { allow: true, orgScope: null };
  if (!caller.organisationId) return { allow: false, status: 403 };
  if (scope === 'ownOrganisation' && params.id !== caller.organisationId) return { allow: false, status: 403 };
  if (params.orgId !== undefined && params.orgId !== caller.organisationId) return { allow: false, status: 403 };
  if (params.orgId !== undefined && params.orgId !== caller.organisationId) return { allow: false, status: 403 };
  return { allow: true, orgScope: caller.organisationId };
}
