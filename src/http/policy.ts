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
  'POST /api/auth/logout': { access: 'roles', roles: [...ALL, 'regional_analyst'] },
  'POST /api/auth/logout-all': { access: 'roles', roles: [...ALL, 'regional_analyst'] },
  'GET /api/demo-users': pub('демо-логины (только в демо-режиме)'),
  'GET /docs/*': pub('руководство пользователя и справочные страницы (docs/*.md как HTML, снимки экрана)'),

  'GET /api/organisations': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' } },
  'GET /api/organisations/:id': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisation' } },
  'POST /api/organisations': { access: 'roles', roles: ADMIN },
  'PATCH /api/organisations/:id': { access: 'roles', roles: ADMIN },
  'POST /api/organisations/:id/close': { access: 'roles', roles: ADMIN },
  'POST /api/organisations/:id/reopen': { access: 'roles', roles: ADMIN },

  'GET /api/audit': { access: 'roles', roles: ADMIN },
  'GET /api/admin/backup': { access: 'roles', roles: ADMIN, note: 'выгрузка всех данных, в журнале' },
  'POST /api/admin/restore': { access: 'roles', roles: ADMIN, note: 'замена всех данных с подтверждением, в журнале' },

  'GET /api/methodologies': { access: 'roles', roles: ['admin', 'analyst', 'working_group', 'regional_analyst'], note: 'региональному аналитику — для регионального мониторинга' },
  'GET /api/methodologies/:id/:version': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/methodologies/:id/:version/diff': { access: 'roles', roles: ['admin', 'analyst', 'working_group'], note: 'сравнение версий' },
  'POST /api/methodologies/lint': { access: 'roles', roles: ['admin', 'analyst'], note: 'проверка без записи' },
  'POST /api/methodologies': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/methodologies/:id/:version/edits/preview': { access: 'roles', roles: ['admin', 'analyst'], note: 'редактор: проверка без записи' },
  'POST /api/methodologies/:id/:version/edits': { access: 'roles', roles: ['admin', 'analyst'], note: 'редактор: новая версия' },
  'POST /api/campaigns/:id/what-if': { access: 'roles', roles: ['admin', 'analyst'], note: 'черновик методики на данных мониторинга, без записи' },
  'POST /api/methodologies/criteria-import': { access: 'roles', roles: ['admin', 'analyst'], note: 'чтение таблицы без записи' },
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

  // Imports into a campaign (issue 5) and the job queue (issue 9): analysts and administrators import; a job is shown
  // to its creator or an administrator (the service answers 404 to anyone else).
  'POST /api/campaigns/:id/imports': { access: 'roles', roles: ['admin', 'analyst'], note: 'загрузка файла, тип по содержимому, в журнале' },
  'GET /api/campaigns/:id/imports': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/imports/:id': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/imports/:id/preview': { access: 'roles', roles: ['admin', 'analyst'], note: 'проверка без записи' },
  'POST /api/imports/:id/apply': { access: 'roles', roles: ['admin', 'analyst'], note: 'задание: всё или ничего, в журнале' },
  'POST /api/campaigns/:id/imports/fisoko': { access: 'roles', roles: ['admin', 'analyst'], note: 'отчёты ФИС ОКО: до 20 файлов — один импорт, в журнале' },
  'POST /api/imports/:id/fisoko/preview': { access: 'roles', roles: ['admin', 'analyst'], note: 'проверка без записи' },
  'POST /api/imports/:id/fisoko/apply': { access: 'roles', roles: ['admin', 'analyst'], note: 'задание: всё или ничего, в журнале' },
  'POST /api/imports/:id/fisoko/logins': { access: 'roles', roles: ['admin', 'analyst'], note: 'логины ФИС ОКО из отчётов в реестр (предложенные проверкой), правки реестра в журнале' },
  'GET /api/import-mappings': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/import-mappings': { access: 'roles', roles: ['admin', 'analyst'] },
  // Record lists (issue 21): the uploaded file previewed and applied as records; the drill-down of a record-based figure.
  'GET /api/imports/:id/records': { access: 'roles', roles: ['admin', 'analyst'], note: 'вид файла: список записей или таблица' },
  'POST /api/imports/:id/records/preview': { access: 'roles', roles: ['admin', 'analyst'], note: 'проверка списка записей без записи' },
  'POST /api/imports/:id/records/start': { access: 'roles', roles: ['admin', 'analyst'], note: 'задание: всё или ничего, в журнале' },
  'POST /api/imports/:id/records/apply': { access: 'roles', roles: ['admin', 'analyst'], note: 'всё или ничего, в журнале' },
  'GET /api/campaigns/:id/record-lists': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/campaigns/:id/records/:orgId/:input': { access: 'roles', roles: ['admin', 'analyst', 'working_group'], note: 'записи, из которых посчитано значение' },
  'GET /api/jobs/:id': { access: 'roles', roles: ALL, note: 'автору задания и администратору' },
  // Analysis and reports of a campaign (issue 6): results of other organisations are not for org representatives.
  'GET /api/campaigns/:id/analysis': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/campaigns/:id/analysis/work': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/campaigns/:id/report': { access: 'roles', roles: ['admin', 'analyst', 'working_group'], note: 'скачивание в журнале' },
  'GET /api/campaigns/:id/protocol': { access: 'roles', roles: ['admin', 'analyst', 'working_group'], note: 'скачивание в журнале' },
  'GET /api/campaigns/:id/report-texts': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'PUT /api/campaigns/:id/report-texts': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/campaigns/:id/benchmarks': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'PUT /api/campaigns/:id/benchmarks': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/campaigns/:id/tables': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/campaigns/:id/tables': { access: 'roles', roles: ['admin', 'analyst'] },
  // Printed reports of a campaign (issue 15, item 4): read with the analysis, attached and filled by analysts.
  'GET /api/campaigns/:id/printed-reports': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/campaigns/:id/printed-reports': { access: 'roles', roles: ['admin', 'analyst'], note: 'в журнале' },
  'POST /api/campaigns/:id/printed-reports/:reportId/figures': { access: 'roles', roles: ['admin', 'analyst'], note: 'всё или ничего, в журнале' },
  'GET /api/campaigns/:id/printed-reports/:reportId/figures': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'DELETE /api/campaigns/:id/printed-reports/:reportId/figures/:figureId': { access: 'roles', roles: ['admin', 'analyst'], note: 'с причиной, прежние записи остаются, в журнале' },
  'POST /api/campaigns/:id/printed-reports/:reportId/import': { access: 'roles', roles: ['admin', 'analyst'], note: 'CSV или XLSX до 10 МБ, всё или ничего, в журнале' },
  'POST /api/campaigns/:id/printed-reports/:reportId/docx/preview': { access: 'roles', roles: ['admin', 'analyst'], note: 'DOCX до 10 МБ, ничего не сохраняется' },
  'POST /api/campaigns/:id/printed-reports/:reportId/docx/apply': { access: 'roles', roles: ['admin', 'analyst'], note: 'DOCX до 10 МБ, всё или ничего, в журнале' },
  'DELETE /api/campaigns/:id/printed-reports/:reportId': { access: 'roles', roles: ['admin', 'analyst'], note: 'с причиной, в журнале' },
  'GET /api/public/campaigns': pub('опубликованные мониторинги'),
  'GET /api/public/campaigns/:id': pub('агрегированные результаты опубликованного мониторинга: по типам, без данных ниже минимума опроса'),

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
  // Issue 7, second part (src/http/routes/cycle/cycle-effect.ts): proposals from a campaign, decision with its effect, evidence
  // files (a recommendation's files: its organisation's representative too — the service checks the addressee), hand
  // edits of road-map events, passports, the yearly report.
  'GET /api/campaigns/:id/recommendation-proposals': { access: 'roles', roles: ['admin', 'analyst'], note: 'расчёт, без записи' },
  'GET /api/decisions/:id': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/recommendations/:id/evidence': { access: 'roles', roles: ['admin', 'analyst', 'working_group', 'org_rep'], scope: { org_rep: 'ownOrganisationList' } },
  'POST /api/recommendations/:id/evidence': { access: 'roles', roles: ['admin', 'analyst', 'org_rep'], scope: { org_rep: 'ownOrganisationList' }, note: 'тип по содержимому, до 10 МБ, в журнале' },
  'GET /api/roadmaps/events/:id/evidence': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/roadmaps/events/:id/evidence': { access: 'roles', roles: ['admin', 'analyst'], note: 'тип по содержимому, до 10 МБ, в журнале' },
  'GET /api/decisions/:id/evidence': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/decisions/:id/evidence': { access: 'roles', roles: ['admin', 'analyst'], note: 'тип по содержимому, до 10 МБ, в журнале' },
  'DELETE /api/evidence/:id': { access: 'roles', roles: ['admin', 'analyst', 'org_rep'], scope: { org_rep: 'ownOrganisationList' }, note: 'загрузивший или аналитик; восстанавливается 30 дней; в журнале' },
  'POST /api/evidence/:id/restore': { access: 'roles', roles: ['admin', 'analyst', 'org_rep'], scope: { org_rep: 'ownOrganisationList' }, note: 'загрузивший или аналитик, в течение 30 дней; в журнале' },
  'GET /api/evidence/:id': { access: 'roles', roles: ['admin', 'analyst', 'working_group', 'org_rep'], scope: { org_rep: 'ownOrganisationList' }, note: 'только как вложение; ОО — только файлы своих рекомендаций; в журнале' },
  'POST /api/roadmaps/:direction/:year/events': { access: 'roles', roles: ['admin', 'analyst'] },
  'PATCH /api/roadmaps/events/:id': { access: 'roles', roles: ['admin', 'analyst'], note: 'прежняя редакция — в истории' },
  'DELETE /api/roadmaps/events/:id': { access: 'roles', roles: ['admin', 'analyst'], note: 'пометка, восстанавливается' },
  'POST /api/roadmaps/events/:id/restore': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/roadmaps/events/:id/history': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'GET /api/passports/:direction': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },
  'POST /api/passports/:direction': { access: 'roles', roles: ['admin', 'analyst'], note: 'новая неизменяемая версия' },
  'GET /api/yearly-report/:year.docx': { access: 'roles', roles: ['admin', 'analyst', 'working_group'] },

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

  // Notifications and reminders (issue 5): everyone reads and marks only their own notifications (the service filters
  // by the session's user); settings are public (the login page shows the name), changed by the administrator.
  'GET /api/attention': { access: 'roles', roles: ALL, scope: { org_rep: 'ownOrganisationList' }, note: 'стартовая страница: своего муниципалитета, представителю ОО — своей организации' },
  'GET /api/notifications': { access: 'roles', roles: ALL, note: 'только свои' },
  'GET /api/notifications/unread-count': { access: 'roles', roles: ALL, note: 'только свои' },
  'POST /api/notifications/:id/read': { access: 'roles', roles: ALL, note: 'чужое уведомление — 404' },
  'POST /api/notifications/read-all': { access: 'roles', roles: ALL, note: 'только свои' },
  'POST /api/reminders/run': { access: 'roles', roles: ['admin', 'analyst'], note: 'идемпотентно, в журнале' },
  'GET /api/settings': pub('название муниципалитета (шапка, страница входа), часовой пояс и сегодняшняя дата'),
  'PATCH /api/settings': { access: 'roles', roles: ADMIN, note: 'в журнале' },
  'PUT /api/campaigns/:id/reminders': { access: 'roles', roles: ['admin', 'analyst'] },
  'PUT /api/users/:id/email': { access: 'roles', roles: ADMIN, note: 'в журнале' },

  // Region level (issue 9): only the regional analyst; the region is the one of the caller's account. Municipal roles
  // never see another municipality (request.municipalityScope, set by the guard, scopes their lists).
  'GET /api/region': { access: 'roles', roles: ['regional_analyst'] },
  'GET /api/region/campaigns': { access: 'roles', roles: ['regional_analyst'], note: 'только опубликованные' },
  'GET /api/region/ranking': { access: 'roles', roles: ['regional_analyst'] },
  'GET /api/region/distribution': { access: 'roles', roles: ['regional_analyst'] },
  'GET /api/region/dynamics': { access: 'roles', roles: ['regional_analyst'] },
  'GET /api/region/subjects': { access: 'roles', roles: ['regional_analyst'], note: 'по предметам и классам, по опубликованным результатам' },
  'GET /api/region/report.docx': { access: 'roles', roles: ['regional_analyst'], note: 'по опубликованным результатам' },
  // Regional campaigns: created and run by the regional analyst over municipalities of their region; organisation
  // representatives fill the forms through the municipal form routes, municipal analysts see their organisations.
  'GET /api/region/me': { access: 'roles', roles: ['regional_analyst'], note: 'название региона для шапки' },
  'GET /api/region/regional-campaigns': { access: 'roles', roles: ['regional_analyst'] },
  'POST /api/region/regional-campaigns': { access: 'roles', roles: ['regional_analyst'], note: 'в журнале' },
  'GET /api/region/regional-campaigns/:id': { access: 'roles', roles: ['regional_analyst'], note: 'участие по муниципалитетам' },
  'POST /api/region/regional-campaigns/:id/open': { access: 'roles', roles: ['regional_analyst'] },
  'POST /api/region/regional-campaigns/:id/close': { access: 'roles', roles: ['regional_analyst'] },
  'POST /api/region/regional-campaigns/:id/reopen': { access: 'roles', roles: ['regional_analyst'], note: 'с причиной, в журнале' },
  'POST /api/region/regional-campaigns/:id/publish': { access: 'roles', roles: ['regional_analyst'] },

  // Documents on the department's letterhead (issue 18): requisites, the register of outgoing documents, templates and
  // the campaign's information letter — the municipality's analysts and administrators (src/http/routes/documents).
  'GET /api/settings/requisites': { access: 'roles', roles: ['admin', 'analyst'] },
  'PUT /api/settings/requisites': { access: 'roles', roles: ['admin', 'analyst'], note: 'новая редакция, прежние в истории; в журнале' },
  'GET /api/documents': { access: 'roles', roles: ['admin', 'analyst'], note: 'журнал исходящих своего муниципалитета' },
  'GET /api/documents/:id/file': { access: 'roles', roles: ['admin', 'analyst'], note: 'только как вложение; в журнале' },
  'GET /api/documents/templates': { access: 'roles', roles: ['admin', 'analyst'] },
  'POST /api/documents/templates/:kind': { access: 'roles', roles: ['admin', 'analyst'], note: 'DOCX до 2 МБ, подстановки проверяются; в журнале' },
  'GET /api/documents/templates/:kind/file': { access: 'roles', roles: ['admin', 'analyst'], note: 'действующий шаблон вложением; в журнале' },
  'DELETE /api/documents/templates/:kind': { access: 'roles', roles: ['admin', 'analyst'], note: 'возврат к встроенному шаблону; в журнале' },
  'GET /api/campaigns/:id/documents': { access: 'roles', roles: ['admin', 'analyst'] },
  'GET /api/campaigns/:id/documents/letter': { access: 'roles', roles: ['admin', 'analyst'], note: 'черновик, без записи' },
  'POST /api/campaigns/:id/documents/letter': { access: 'roles', roles: ['admin', 'analyst'], note: 'номер по журналу, в журнале' },
  'GET /api/documents/orders/approval': { access: 'roles', roles: ['admin', 'analyst'], note: 'черновик, без записи' },
  'POST /api/documents/orders/approval': { access: 'roles', roles: ['admin', 'analyst'], note: 'номер по журналу приказов, в журнале' },
  'GET /api/campaigns/:id/documents/results-order': { access: 'roles', roles: ['admin', 'analyst'], note: 'черновик, без записи' },
  'POST /api/campaigns/:id/documents/results-order': { access: 'roles', roles: ['admin', 'analyst'], note: 'номер по журналу приказов, в журнале' },
  'GET /api/campaigns/:id/documents/recommendation-letters': { access: 'roles', roles: ['admin', 'analyst'], note: 'черновик, без записи' },
  'POST /api/campaigns/:id/documents/recommendation-letters': { access: 'roles', roles: ['admin', 'analyst'], note: 'по письму на организацию, номера по журналу писем, в журнале' },
  'POST /api/campaigns/:id/documents/reference': { access: 'roles', roles: ['admin', 'analyst'], note: 'справка на шаблоне управления, номер по журналу справок, в журнале' },
  'POST /api/campaigns/:id/documents/protocol': { access: 'roles', roles: ['admin', 'analyst'], note: 'протокол на шаблоне управления, номер по журналу протоколов, в журнале' },
  'GET /api/received-documents/:id/file': { access: 'roles', roles: ['org_rep'], scope: { org_rep: 'ownOrganisationList' }, note: 'только письма, направленные своей организации (уведомление); в журнале' },
  'GET /api/documents/:id/pdf': { access: 'roles', roles: ['admin', 'analyst'], note: 'PDF через LibreOffice; без него — 409 с названием пакета; в журнале' },
  'GET /api/received-documents/:id/pdf': { access: 'roles', roles: ['org_rep'], scope: { org_rep: 'ownOrganisationList' }, note: 'PDF письма своей организации; в журнале' },

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
