/** Benchmark runner: imports every bench/*.bench.ts and prints its tables. `npm run bench`.
 * A bench module exports `title` and `run(): Promise<BenchTable>`; add a file to add a bench. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export interface BenchTable {
  head: string[];
  rows: (string | number)[][];
  notes?: string[];
}
interface BenchModule { title: string; run: () => Promise<BenchTable> }

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
/** Benches a name also runs: `records` includes the ВПР scale bench of issue 22 (vpr-campaign.bench.ts). */
const GROUPS: Record<string, string[]> = { records: ['vpr-campaign'] };
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only) || (GROUPS[only] ?? []).some((g) => f.includes(g)))).sort();
let failed = false;
for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as BenchModule;
  process.stdout.write(`\n## ${mod.title} (${f})\n\n`);
  try {
    const t = await mod.run();
    const cells = [t.head, ...t.rows.map((r) => r.map(String))];
    const widths = t.head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
    process.stdout.write(`${line(t.head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${t.rows.map((r) => line(r.map(String))).join('\n')}\n`);
    for (const n of t.notes ?? []) process.stdout.write(`\n${n}\n`);
  } catch (e) {
    failed = true;
    process.stdout.write(`ошибка: ${(e as Error).stack ?? String(e)}\n`);
  }
}
if (failed) process.exitCode = 1;
