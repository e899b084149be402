/** Issue 22, «analysis query» at scale: the analysis of one work (subject × grade) computed alone
 * (`GET /api/campaigns/:id/analysis/work`, src/services/analysis/dimensional-work.ts) equals that work's slice of the
 * full analysis (`GET /api/campaigns/:id/analysis`: `model.dimensional` and `previousDimensional` through the page's
 * pure functions) for every work of a ВПР/ГИА campaign built from the synthetic fisoko-2025 exports — the ranking by
 * every ranked indicator with the region and municipality rows and the explanations, the signs of non-objectivity,
 * the change against the previous campaign (whose values differ by form edits) and the previous campaign's own
 * rankings — on both engines. An unknown subject or grade is a Russian 404, a missing dimension a 400. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DimensionalView } from '../../src/core/analysis/index.ts';
import { dimensionalDynamics, objectivitySigns, rankableMeasures, rankDimensional } from '../../src/core/analysis/index.ts';
import { findCampaignRow } from '../../src/services/collection/campaigns.ts';
import { appendValues } from '../../src/services/collection/submissions.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import type { WorkAnalysis } from '../../src/services/analysis/dimensional-work.ts';
import { fisokoCampaign } from '../support/fisoko-campaigns.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const RU = new Intl.Collator('ru', { numeric: true });
const query = (dims: Record<string, string>, basis = 'all') => new URLSearchParams({ basis, ...dims }).toString();

describe.each(BACKENDS)('the analysis of one work computed alone on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let previousId = '';
  let currentId = '';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.22.6.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    const actor: Actor = { userId: u.id, login: 'analyst', ip: '127.0.0.1' };
    const byLogin = new Map((await database.db.selectFrom('organisations').select(['id', 'fisoko_login']).where('fisoko_login', 'is not', null).execute()).map((o) => [o.fisoko_login, o.id]));
    previousId = await fisokoCampaign(database, analyst, 'ВПР 2024', '2023/2024');
    currentId = await fisokoCampaign(database, analyst, 'ВПР 2025', '2024/2025');
    // Form values over the imported ones: last year's shares differ (a change per school), a sign cleared this year,
    // a work of only some inputs (left out), a ГИА row without its optional inputs.
    const form = async (campaignId: string, login: string, entries: { input: string; value: number | null; dimensions: Record<string, string> }[]) =>
      appendValues(database.db, actor, await findCampaignRow(database.db, campaignId), byLogin.get(login) ?? '', entries.map((e) => ({ ...e, evidenceUrl: null })), 'form', null);
    const MATH5 = { subject: 'Математика', grade: '5' };
    await form(previousId, 'sch021203', [{ input: 'vpr_share_3', value: 10, dimensions: MATH5 }, { input: 'vpr_share_2', value: 30, dimensions: MATH5 }]);
    await form(previousId, 'sch021210', [{ input: 'journal_confirmed', value: 40, dimensions: { subject: 'Русский язык', grade: '7' } }]);
    await form(currentId, 'sch021208', [{ input: 'journal_raised', value: 15, dimensions: MATH5 }, { input: 'region_vpr_share_5', value: null, dimensions: MATH5 }]);
    await form(currentId, 'sch021227', [{ input: 'vpr_share_5', value: 12.5, dimensions: { subject: 'История', grade: '8' } }]);
    await form(currentId, 'sch021214', [{ input: 'gia_participants', value: 31, dimensions: { subject: 'Физика', grade: '9' } }]);
  }, 360_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('every work: rankings, signs, dynamics and the previous campaign equal the full analysis', async () => {
    const res = await analyst.get(`/api/campaigns/${currentId}/analysis?basis=all`);
    expect(res.statusCode, res.body).toBe(200);
    const full = res.json();
    const view = full.model.dimensional as DimensionalView;
    const prevView = full.previousDimensional as DimensionalView;
    expect(full.previous.id).toBe(previousId);
    expect(prevView.rows.length).toBeGreaterThan(100);
    const works = new Map(view.rows.map((r) => [JSON.stringify(r.dimensions), r.dimensions]));
    expect(works.size).toBeGreaterThanOrEqual(6);
    let signsSeen = 0;
    let changed = 0;
    let prevRanked = 0;
    for (const dims of works.values()) {
      const r = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query(dims)}`);
      expect(r.statusCode, r.body).toBe(200);
      const w = r.json() as WorkAnalysis;
      expect(w.dimensions).toEqual(dims);
      // The work's rankings are those of the full view in its order; an indicator of a dataset without a row in this
      // work (ГИА's for a ВПР work, ВПР's for ГИА-9) is not in the answer — the full view ranks every school of the
      // work there with no value (the page then ranks from the view, DimensionalSection.tsx).
      const measures = rankableMeasures(view, dims).filter((m) => w.rankings.some((x) => x.ranking.measure.id === m.id));
      expect(measures.length).toBeGreaterThan(0);
      expect(w.rankings.map((x) => x.ranking.measure.id)).toEqual(measures.map((x) => x.id));
      for (const m of rankableMeasures(view, dims).filter((x) => !measures.some((y) => y.id === x.id)))
        expect(rankDimensional(view, dims, m.id)?.entries.filter((e) => e.value !== null || e.rank !== null).length, `${JSON.stringify(dims)} ${m.id} ${w.rankings.map((x) => x.ranking.measure.id)}`).toBe(0);
      for (const [i, m] of measures.entries()) {
        const expected = rankDimensional(view, dims, m.id);
        expect(w.rankings[i]?.ranking).toEqual(expected);
        expect(w.rankings[i]?.dynamics).toEqual(dimensionalDynamics(view, prevView, dims, m.id));
        changed += (w.rankings[i]?.dynamics?.rows ?? []).filter((x) => x.change !== null && x.change !== 0).length;
      }
      // The full table's signs of this work (ordered there by each organisation's count over every work).
      const inWork = objectivitySigns(view).filter((s) => JSON.stringify(s.dimensions) === JSON.stringify(dims));
      expect(w.signs).toEqual([...inWork].sort((a, b) => RU.compare(a.organisation, b.organisation)));
      signsSeen += w.signs.length;
      expect(w.previous?.campaign.id).toBe(previousId);
      const prevMeasures = rankableMeasures(prevView, dims).filter((m) => w.previous?.rankings.some((x) => x.measure.id === m.id));
      for (const m of rankableMeasures(prevView, dims).filter((x) => !prevMeasures.some((y) => y.id === x.id)))
        expect(rankDimensional(prevView, dims, m.id)?.entries.filter((e) => e.value !== null || e.rank !== null).length, `${JSON.stringify(dims)} ${m.id}`).toBe(0);
      prevRanked += prevMeasures.length;
      expect(w.previous?.rankings).toEqual(prevMeasures.map((m) => rankDimensional(prevView, dims, m.id)));
      expect(w.previous?.signs).toEqual(objectivitySigns(prevView).filter((s) => JSON.stringify(s.dimensions) === JSON.stringify(dims)).sort((a, b) => RU.compare(a.organisation, b.organisation)));
    }
    expect(signsSeen).toBe(objectivitySigns(view).length);
    expect(signsSeen).toBeGreaterThan(0);
    expect(changed).toBeGreaterThan(0);
    expect(prevRanked).toBeGreaterThan(10);

    // A work spelled as the files spell it (an alias, «5 класс») is the same work.
    const spelled = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'математика', grade: '5 класс' })}`);
    expect(spelled.statusCode, spelled.body).toBe(200);
    expect(spelled.json().rankings[0].ranking).toEqual(rankDimensional(view, { subject: 'Математика', grade: '5' }, spelled.json().rankings[0].ranking.measure.id));
    expect(spelled.json().label).toBe('Математика, 5 класс');

    // On the submitted basis the imported drafts do not count: nothing to rank, as the full analysis has no view.
    const submitted = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'Математика', grade: '5' }, 'submitted')}`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().rankings).toEqual([]);
  });

  it('one indicator at a time: only its ranking (and the signs) computed, equal to the full analysis', async () => {
    const full = (await analyst.get(`/api/campaigns/${currentId}/analysis?basis=all`)).json();
    const view = full.model.dimensional as DimensionalView;
    const prevView = full.previousDimensional as DimensionalView;
    const works = new Map(view.rows.map((r) => [JSON.stringify(r.dimensions), r.dimensions]));
    let asked = 0;
    for (const dims of works.values()) {
      const all = (await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query(dims)}`)).json() as WorkAnalysis;
      for (const x of all.rankings) {
        const id = x.ranking.measure.id;
        const r = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ ...dims, indicator: id })}`);
        expect(r.statusCode, r.body).toBe(200);
        const one = r.json() as WorkAnalysis;
        expect(one.rankings.map((y) => y.ranking.measure.id)).toEqual([id]);
        expect(one.rankings[0]?.ranking).toEqual(rankDimensional(view, dims, id));
        expect(one.rankings[0]?.dynamics).toEqual(dimensionalDynamics(view, prevView, dims, id));
        expect(one.signs).toEqual(all.signs);
        expect(one.previous?.rankings).toEqual(all.previous?.rankings.filter((y) => y.measure.id === id));
        expect(one.previous?.signs).toEqual(all.previous?.signs);
        asked++;
      }
    }
    expect(asked).toBeGreaterThan(20);
    const unknown = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'Математика', grade: '5', indicator: 'no_such_indicator' })}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('Показатель «no_such_indicator» не вычисляется по предметам и классам в методике «Муниципальная система оценки качества подготовки обучающихся (паспорт, 2021–2023)».');
  });

  it('an unknown subject or grade is a Russian 404, a missing dimension a 400; the school representative is refused', async () => {
    const subject = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'Алгебра', grade: '5' })}`);
    expect(subject.statusCode).toBe(404);
    expect(subject.json().error.message).toMatch(/^Работа не найдена: «Алгебра» — нет такого значения измерения «Предмет» \(допустимо: Русский язык, Математика/);
    const grade = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'Математика', grade: '13' })}`);
    expect(grade.statusCode).toBe(404);
    expect(grade.json().error.message).toContain('нет такого значения измерения «Класс»');
    const missing = await analyst.get(`/api/campaigns/${currentId}/analysis/work?subject=${encodeURIComponent('Математика')}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe('Не указано измерение «Класс» (grade).');
    const extra = await analyst.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'Математика', grade: '5', term: '1' })}`);
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('Нет такого измерения: «term»');
    const unknownCampaign = await analyst.get(`/api/campaigns/00000000-0000-4000-8000-000000000000/analysis/work?${query({ subject: 'Математика', grade: '5' })}`);
    expect(unknownCampaign.statusCode).toBe(404);
    expect(unknownCampaign.json().error.message).toBe('Мониторинг не найден');

    const school = new Client(app, '10.22.6.2');
    const rep = await database.db.selectFrom('users').select('login').where('role', '=', 'org_rep').executeTakeFirstOrThrow();
    expect((await school.login(rep.login)).statusCode).toBe(200);
    expect((await school.get(`/api/campaigns/${currentId}/analysis/work?${query({ subject: 'Математика', grade: '5' })}`)).statusCode).toBe(403);
  });
});
