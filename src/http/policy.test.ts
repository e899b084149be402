import { describe, expect, it } from 'vitest';
import { POLICY, decide, findRule, routeId } from './policy.ts';

const ORG_A = '11111111-1111-1111-1111-111111111111';
const ORG_B = '22222222-2222-2222-2222-222222222222';

describe('access policy', () => {
  it('maps HEAD to the GET rule and matches prefix rules only for their prefix', () => {
    expect(routeId('HEAD', '/api/health')).toBe('GET /api/health');
    expect(findRule('GET /api/docs/static/*')).toEqual({ access: 'public', note: 'Swagger UI' });
    expect(findRule('GET /api/unknown')).toBeUndefined();
    expect(findRule('POST /api/docs/x')).toBeUndefined();
  });

  it('decides per role and organisation scope', () => {
    const getOne = POLICY['GET /api/organisations/:id']!;
    const rep = { role: 'org_rep' as const, organisationId: ORG_A };
    expect(decide(getOne, null, { id: ORG_A })).toEqual({ allow: false, status: 401 });
    expect(decide(getOne, rep, { id: ORG_A })).toEqual({ allow: true, orgScope: ORG_A });
    expect(decide(getOne, rep, { id: ORG_B })).toEqual({ allow: false, status: 403 });
    expect(decide(getOne, { role: 'analyst', organisationId: null }, { id: ORG_B })).toEqual({ allow: true, orgScope: null });
    expect(decide(POLICY['GET /api/organisations']!, rep, {})).toEqual({ allow: true, orgScope: ORG_A });
    expect(decide(POLICY['POST /api/organisations']!, { role: 'analyst', organisationId: null }, {})).toEqual({ allow: false, status: 403 });
    expect(decide(POLICY['POST /api/organisations']!, { role: 'admin', organisationId: null }, {})).toEqual({ allow: true, orgScope: null });
    expect(decide(POLICY['POST /api/auth/login']!, null, {})).toEqual({ allow: true, orgScope: null });
    const listScoped = { access: 'roles' as const, roles: ['org_rep' as const], scope: { org_rep: 'ownOrganisationList' as const } };
    expect(decide(listScoped, rep, { id: 'c1', orgId: ORG_B })).toEqual({ allow: false, status: 403 });
    expect(decide(listScoped, rep, { id: 'c1', orgId: ORG_A })).toEqual({ allow: true, orgScope: ORG_A });
  });

  it('gives org representatives no write on the registry and no audit log', () => {
    for (const [id, rule] of Object.entries(POLICY)) {
      if (id.startsWith('GET') || rule.access === 'public' || id.startsWith('POST /api/auth/')) continue;
      if (id.includes('/api/organisations') || id.includes('/api/audit')) expect(rule.roles, id).toEqual(['admin']);
    }
    expect(POLICY['GET /api/audit']).toEqual({ access: 'roles', roles: ['admin'] });
  });
});
