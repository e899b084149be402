/** Creates a migrated PGlite data directory once per run; test files copy it instead of running initdb each time. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

let dir: string | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  const { openDatabase } = await import('../../src/db/connection.ts');
  const { migrateToLatest } = await import('../../src/db/migrate.ts');
  dir = mkdtempSync(path.join(tmpdir(), 'msoko-pglite-template-'));
  const h = await openDatabase({ dataDir: dir });
  await migrateToLatest(h.db);
  await h.close();
  project.provide('pgliteTemplate', dir);
  return () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
