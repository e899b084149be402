/** Where each page's «Справка» link leads: the section of the user guide (docs/guide, served at /docs/guide/… by
 * the server) for the page and the role. The anchors are GitHub-style ids of the guide's headings; the e2e test
 * test/e2e/guide.test.ts opens every link and checks that its section exists. */
import type { Role } from './types.ts';

export const GUIDE_BASE = '/docs/guide';

const ROLE_PAGE: Record<Role, string> = {
  admin: 'admin.md',
  analyst: 'analyst.md',
  working_group: 'working-group.md',
  org_rep: 'org-rep.md',
  regional_analyst: 'index.md',
};

/** [path prefix, section per role page] — the first match wins; a role without the section gets its page's top. */
const SECTIONS: [RegExp, Partial<Record<Role, string>>][] = [
  [/^\/$/, { admin: 'что-требует-внимания', analyst: 'что-требует-внимания', working_group: 'что-требует-внимания', org_rep: 'что-требует-внимания' }],
  [/^\/organisations/, { admin: 'реестр-организаций', org_rep: 'моя-организация' }],
  [/^\/campaigns\/[^/]+\/organisations\//, { analyst: 'проверка-форм', org_rep: 'заполнение-формы-мониторинга', admin: 'мониторинги' }],
  [/^\/campaigns\/[^/]+\/(analysis|report)/, { analyst: 'результаты-и-отчёт', working_group: 'результаты-мониторинга' }],
  [/^\/campaigns/, { analyst: 'мониторинги', org_rep: 'заполнение-формы-мониторинга', working_group: 'результаты-мониторинга', admin: 'мониторинги' }],
  [/^\/surveys/, { analyst: 'опросы', org_rep: 'опросы' }],
  [/^\/roadmaps/, { analyst: 'дорожные-карты', working_group: 'дорожные-карты-и-цикл', admin: 'дорожные-карты' }],
  [/^\/(recommendations|decisions)/, { analyst: 'рекомендации-и-решения', org_rep: 'рекомендации', working_group: 'дорожные-карты-и-цикл' }],
  [/^\/(methodologies|compute)/, { analyst: 'методики-и-расчёт-по-файлу' }],
  [/^\/audit/, { admin: 'журнал-аудита' }],
  [/^\/backup/, { admin: 'резервные-копии' }],
];

export function guideHref(pathname: string, role: Role): string {
  const page = ROLE_PAGE[role] ?? 'index.md';
  const match = SECTIONS.find(([re]) => re.test(pathname));
  const section = match?.[1][role];
  return `${GUIDE_BASE}/${page}${section ? `#${section}` : ''}`;
}
