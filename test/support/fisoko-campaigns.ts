/** Two ВПР campaigns (direction-preparation 2021.2, «ВПР 2024» and «ВПР 2025») of the demo's schools, each filled by
 * importing the synthetic ФИС ОКО exports of library/synthetic/fisoko-2025 through the API (upload, apply, the job
 * worker), for the integration tests of the per-dimension analysis. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import type { Actor } from '../../src/services/errors.ts';
import '../../src/services/imports/import-apply.ts';
import { previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../../src/services/imports/fisoko-import.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import type { Client } from '../integration/helpers.ts';

/** The synthetic ФИС ОКО exports (SYNTHETIC, library/synthetic/fisoko-2025): every file, and one read. */
export const FISOKO_DIR = fileURLToPath(new URL('../../library/synthetic/fisoko-2025/', import.meta.url));
export const FISOKO_FILES = ['статистика-математика-5.xlsx', 'статистика-математика-7.xlsx', 'статистика-русский-язык-5-7.xlsx', 'журнал-математика-5.xlsx', 'журнал-математика-7.xlsx', 'журнал-русский-язык-5.xlsx', 'журнал-русский-язык-7.xlsx', 'гиа-9-2025.csv'];
export const fisokoFile = (name: string): Buffer => readFileSync(`${FISOKO_DIR}${name}`);
/** The files as `uploadFisOkoImport` takes them. */
export const fisokoUploads = (names: readonly string[] = FISOKO_FILES) => names.map((name) => ({ fileName: name, buffer: fisokoFile(name) }));

/** A multipart body with each file as a `file` part, as a browser sends several files. */
export function multipartFiles(files: readonly { name: string; content: Buffer }[]): { body: Buffer; contentType: string } {
  const boundary = `----msoko${Math.random().toString(16).slice(2)}`;
  const parts = files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'), f.content, Buffer.from('\r\n', 'utf8')]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`, 'utf8')]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Creates and opens a ВПР campaign of every school as `analyst` (signed in), imports the synthetic exports into it
 * and runs the apply job; returns its id. */
export async function fisokoCampaign(database: DatabaseHandle, analyst: Client, title: string, period: string): Promise<string> {
  const res = await analyst.post('/api/campaigns', {
    title, methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period, participants: { mode: 'types', types: ['school'] },
    opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await analyst.post(`/api/campaigns/${id}/open`)).statusCode).toBe(200);
  const m = multipartFiles(FISOKO_FILES.map((name) => ({ name, content: fisokoFile(name) })));
  const up = await analyst.request('POST', `/api/campaigns/${id}/imports/fisoko`, m.body, { headers: { 'content-type': m.contentType } });
  expect(up.statusCode, up.body).toBe(201);
  expect((await analyst.post(`/api/imports/${up.json().id}/fisoko/apply`, {})).statusCode).toBe(202);
  expect(await new JobWorker({ db: database.db, kind: database.kind }).runOnce()).toBe(true);
  return id;
}

/** Imports the synthetic exports into a campaign through the services (upload, preview, apply, the job worker). */
export async function importFisoko(database: DatabaseHandle, actor: Actor, campaignId: string): Promise<void> {
  const upload = await uploadFisOkoImport(database.db, actor, campaignId, fisokoUploads());
  expect((await previewFisOkoImport(database.db, upload.id, {})).ok).toBe(true);
  await startFisOkoApply(database.db, actor, upload.id, {});
  expect(await new JobWorker({ db: database.db, kind: database.kind }).runOnce()).toBe(true);
}
