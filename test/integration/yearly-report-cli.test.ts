/** `msoko yearly-report`: the yearly report from the database through the real command line (whole install and
 * `--municipality`). */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/msoko.js', import.meta.url));

describe('msoko yearly-report', () => {
  let dataDir: string;
  const msoko = (args: string[]) =>
    run(process.execPath, [BIN, ...args], { env: { ...process.env, MSOKO_DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 120_000 }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'msoko-yearly-'));
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the DOCX of every direction, and refuses a malformed year before touching the database', async () => {
    const bad = await msoko(['yearly-report', '--year', '22', '--out', path.join(dataDir, 'x.docx')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('год «22» не распознан: ожидается четыре цифры, 2000–2100');
    const out = path.join(dataDir, 'доклад.docx');
    const ok = await msoko(['yearly-report', '--year', '2022', '--out', out, '--today', '2023-01-15']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`записано: ${out} (направлений: 7, решений: 0)`);
    const xml = await (await JSZip.loadAsync(readFileSync(out))).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('Сформирован 15.01.2023');
    for (const d of ['Качество подготовки обучающихся', 'Способности и таланты детей и молодежи', 'Качество дошкольного образования']) expect(text).toContain(d);
    expect(text).toContain('Дорожная карта на 2022 год не загружена.');
  });

  it('limits the report to one municipality by --municipality (name or id), and refuses an unknown one', async () => {
    const { openDatabase } = await import('../../src/db/connection.ts');
    const { createDecision } = await import('../../src/services/cycle/recommendations.ts');
    const { SYSTEM_ACTOR } = await import('../../src/services/errors.ts');
    const h = await openDatabase({ dataDir });
    const ids: string[] = [];
    try {
      for (const name of ['Первый район', 'Второй район']) {
        const m = await h.db.insertInto('municipalities').values({ name }).returning('id').executeTakeFirstOrThrow();
        ids.push(m.id);
        await createDecision(h.db, SYSTEM_ACTOR, { direction: 'talents', kind: 'order', date: '2022-05-10', title: `Приказ: ${name}`, responsible: 'Иванова А. А.' }, m.id);
      }
    } finally {
      await h.close();
    }
    const textOf = async (file: string) => (await (await JSZip.loadAsync(readFileSync(file))).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    const byName = path.join(dataDir, 'first.docx');
    const first = await msoko(['yearly-report', '--year', '2022', '--out', byName, '--today', '2023-01-15', '--municipality', 'Первый район']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('решений: 1)');
    expect(await textOf(byName)).toContain('Приказ: Первый район');
    expect(await textOf(byName)).not.toContain('Приказ: Второй район');
    const byId = path.join(dataDir, 'second.docx');
    const second = await msoko(['yearly-report', '--year', '2022', '--out', byId, '--today', '2023-01-15', '--municipality', ids[1]!]);
    expect(second.code, second.stderr).toBe(0);
    expect(await textOf(byId)).toContain('Приказ: Второй район');
    expect(await textOf(byId)).not.toContain('Приказ: Первый район');
    const all = await msoko(['yearly-report', '--year', '2022', '--out', path.join(dataDir, 'all.docx'), '--today', '2023-01-15']);
    expect(all.stderr).toContain('решений: 2)');
    const unknown = await msoko(['yearly-report', '--year', '2022', '--out', path.join(dataDir, 'x.docx'), '--municipality', 'Третий район']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('муниципалитет «Третий район» не найден');
  });
});
