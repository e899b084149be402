/** Issue 22, the campaign side, on the real database (both engines): a campaign on `direction-preparation` 2021.2 (ВПР
 * per subject × grade) with three registry schools. A school representative fills the per-dimension tables through the
 * API (a row per subject × grade, history per cell, a dimension value outside the declared list refused in Russian,
 * the region's shares not typed in the form), another school's values come through the service, the region's shares
 * as an import would write them; the campaign's results are one row per school × subject × grade and indicator, with
 * values computed here independently from the typed shares. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignResults } from '../../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus, createCampaign, findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues, saveValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

type Cell = { input: string; dimensions: Record<string, string>; value: number | null };
const MATH5 = { subject: 'Математика', grade: '5' };
const RUS7 = { subject: 'Русский язык', grade: '7' };
/** The region's shares of «3», «4», «5» in Математика 5 (the comparison row of the report). */
const regionShares = [3, 4, 5].map((k, i) => ({ input: `region_vpr_share_${k}`, value: [40, 30, 5][i] ?? null, evidenceUrl: null, dimensions: MATH5 }));
const marks = (dimensions: Record<string, string>, n: number, s: [number, number, number, number]): Cell[] => [
  { input: 'vpr_participants', dimensions, value: n },
  ...s.map((value, i) => ({ input: `vpr_share_${i + 2}`, dimensions, value })),
];

describe.each(BACKENDS)('per-dimension forms and results on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let school: Client;
  let analyst: Client;
  let actor: Actor;
  let campaignId: string;
  const org = new Map<string, string>();
  const formUrl = () => `/api/campaigns/${campaignId}/organisations/${org.get('№1')}`;
  const historyCount = async () => Number((await database.db.selectFrom('value_history').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    for (const o of await database.db.selectFrom('organisations').select(['id', 'short_name']).where('no', 'in', [1, 2, 3]).execute()) org.set(o.short_name, o.id);
    const c = await createCampaign(database.db, actor, {
      title: 'ВПР по предметам (2025)',
      methodologyId: 'direction-preparation',
      methodologyVersion: '2021.2',
      period: '2025',
      participants: { mode: 'list', organisationIds: [...org.values()] },
      opensOn: '2025-03-01',
      dueOn: '2025-06-01',
      closesOn: '2030-06-30',
    });
    campaignId = c.id;
    await changeCampaignStatus(database.db, actor, campaignId, 'open');
    app = (await buildTestApp(database)).app;
    school = new Client(app, '10.22.0.2');
    expect((await school.login('oo1')).statusCode).toBe(200);
    analyst = new Client(app, '10.22.0.3');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the form shows each dimensional dataset as a table of the columns a school types, with the declared values', async () => {
    const res = await school.get(formUrl());
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.fields.map((f: { name: string }) => f.name)).toEqual(['quality_plan_on_site', 'vpr_inefficiency_signs']);
    expect(view.dimensional.map((t: { datasetId: string }) => t.datasetId)).toEqual(['vpr_marks', 'vpr_journal', 'gia_results']);
    const t = view.dimensional[0];
    expect(t.dimensions.map((d: { title: string }) => d.title)).toEqual(['Предмет', 'Класс']);
    expect(t.dimensions[1].values[1]).toEqual({ value: '5', label: '5 класс' });
    expect(t.fields.map((f: { name: string }) => f.name)).toEqual(['vpr_participants', 'vpr_share_2', 'vpr_share_3', 'vpr_share_4', 'vpr_share_5']);
    expect(t.comparison.map((f: { name: string }) => f.name)).toEqual([
      'region_vpr_share_2', 'region_vpr_share_3', 'region_vpr_share_4', 'region_vpr_share_5',
      'municipality_vpr_share_2', 'municipality_vpr_share_3', 'municipality_vpr_share_4', 'municipality_vpr_share_5',
    ]);
    expect(t.rows).toEqual([]);
    expect(view.completeness).toEqual({ filled: 0, required: 2, percent: 0 });
  });

  it('saves cells per subject × grade (append-only, audited), keeps history per cell', async () => {
    const save = (dimensional: Cell[], values: Record<string, { value: boolean }> = {}) => school.request('PUT', `${formUrl()}/values`, { values, dimensional, source: 'form' });
    let res = await save([
      ...marks(MATH5, 50, [10, 30, 40, 20]),
      // «Рус. яз.» and «7 класс» are read as the declared «Русский язык» and «7».
      ...marks({ subject: 'Рус. яз.', grade: '7 класс' }, 40, [5, 45, 35, 15]),
      { input: 'journal_participants', dimensions: MATH5, value: 50 },
      { input: 'journal_lowered', dimensions: MATH5, value: 10 },
      { input: 'journal_confirmed', dimensions: MATH5, value: 60 },
      { input: 'journal_raised', dimensions: MATH5, value: 30 },
    ], { quality_plan_on_site: { value: false }, vpr_inefficiency_signs: { value: false } });
    expect(res.statusCode, res.body).toBe(200);
    let view = res.json();
    const t = view.dimensional[0];
    // Rows in the declared order of subjects (Русский язык before Математика).
    expect(t.rows.map((r: { label: string }) => r.label)).toEqual(['Русский язык, 7 класс', 'Математика, 5 класс']);
    expect(t.rows[1].dimensions).toEqual(MATH5);
    expect(t.rows[1].values.vpr_share_5).toMatchObject({ value: 20, source: 'form', actorLogin: 'oo1' });
    expect(view.dimensional[1].rows.map((r: { label: string }) => r.label)).toEqual(['Математика, 5 класс']);
    // 2 ordinary + 2 rows × 5 marks cells + 1 row × 4 journal cells, all filled.
    expect(view.completeness).toEqual({ filled: 16, required: 16, percent: 100 });

    res = await save([{ input: 'vpr_share_4', dimensions: MATH5, value: 35 }, { input: 'vpr_share_5', dimensions: { grade: '5', subject: 'Математика' }, value: 25 }]);
    expect(res.statusCode, res.body).toBe(200);
    view = res.json();
    expect(view.dimensional[0].rows[1].values.vpr_share_5.value).toBe(25);
    expect(view.dimensional[0].rows[0].values.vpr_share_5.value).toBe(15);

    const history = async (input: string, dims: Record<string, string>) => {
      const h = await school.get(`${formUrl()}/history?input=${input}&dimensions=${encodeURIComponent(JSON.stringify(dims))}`);
      expect(h.statusCode, h.body).toBe(200);
      return h.json().items as { value: number; dimensions: Record<string, string> }[];
    };
    expect((await history('vpr_share_5', MATH5)).map((i) => i.value)).toEqual([25, 20]);
    expect((await history('vpr_share_5', MATH5))[0]?.dimensions).toEqual(MATH5);
    expect((await history('vpr_share_5', RUS7)).map((i) => i.value)).toEqual([15]);
    expect((await history('vpr_share_3', MATH5)).map((i) => i.value)).toEqual([30]);

    // The region's shares, as an import of the ФИС ОКО report writes them: shown in the row, read-only.
    const campaign = await findCampaignRow(database.db, campaignId);
    await appendValues(database.db, actor, campaign, org.get('№1') ?? '', regionShares, 'import', 'статистика-математика-5.xlsx');
    view = (await school.get(formUrl())).json();
    expect(view.dimensional[0].rows[1].values.region_vpr_share_5).toMatchObject({ value: 5, source: 'import', sourceRef: 'статистика-математика-5.xlsx' });
    expect(view.dimensional[0].rows[0].values.region_vpr_share_5).toBeUndefined();

    const audits = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'submission.save').where('actor_login', '=', 'oo1').orderBy('id').execute();
    expect(audits).toHaveLength(2);
    expect(audits[1]?.details).toMatchObject({ values: {}, dimensional: [{ input: 'vpr_share_4', dimensions: MATH5, value: 35 }, { input: 'vpr_share_5', dimensions: MATH5, value: 25 }] });
  });

  it('refuses a dimension value outside the declared list, naming the field and the allowed values, and writes nothing', async () => {
    const before = await historyCount();
    let res = await school.request('PUT', `${formUrl()}/values`, { values: {}, dimensional: [{ input: 'vpr_participants', dimensions: { subject: 'Математика', grade: '12' }, value: 30 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'dimensional.0.dimensions', message: '«Класс»: «12» — недопустимое значение (допустимо: 4 класс, 5 класс, 6 класс, 7 класс, 8 класс, 9 класс, 10 класс, 11 класс)' }]);
    res = await school.request('PUT', `${formUrl()}/values`, { values: {}, dimensional: [{ input: 'vpr_participants', dimensions: { subject: 'Астрономия', grade: '5' }, value: 30 }, { input: 'vpr_share_5', dimensions: MATH5, value: 10 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].message).toMatch(/^«Предмет»: «Астрономия» — недопустимое значение \(допустимо: Русский язык, Математика, /);
    // The region's share comes from the ФИС ОКО report, not from the school.
    res = await school.request('PUT', `${formUrl()}/values`, { values: {}, dimensional: [{ input: 'region_vpr_share_5', dimensions: MATH5, value: 5 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].message).toContain('заполняется импортом');
    res = await school.request('PUT', `${formUrl()}/values`, { values: {}, dimensional: [{ input: 'vpr_share_5', dimensions: MATH5, value: 'много' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'dimensional.0.value', message: 'Введите число' }]);
    expect(await historyCount()).toBe(before);
  });

  it('a row with a missing required cell blocks submitting, naming the subject and grade; filled, the form is submitted', async () => {
    let res = await school.request('PUT', `${formUrl()}/values`, { values: {}, dimensional: [{ input: 'gia_participants', dimensions: { subject: 'Математика', grade: '9' }, value: null }, { input: 'gia_mean_score', dimensions: { subject: 'Математика', grade: '9' }, value: 3.9 }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().findings).toContainEqual(expect.objectContaining({ severity: 'error', message: 'Математика, 9 класс: Не заполнено обязательное поле «ГИА: участников по предмету»', dimensions: { subject: 'Математика', grade: '9' } }));
    res = await school.post(`${formUrl()}/submit`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { message: string }) => f.message)).toEqual(['Математика, 9 класс: Не заполнено обязательное поле «ГИА: участников по предмету»']);
    res = await school.request('PUT', `${formUrl()}/values`, { values: {}, dimensional: [{ input: 'gia_participants', dimensions: { subject: 'Математика', grade: '9' }, value: 24 }] });
    expect(res.json().completeness).toEqual({ filled: 17, required: 17, percent: 100 });
    res = await school.post(`${formUrl()}/submit`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('submitted');
    const detail = (await analyst.get(`/api/campaigns/${campaignId}`)).json();
    expect(detail.rows.find((r: { shortName: string }) => r.shortName === '№1')).toMatchObject({ filled: 17, required: 17, percent: 100, status: 'submitted' });
  });

  it('results: one row per school × subject × grade and indicator, as msoko compute gives them, values computed here', async () => {
    const campaign = await findCampaignRow(database.db, campaignId);
    // №2 through the service; the region's shares for Математика 5 as an import writes them; №3 leaves a row half done.
    await saveValues(database.db, actor, campaignId, org.get('№2') ?? '', { values: {}, dimensional: [...marks(MATH5, 40, [25, 40, 25, 10])] }, { scope: null, source: 'api' });
    await saveValues(database.db, actor, campaignId, org.get('№3') ?? '', { values: {}, dimensional: [{ input: 'vpr_participants', dimensions: MATH5, value: 30 }] }, { scope: null, source: 'api' });
    await appendValues(database.db, actor, campaign, org.get('№2') ?? '', regionShares, 'import', 'статистика-математика-5.xlsx');

    const r = await computeCampaignResults(database.db, campaignId, { basis: 'all' });
    const dims = r.computed.find((c) => c.results.some((x) => x.dimensions));
    expect(dims?.dataset.id).toBe('vpr_marks+vpr_journal+gia_results');
    expect(r.warnings).toContain('Таблица «ВПР — статистика по отметкам (ФИС ОКО)»: не вошли строки с незаполненными обязательными значениями (1): №3 (Математика, 5 класс).');
    const value = (o: string, subject: string, grade: number, indicator: string) => {
      const rows = dims?.results.filter((x) => x.organisation === o && x.dimensions?.subject === subject && x.dimensions?.grade === grade && x.indicator === indicator) ?? [];
      expect(rows.length).toBeLessThanOrEqual(1);
      return rows[0];
    };
    const typed = { '№1': { n: 50, s: [10, 30, 35, 25] }, '№2': { n: 40, s: [25, 40, 25, 10] } } as const;
    for (const [o, t] of Object.entries(typed)) {
      const [, s3, s4, s5] = t.s;
      expect(value(o, 'Математика', 5, 'vpr_success_share')?.value).toBe(s3 + s4 + s5);
      expect(value(o, 'Математика', 5, 'vpr_quality_share')?.value).toBe(s4 + s5);
      expect(value(o, 'Математика', 5, 'vpr_success_vs_region')?.value).toBe(s3 + s4 + s5 - (40 + 30 + 5));
      expect(value(o, 'Математика', 5, 'vpr_share5_vs_region')?.value).toBe(s5 - 5);
    }
    expect(value('№1', 'Математика', 5, 'vpr_success_share')).toMatchObject({ organisation: '№1', dimensions: { subject: 'Математика', grade: 5 } });
    expect(value('№1', 'Русский язык', 7, 'vpr_success_share')?.value).toBe(45 + 35 + 15);
    // Only №1 sent the journal comparison: its sign (25 − 5 ≥ 15 and 30 % raised ≥ 15) is «да»; the others have none.
    expect(value('№1', 'Математика', 5, 'journal_raised_share')?.value).toBe(30);
    expect(value('№1', 'Математика', 5, 'vpr_objectivity_sign')?.value).toBe(1);
    expect(value('№2', 'Математика', 5, 'vpr_objectivity_sign')).toBeUndefined();
    expect(value('№1', 'Русский язык', 7, 'vpr_objectivity_sign')).toBeUndefined();
    // ГИА: the optional «не преодолели порог» left empty is «нет данных», as in a file with an empty cell.
    expect(value('№1', 'Математика', 9, 'gia_failed_share')).toMatchObject({ value: null, details: { reason: 'нет данных: gia_failed' } });
    expect(value('№1', 'Математика', 9, 'gia_mean')?.value).toBe(3.9);
    expect(dims?.results.some((x) => x.organisation === '№3')).toBe(false);
    // Municipal success share in Математика weighted by participants: (50·90 + 40·75) / (50 + 40).
    const bySubject = dims?.aggregates.find((a) => a.aggregate === 'vpr_success_by_subject' && a.group === 'Математика');
    expect(bySubject?.value).toBe(Math.round(((50 * 90 + 40 * 75) / 90) * 10) / 10);
    // The ordinary table is computed as before, from the ordinary values only.
    const plain = r.computed.find((c) => c.dataset.id === 'organisations');
    expect(plain?.results.filter((x) => x.indicator === 'quality_plan').map((x) => [x.organisation, x.value])).toEqual([['№1', 0]]);

    // The analysis page does not take the subject rows for organisation rows, and does not fail on them.
    const a = await analyst.get(`/api/campaigns/${campaignId}/analysis?basis=all`);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().model.orgTables.map((t: { datasetId: string }) => t.datasetId)).toEqual(['organisations']);
  });
});
