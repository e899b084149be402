/** Imports into a campaign on the real database (both engines), through the HTTP API with real sessions and the real
 * job worker: all-or-nothing over 10,000 rows, Windows-1251 `;` CSV, XLSX with a sheet choice, matching by ИНН,
 * registry number and fuzzy name with confirmation, a saved mapping reused next year, refusal by content type. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import '../../src/services/imports/import-apply.ts';
import { addOrganisations, csvOf, multipart, rowsFor } from '../support/import-data.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

const BIG = 10_000;

describe.each(BACKENDS)('imports on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let worker: JobWorker;
  let campaignId: string;
  const org: Record<number, string> = {};

  const upload = async (name: string, content: Buffer, campaign = campaignId) => {
    const m = multipart(name, content);
    return analyst.request('POST', `/api/campaigns/${campaign}/imports`, m.body, { headers: { 'content-type': m.contentType } });
  };
  const historyCount = async (campaign = campaignId) =>
    Number((await database.db.selectFrom('value_history').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaign).executeTakeFirstOrThrow()).n);
  /** Applies and runs the job in this process; returns the job as the API shows it. */
  const apply = async (importId: string, body: Record<string, unknown>) => {
    const res = await analyst.post(`/api/imports/${importId}/apply`, body);
    expect(res.statusCode, res.body).toBe(202);
    const jobId = res.json().job.id as string;
    expect(await worker.runOnce()).toBe(true);
    return (await analyst.get(`/api/jobs/${jobId}`)).json();
  };
  const createCampaign = async (period: string) => {
    const res = await analyst.post('/api/campaigns', {
      title: `Охват ДО ${period}`, methodologyId: 'talents-2021', methodologyVersion: '2021.1', period, participants: { mode: 'all' },
      opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2030-06-30',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await analyst.post(`/api/campaigns/${res.json().id}/open`)).statusCode).toBe(200);
    return res.json().id as string;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { municipalityId } = await seedDemo(database.db);
    await addOrganisations(database.db, municipalityId, 1001, BIG);
    app = (await buildTestApp(database)).app;
    for (const r of await database.db.selectFrom('organisations').select(['id', 'no']).execute()) org[r.no] = r.id;
    analyst = new Client(app, '10.6.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    worker = new JobWorker({ db: database.db, kind: database.kind });
    campaignId = await createCampaign('2021/2022');
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('decides the type by content: a PDF or an XLS named .csv is refused in Russian, a CSV named .txt is accepted', async () => {
    const pdf = await upload('данные.csv', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj'));
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().error.message).toBe('Это PDF-документ, а не таблица: загрузите CSV или XLSX');
    const xls = await upload('данные.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(xls.json().error.message).toBe('Файл в формате XLS (Excel 97–2003) не поддерживается: сохраните его как XLSX или CSV');
    const zip = await upload('данные.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(zip.json().error.message).toBe('Файл XLSX повреждён: не найдено оглавление архива ZIP');
    const txt = await upload('выгрузка.txt', csvOf(rowsFor(1001, 2)));
    expect(txt.statusCode).toBe(201);
    expect(txt.json()).toMatchObject({ fileName: 'выгрузка.txt', format: 'csv', status: 'uploaded' });
  });

  it('a file with one bad row among 10,000 changes nothing and reports that row and cell', async () => {
    const up = await upload('навигатор-10000.csv', csvOf(rowsFor(1001, BIG, { index: 7344, students: '12a' })));
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().id as string;
    const preview = (await analyst.post(`/api/imports/${id}/preview`, {})).json();
    expect(preview.settings.match).toEqual({ mode: 'inn', column: 'ИНН' });
    expect(preview.settings.columns).toEqual({ 'Численность обучающихся': 'students', 'Количество программ ДО': 'programmes' });
    expect(preview.totalRows).toBe(BIG);
    expect(preview.errorCount).toBe(1);
    expect(preview.errors.map((e: { text: string }) => e.text)).toEqual(['Строка 7346, столбец «Численность обучающихся»: «12a» — не число']);
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toMatchObject({ line: 2, organisation: 'ОО-1001', errors: [] });

    const job = await apply(id, { ...preview.settings, columns: { ...preview.settings.columns, 'Анкетировано обучающихся': 'surveyed_students' } });
    expect(job.status).toBe('failed');
    expect(job.error).toBe('В файле 1 ошибка: ничего не изменено. Исправьте файл и загрузите его снова.');
    expect(job.result.errors).toEqual([{ line: 7346, column: 'Численность обучающихся', message: '«12a» — не число', text: 'Строка 7346, столбец «Численность обучающихся»: «12a» — не число' }]);
    expect(await historyCount()).toBe(0);
    expect(await database.db.selectFrom('submissions').select('id').where('campaign_id', '=', campaignId).execute()).toEqual([]);
    const view = (await analyst.get(`/api/imports/${id}`)).json();
    expect(view.status).toBe('rejected');
    expect(view.report.errorCount).toBe(1);
  });

  it('the fixed file is applied whole: 10,000 organisations × 3 values, source import, row in sourceRef, one audit entry, progress 100 %', async () => {
    const up = await upload('навигатор-10000.csv', csvOf(rowsFor(1001, BIG)));
    const id = up.json().id as string;
    const settings = (await analyst.post(`/api/imports/${id}/preview`, {})).json().settings;
    const job = await apply(id, { ...settings, columns: { ...settings.columns, 'Анкетировано обучающихся': 'surveyed_students' } });
    expect(job.status, job.error).toBe('done');
    expect(job.progress).toMatchObject({ percent: 100, message: 'Готово' });
    expect(job.result).toMatchObject({ rows: BIG, organisations: BIG, values: 3 * BIG, unchanged: 0, errorCount: 0 });
    expect(await historyCount()).toBe(3 * BIG);
    const row = await database.db.selectFrom('value_history').select(['input', 'value', 'source', 'source_ref', 'actor_login']).where('campaign_id', '=', campaignId).where('organisation_id', '=', org[8345]!).orderBy('input').execute();
    expect(row).toEqual([
      { input: 'programmes', value: 8345 % 20, source: 'import', source_ref: 'навигатор-10000.csv, строка 7346', actor_login: 'analyst' },
      { input: 'students', value: 100 + (8345 % 900), source: 'import', source_ref: 'навигатор-10000.csv, строка 7346', actor_login: 'analyst' },
      { input: 'surveyed_students', value: 50 + (8345 % 40), source: 'import', source_ref: 'навигатор-10000.csv, строка 7346', actor_login: 'analyst' },
    ]);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['import.upload', 'import.apply.start', 'import.apply']);
    expect(audit[2]?.details).toMatchObject({ file: 'навигатор-10000.csv', rows: BIG, values: 3 * BIG });
    const again = await analyst.post(`/api/imports/${id}/apply`, settings);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('Этот файл уже применён');
  });

  it('reads a Windows-1251 CSV with «;», matches by registry number, and writes only changed values', async () => {
    const text = 'Номер в реестре;Наименование;Количество программ ДО;Численность обучающихся\r\n1;МБОУ СОШ №1;16;708\r\n47;ДОУ №34;4;95\r\n1001;ОО-1001;1;201\r\n';
    const up = await upload('отчёт-1251.csv', iconv.encode(text, 'win1251'));
    const id = up.json().id as string;
    const preview = (await analyst.post(`/api/imports/${id}/preview`, {})).json();
    expect(preview).toMatchObject({ encoding: 'windows-1251', delimiter: ';', header: ['Номер в реестре', 'Наименование', 'Количество программ ДО', 'Численность обучающихся'] });
    expect(preview.settings.match).toEqual({ mode: 'code', column: 'Номер в реестре' });
    expect(preview.rows.map((r: { organisation: string }) => r.organisation)).toEqual(['№1', 'ДОУ №34', 'ОО-1001']);
    const job = await apply(id, preview.settings);
    expect(job.status, job.error).toBe('done');
    // ОО-1001 already had programmes 1 and students 201 from the previous import: unchanged, nothing written.
    expect(job.result).toMatchObject({ organisations: 2, values: 4, unchanged: 2 });
    const current = await database.db.selectFrom('value_history').select(['input', 'value']).where('campaign_id', '=', campaignId).where('organisation_id', '=', org[47]!).orderBy('input').execute();
    expect(current).toEqual([{ input: 'programmes', value: 4 }, { input: 'students', value: 95 }]);
  });

  it('XLSX: the data sheet is chosen; fuzzy names are listed for confirmation, unmatched can be skipped', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Пояснения').addRow(['Выгрузка из ИС «Навигатор»']);
    const ws = wb.addWorksheet('Данные');
    ws.addRow(['Организация', 'Численность обучающихся', 'Количество программ ДО']);
    ws.addRow(['МБОУ СОШ №2 г. Ишимбая', 1552, 20]);
    ws.addRow(['Кинзебулатовская школа', 120, 5]);
    ws.addRow(['Частная школа «Радуга»', 40, 2]);
    const up = await upload('навигатор.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(up.json()).toMatchObject({ format: 'xlsx', sheets: ['Пояснения', 'Данные'] });
    const id = up.json().id as string;
    const first = (await analyst.post(`/api/imports/${id}/preview`, {})).json();
    expect(first.sheet).toBe('Пояснения');
    const p = (await analyst.post(`/api/imports/${id}/preview`, { sheet: 'Данные' })).json();
    expect(p.settings).toMatchObject({ sheet: 'Данные', match: { mode: 'name', column: 'Организация' } });
    expect(p.rows.map((r: { organisation: string | null }) => r.organisation)).toEqual(['№2', null, null]);
    expect(p.issues.map((i: { name: string; kind: string; candidates: { no: number }[] }) => [i.name, i.kind, i.candidates[0]?.no ?? null])).toEqual([
      ['Кинзебулатовская школа', 'fuzzy', 20],
      ['Частная школа «Радуга»', 'unmatched', null],
    ]);
    expect(p.errors.map((e: { text: string }) => e.text)).toEqual([
      'Строка 3, столбец «Организация»: «Кинзебулатовская школа» — наименование распознано неточно: подтвердите организацию',
      'Строка 4, столбец «Организация»: «Частная школа «Радуга»» — организация не найдена: выберите её или пропустите строки с этим наименованием',
    ]);
    const refused = await apply(id, p.settings);
    expect(refused.status).toBe('failed');
    const before = await historyCount();
    const job = await apply(id, { ...p.settings, confirmations: { 'Кинзебулатовская школа': org[20], 'Частная школа «Радуга»': null } });
    expect(job.status, job.error).toBe('done');
    expect(job.result).toMatchObject({ organisations: 2, values: 4, skipped: [4] });
    expect(await historyCount()).toBe(before + 4);
    const ref = await database.db.selectFrom('value_history').select('source_ref').where('organisation_id', '=', org[20]!).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(ref.source_ref).toBe('навигатор.xlsx, лист «Данные», строка 3');
  });

  it('a mapping saved this year is offered and reused for next year’s campaign of the same methodology', async () => {
    const text = 'ИНН;Дети;Программы\r\n0261000003;854;16\r\n';
    const up = await upload('фис.csv', Buffer.from(text));
    const settings = { columns: { Дети: 'students', Программы: 'programmes' }, match: { mode: 'inn', column: 'ИНН' } };
    const job = await apply(up.json().id, { ...settings, saveMappingAs: 'Навигатор: дети и программы' });
    expect(job.status, job.error).toBe('done');
    const next = await createCampaign('2022/2023');
    const up2 = await upload('фис-2023.csv', Buffer.from('ИНН;Дети;Программы\r\n0261000003;870;18\r\n'), next);
    const view = (await analyst.get(`/api/imports/${up2.json().id}`)).json();
    expect(view.mappings.map((m: { name: string; columns: unknown; match: unknown }) => [m.name, m.columns, m.match])).toEqual([['Навигатор: дети и программы', settings.columns, settings.match]]);
    const m = view.mappings[0];
    const p = (await analyst.post(`/api/imports/${up2.json().id}/preview`, { columns: m.columns, match: m.match })).json();
    expect(p.errorCount).toBe(0);
    const job2 = await apply(up2.json().id, { columns: m.columns, match: m.match });
    expect(job2.result).toMatchObject({ organisations: 1, values: 2 });
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'import.mapping.save').execute();
    expect(audit).toHaveLength(1);
  });

  it('org representatives and the working group may not import; a job is shown only to its creator and administrators', async () => {
    const oo1 = new Client(app, '10.6.0.2');
    await oo1.login('oo1');
    const m = multipart('x.csv', Buffer.from('a;b\n1;2\n'));
    expect((await oo1.request('POST', `/api/campaigns/${campaignId}/imports`, m.body, { headers: { 'content-type': m.contentType } })).statusCode).toBe(403);
    const job = await database.db.selectFrom('jobs').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const wg = new Client(app, '10.6.0.3');
    await wg.login('wg');
    expect((await wg.get(`/api/jobs/${job.id}`)).statusCode).toBe(404);
    const admin = new Client(app, '10.6.0.4');
    await admin.login('admin');
    expect((await admin.get(`/api/jobs/${job.id}`)).json().status).toBe('done');
  });
});
