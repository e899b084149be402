/** Issue 22 at scale: the preparation of a ФИС ОКО import (every file read and checked) is done once for the preview
 * and reused by the start of applying and by the `import.apply` job while nothing it depends on changed — the files,
 * the confirmations and aliases, the methodology version, the participants and their logins; a changed alias or
 * login prepares again; the reused result is the one a fresh preparation gives. Both engines. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCampaignStatus, createCampaign } from '../../src/services/collection/campaigns.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import type { Actor } from '../../src/services/errors.ts';
import '../../src/services/imports/import-apply.ts';
import { fisOkoPreparations, forgetFisOkoPreparations, prepareStoredFisOko, previewFisOkoImport, startFisOkoApply, uploadFisOkoImport } from '../../src/services/imports/fisoko-import.ts';
import { JobWorker } from '../../src/services/imports/jobs.ts';
import { updateOrganisation } from '../../src/services/registry/registry.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from './helpers.ts';

const DIR = fileURLToPath(new URL('../../library/synthetic/fisoko-2025/', import.meta.url));
const FILES = ['статистика-математика-5.xlsx', 'журнал-математика-5.xlsx'];

describe.each(BACKENDS)('ФИС ОКО: the preview\'s preparation reused by the apply job on %s', (kind) => {
  let database: TestDatabase;
  let actor: Actor;
  let campaignId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemo(database.db);
    const u = await database.db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
    actor = { userId: u.id, login: 'analyst', ip: null };
    const c = await createCampaign(database.db, actor, {
      title: 'ВПР 2025', methodologyId: 'direction-preparation', methodologyVersion: '2021.2', period: '2024/2025', participants: { mode: 'types', types: ['school'] },
      opensOn: '2025-05-01', dueOn: '2025-06-30', closesOn: '2030-06-30',
    });
    await changeCampaignStatus(database.db, actor, c.id, 'open');
    campaignId = c.id;
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('preview, then apply and the job reuse one preparation; an alias or a login changed prepares again; the same result as a fresh one', async () => {
    const db = database.db;
    const imp = await uploadFisOkoImport(db, actor, campaignId, FILES.map((name) => ({ fileName: name, buffer: readFileSync(`${DIR}${name}`) })));
    forgetFisOkoPreparations();
    const at = () => ({ ...fisOkoPreparations });
    const start = at();
    const since = () => ({ prepared: fisOkoPreparations.prepared - start.prepared, reused: fisOkoPreparations.reused - start.reused });

    const first = await previewFisOkoImport(db, imp.id, {});
    expect(first).toMatchObject({ ok: true, errorCount: 0, organisations: 29 });
    expect(since()).toEqual({ prepared: 1, reused: 0 });
    expect(await previewFisOkoImport(db, imp.id, {})).toEqual(first);
    expect(since()).toEqual({ prepared: 1, reused: 1 });

    // An alias (even one no file needs) is a different preparation.
    const withAlias = await previewFisOkoImport(db, imp.id, { aliases: { subject: { 'Матем.': 'Математика' } } });
    expect(since()).toEqual({ prepared: 2, reused: 1 });
    expect(withAlias.values).toBe(first.values);

    // A login removed from the registry: the school is matched by name now, prepared again; restored, again.
    const org = await db.selectFrom('organisations').select(['id', 'fisoko_login']).where('fisoko_login', '=', 'sch021201').executeTakeFirstOrThrow();
    await updateOrganisation(db, actor, org.id, { fisokoLogin: null });
    const byName = await previewFisOkoImport(db, imp.id, {});
    expect(since()).toEqual({ prepared: 3, reused: 1 });
    expect(byName.schools.find((s) => s.login === 'sch021201')?.how).not.toBe('login');
    expect(byName.loginOffers.map((o) => o.login)).toEqual(['sch021201']);
    await updateOrganisation(db, actor, org.id, { fisokoLogin: 'sch021201' });
    expect(await previewFisOkoImport(db, imp.id, {})).toEqual(first);
    expect(since()).toEqual({ prepared: 4, reused: 1 });

    // Applying: the start and the job take the preview's preparation.
    const { job } = await startFisOkoApply(db, actor, imp.id, {});
    expect(since()).toEqual({ prepared: 4, reused: 2 });
    const worker = new JobWorker({ db, kind: database.kind });
    expect(await worker.runOnce()).toBe(true);
    expect(since()).toEqual({ prepared: 4, reused: 3 });
    const done = await db.selectFrom('jobs').select(['status', 'result']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
    expect((done.result as { values: number; organisations: number }).values).toBe(first.values);
    expect((done.result as { values: number; organisations: number }).organisations).toBe(29);

    // The reused result is exactly what preparing from scratch gives.
    const cached = await prepareStoredFisOko(db, imp.id, {});
    expect(since()).toEqual({ prepared: 4, reused: 4 });
    forgetFisOkoPreparations();
    const fresh = await prepareStoredFisOko(db, imp.id, {});
    expect(since()).toEqual({ prepared: 5, reused: 4 });
    expect(JSON.stringify(fresh.result)).toBe(JSON.stringify(cached.result));
    expect(fresh.rows).toBe(cached.rows);
    expect(fresh.files).toEqual(cached.files);
    expect(fresh.result.rows.length).toBeGreaterThan(40);
  });
});
