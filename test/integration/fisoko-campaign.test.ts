/** Issue 22, ФИС ОКО into a campaign, on the real database (both engines), through the HTTP API: the synthetic
 * fisoko-2025 exports (7 XLSX, one with two sheets, and the ГИА-9 CSV) uploaded as one import into a campaign on
 * `direction-preparation` 2021.2 over the demo schools; every school matched by its ФИС ОКО login (the БГИ by login
 * although its printed name differs from the registry's); the stored values per school × subject × grade are the
 * numbers of the files; a subject «Матем.» is offered as an alias, resolved, saved and reused without asking; a broken
 * file changes nothing; importing the same numbers again writes nothing new. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FisOkoReport } from '../../src/core/imports/fisoko.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { readFisOkoFile } from '../../src/services/imports/fisoko-file.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import { FISOKO_FILES, fisokoFile, multipartFiles } from '../support/fisoko-campaigns.ts';
import { BACKENDS, Client, buildTestApp, openTestDatabase, type TestDatabase } from './helpers.ts';

async function edited(name: string, find: (text: string) => boolean, to: (text: string) => string | number): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fisokoFile(name) as unknown as ArrayBuffer);
  let done = false;
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => {
    if (!done && typeof c.value === 'string' && find(c.value)) {
      c.value = to(c.value);
      done = true;
    }
  })));
  if (!done) throw new Error(`cell not found in ${name}`);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(BACKENDS)('ФИС ОКО reports imported into a campaign on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let analyst: Client;
  let worker: JobWorker;
  let campaignId: string;
  const orgByLogin = new Map<string, string>();

  const upload = async (files: readonly { name: string; content: Buffer }[]) => {
    const m = multipartFiles(files);
    const res = await analyst.request('POST', `/api/campaigns/${campaignId}/imports/fisoko`, m.body, { headers: { 'content-type': m.contentType } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().kind).toBe('fisoko');
    return res.json().id as string;
  };
  const apply = async (importId: string, body: Record<string, unknown> = {}) => {
    const res = await analyst.post(`/api/imports/${importId}/fisoko/apply`, body);
    expect(res.statusCode, res.body).toBe(202);
    expect(await worker.runOnce()).toBe(true);
    return (await analyst.get(`/api/jobs/${res.json().job.id}`)).json();
  };
  const historyCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from value_history where campaign_id = ${campaignId}`.execute(database.db)).rows[0]?.n);
  /** Current values: organisation × input × subject × grade → value. */
  const current = async () => {
    const rows = await sql<{ organisation_id: string; input: string; dimensions: Record<string, string> | null; value: unknown; source: string }>`
      select distinct on (organisation_id, input, dimensions) organisation_id, input, dimensions, value, source from value_history_visible
      where campaign_id = ${campaignId} order by organisation_id, input, dimensions, id desc`.execute(database.db);
    return new Map(rows.rows.map((r) => [`${r.organisation_id}|${r.input}|${r.dimensions?.subject}|${r.dimensions?.grade}`, { value: r.value, source: r.source, dimensions: r.dimensions }]));
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    for (const o of await database.db.selectFrom('organisations').select(['id', 'fisoko_login']).where('fisoko_login', 'is not', null).execute()) orgByLogin.set(o.fisoko_login as string, o.id);
    app = (await buildTestApp(database)).app;
    analyst = new Client(app, '10.22.0.1');
    expect((await analyst.login('analyst')).statusCode).toBe(200);
    worker = new JobWorker({ db: database.db, kind: database.kind });
    const res = await analyst.post('/api/campaigns', {
      title: 'ВПР и ГИА 2025', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    expect(res.statusCode, res.body).toBe(201);
    campaignId = res.json().id;
    expect((await analyst.post(`/api/campaigns/${campaignId}/open`)).statusCode).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('imports the eight synthetic files as one import: schools by login, values per school × subject × grade as in the files', async () => {
    expect(orgByLogin.size).toBe(29);
    const importId = await upload(FISOKO_FILES.map((name) => ({ name, content: fisokoFile(name) })));
    const preview = await analyst.post(`/api/imports/${importId}/fisoko/preview`, {});
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ ok: true, errorCount: 0, issues: [], aliasOffers: [], organisations: 29 });
    expect(p.files.map((f: { reports: unknown[] }) => f.reports.length)).toEqual([1, 1, 2, 1, 1, 1, 1, 1]);
    expect(p.files[2].reports.map((r: { dimensions: unknown }) => r.dimensions)).toEqual([{ subject: 'Русский язык', grade: '5' }, { subject: 'Русский язык', grade: '7' }]);
    expect(new Set(p.schools.map((s: { how: string }) => s.how))).toEqual(new Set(['login']));
    const bgi = p.schools.find((s: { login: string }) => s.login === 'sch021214');
    expect(bgi).toMatchObject({ name: '(sch021214) МБОУ БГИ №2 г. Ишимбая', how: 'login', organisation: { shortName: 'БГИ №2', fullName: 'МБОУ «Башкирская гимназия-интернат №2»' } });
    expect(await historyCount()).toBe(0); // the preview writes nothing

    const job = await apply(importId);
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result).toMatchObject({ organisations: 29, unchanged: 0, errorCount: 0 });

    // Every number of every file, looked up by the school's login and the report's subject and grade.
    const reports: FisOkoReport[] = [];
    for (const name of FISOKO_FILES) {
      const r = await readFisOkoFile(fisokoFile(name), name);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      reports.push(...r.value);
    }
    const values = await current();
    const at = (login: string | null, input: string, subject: string, grade: number) => values.get(`${orgByLogin.get(login ?? '')}|${input}|${subject}|${grade}`)?.value;
    let checked = 0;
    for (const r of reports) {
      if (r.kind === 'vpr_marks') {
        for (const s of r.schools) {
          expect([at(s.login, 'vpr_participants', r.subject, r.grade), at(s.login, 'vpr_share_2', r.subject, r.grade), at(s.login, 'vpr_share_5', r.subject, r.grade), at(s.login, 'region_vpr_share_5', r.subject, r.grade), at(s.login, 'municipality_vpr_share_4', r.subject, r.grade)])
            .toEqual([s.participants, s.shares[2], s.shares[5], r.comparison.region?.shares[5], r.comparison.municipality?.shares[4]]);
          checked++;
        }
      } else if (r.kind === 'vpr_journal') {
        for (const s of r.schools) {
          expect([at(s.login, 'journal_participants', r.subject, r.grade), at(s.login, 'journal_lowered', r.subject, r.grade), at(s.login, 'journal_confirmed', r.subject, r.grade), at(s.login, 'journal_raised', r.subject, r.grade), at(s.login, 'region_journal_raised', r.subject, r.grade)])
            .toEqual([s.participants, s.lowered, s.confirmed, s.raised, r.comparison.region?.raised]);
          checked++;
        }
      } else {
        for (const x of r.rows) {
          expect([at(x.login, 'gia_participants', x.subject, 9), at(x.login, 'gia_mean_score', x.subject, 9), at(x.login, 'gia_failed', x.subject, 9)]).toEqual([x.participants, x.meanScore, x.failed]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    // №14 (sch021208), one of the two «non-objective» schools: a share of «5» far above the region's.
    expect(values.get(`${orgByLogin.get('sch021208')}|vpr_share_5|Математика|5`)).toMatchObject({ source: 'import', dimensions: { subject: 'Математика', grade: '5' } });
    // A school that did not write a work has no value there (not a zero): Скворчиха (27), Математика 7.
    expect(values.has(`${orgByLogin.get('sch021227')}|vpr_share_5|Математика|7`)).toBe(false);
    expect(values.has(`${orgByLogin.get('sch021227')}|vpr_share_5|Математика|5`)).toBe(true);
  });

  it('re-importing the same numbers writes nothing new', async () => {
    const before = await historyCount();
    const importId = await upload(FISOKO_FILES.map((name) => ({ name, content: fisokoFile(name) })));
    const job = await apply(importId);
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result.values).toBe(0);
    expect(job.result.unchanged).toBeGreaterThan(2000);
    expect(await historyCount()).toBe(before);
  });

  it('a broken file changes nothing: the preview names file, sheet, row and column, applying is refused', async () => {
    const before = await historyCount();
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fisokoFile('журнал-математика-5.xlsx') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    let line = 0;
    ws.eachRow((row, n) => {
      if (!line && n > 12 && typeof row.getCell(1).value === 'string' && /^Подтвердили/.test(row.getCell(1).value as string)) {
        line = n;
        row.getCell(3).value = Number(row.getCell(3).value) + 5;
      }
    });
    const importId = await upload([{ name: 'статистика-математика-7.xlsx', content: fisokoFile('статистика-математика-7.xlsx') }, { name: 'журнал-математика-5.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    const p = (await analyst.post(`/api/imports/${importId}/fisoko/preview`, {})).json();
    expect(p.ok).toBe(false);
    expect(p.errors.map((e: { text: string }) => e.text)).toEqual([expect.stringMatching(new RegExp(`^Файл «журнал-математика-5.xlsx», лист «Лист1», строка ${line + 2}, столбец «%»: у группы «.+» понизили \\+ подтвердили \\+ повысили = 10[45](?:,\\d+)? %, а должно быть 100 % \\(±0,1\\)$`))]);
    const res = await analyst.post(`/api/imports/${importId}/fisoko/apply`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^В файлах 1 ошибка: ничего не изменено\. Файл «журнал-математика-5\.xlsx»/);
    expect(await worker.runOnce()).toBe(false);
    expect(await historyCount()).toBe(before);
  });

  it('a subject «Матем.» is offered as an alias, resolved, saved in the mapping «ФИС ОКО» and reused on the next file without asking', async () => {
    const edited7 = await edited('статистика-математика-7.xlsx', (t) => /^Предмет:/.test(t), () => 'Предмет: Матем.');
    const importId = await upload([{ name: 'статистика-математика-7.xlsx', content: edited7 }]);
    const p = (await analyst.post(`/api/imports/${importId}/fisoko/preview`, {})).json();
    expect(p).toMatchObject({ ok: false, errorCount: 0, aliasOffers: [{ field: 'subject', column: 'Предмет', value: 'Матем.', suggestion: 'Математика', rows: 27 }] });
    const refused = await analyst.post(`/api/imports/${importId}/fisoko/apply`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toContainEqual({ path: 'aliases.subject.Матем.', message: '«Матем.»: выберите значение измерения «Предмет»' });
    const job = await apply(importId, { aliases: { subject: { 'Матем.': 'Математика' } } });
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result.values).toBe(0); // the same numbers as the first import's Математика 7
    const mappings = (await analyst.get('/api/import-mappings?methodologyId=direction-preparation')).json().items;
    expect(mappings.find((m: { name: string }) => m.name === 'ФИС ОКО')?.aliases).toEqual({ subject: { 'Матем.': 'Математика' } });

    // Next year's file: «Матем.» again, one school's share of «2» and «3» changed — no question asked.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(edited7 as unknown as ArrayBuffer);
    let school = '';
    wb.worksheets[0]!.eachRow((row) => {
      const name = row.getCell(1).value;
      if (!school && typeof name === 'string' && name.startsWith('(sch021201)')) {
        school = name;
        row.getCell(4).value = Number(row.getCell(4).value) + 1;
        row.getCell(5).value = Number(row.getCell(5).value) - 1;
      }
    });
    const second = await upload([{ name: 'статистика-математика-7.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    const p2 = (await analyst.post(`/api/imports/${second}/fisoko/preview`, {})).json();
    expect(p2).toMatchObject({ ok: true, aliasOffers: [], errorCount: 0 });
    const before = (await current()).get(`${orgByLogin.get('sch021201')}|vpr_share_2|Математика|7`)?.value as number;
    const job2 = await apply(second);
    expect(job2.status, JSON.stringify(job2)).toBe('done');
    expect(job2.result.values).toBe(2);
    const after = await current();
    expect(after.get(`${orgByLogin.get('sch021201')}|vpr_share_2|Математика|7`)?.value).toBeCloseTo(before + 1, 9);
  });
});
