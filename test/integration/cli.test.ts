import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/msoko.js', import.meta.url));

describe('msoko CLI', () => {
  let dataDir: string;
  const env = () => ({ ...process.env, MSOKO_DATA_DIR: dataDir, DATABASE_URL: '', MSOKO_PASSWORD: '' });
  const msoko = (args: string[], extraEnv: Record<string, string> = {}) =>
    run(process.execPath, [BIN, ...args], { env: { ...env(), ...extraEnv }, timeout: 120_000 }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'msoko-cli-'));
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    // Seeding in-process saves one child process (each opens PGlite: seconds on a busy machine).
    const h = await openDatabase({ dataDir });
    await seedDemo(h.db);
    await h.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints Russian help listing the server and user commands', async () => {
    const top = await msoko(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('МСОКО — муниципальная система оценки качества образования');
    for (const cmd of ['serve', 'migrate', 'demo', 'user']) expect(top.stdout).toMatch(new RegExp(`\\n\\s+${cmd}\\b`));
    const add = await msoko(['user', 'add', '--help']);
    expect(add.stdout).toContain('--organisation <no|id>');
    expect(add.stdout).toContain('добавить пользователя');
  });

  it('refuses an unknown role before touching the database', async () => {
    const badRole = await msoko(['user', 'add', '--login', 'x1', '--role', 'boss', '--name', 'X', '--password', 'pass-word-1']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('role: Допустимые значения: admin, analyst, working_group, org_rep');
  });

  it('adds users: admin with MSOKO_PASSWORD, org_rep by registry number; refuses a duplicate login', { timeout: 240_000 }, async () => {
    const admin = await msoko(['user', 'add', '--login', 'petrov', '--role', 'admin', '--name', 'Петров П. П.'], { MSOKO_PASSWORD: 'очень-секретно' });
    expect(admin.stderr).toBe('');
    expect(admin.stdout).toContain('Пользователь petrov добавлен: Петров П. П., Администратор.');
    const rep = await msoko(['user', 'add', '--login', 'sidorova', '--role', 'org_rep', '--name', 'Сидорова', '--organisation', '47', '--password', 'pass-word-1']);
    expect(rep.stdout).toContain('Представитель ОО, ДОУ №34.');
    const dup = await msoko(['user', 'add', '--login', 'PETROV', '--role', 'analyst', '--name', 'X', '--password', 'pass-word-1']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('Логин «PETROV» уже занят');

    const h = await openDatabase({ dataDir });
    try {
      const rows = await h.db
        .selectFrom('users')
        .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
        .select(['users.login', 'users.role', 'organisations.no', 'users.password_hash'])
        .where('users.login', 'in', ['petrov', 'sidorova'])
        .orderBy('users.login')
        .execute();
      expect(rows.map((r) => [r.login, r.role, r.no])).toEqual([['petrov', 'admin', null], ['sidorova', 'org_rep', 47]]);
      expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
      const audit = await h.db.selectFrom('audit_log').select(['action', 'actor_login']).where('action', '=', 'user.create').where('target_type', '=', 'user').execute();
      expect(audit.filter((a) => a.actor_login?.startsWith('cli'))).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
  it('serve listens on PORT and HOST from the environment when no flag is given (issue 24)', { timeout: 240_000 }, async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, [BIN, 'serve', '--log-level', 'warn'], {
      env: { ...env(), PORT: String(port), HOST: '127.0.0.1', MSOKO_MAINTENANCE_INTERVAL_MINUTES: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = /МСОКО работает: (http:\/\/\S+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`сервер завершился (${code}): ${out}`)));
      });
      expect(url).toBe(`http://127.0.0.1:${port}/`);
      const health = await fetch(`${url}api/health`);
      expect(health.status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    const bad = await msoko(['serve'], { PORT: 'четыре' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Неверный порт (PORT): четыре');
  });
});
