/** The methodology engine vs the same computation as one SQL query (PGlite, CASE bands), on the same machine:
 * 20 indicators with bands and points over 3 000 generated organisations. */
import { performance } from 'node:perf_hooks';
import type { Band, Methodology, TableRow } from '../src/core/methodology/index.ts';
import { MethodologySchema, compileMethodology, computeTable, evaluateEntity, readEntities } from '../src/core/methodology/index.ts';
import type { BenchTable } from './run.ts';

export const title = 'Методика: 20 показателей × 3 000 организаций — движок и один SQL-запрос';

const ORGS = 3000;
const INPUTS = 10;

/** Deterministic generator (LCG), so every run sees the same data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Spec { id: string; formula: string; sql: string; round: number; bands: Band[] }

export function specs(): Spec[] {
  const out: Spec[] = [];
  for (let i = 0; i < 20; i++) {
    const k = `in${i % INPUTS}`;
    const j = `in${(i + 3) % INPUTS}`;
    const kind = i % 4;
    if (kind === 0)
      out.push({ id: `ind${i}`, round: 1, formula: `share(${k}, students)`, sql: `round(${k}::numeric / nullif(students, 0) * 100, 1)`,
        bands: [{ from: 25, from_exclusive: true, points: 3 }, { from: 20, to: 25, points: 2 }, { from: 10, to: 20, to_exclusive: true, points: 1 }, { to: 10, to_exclusive: true, points: 0 }] });
    else if (kind === 1)
      out.push({ id: `ind${i}`, round: 1, formula: `${k} / students * 100`, sql: `round(${k}::numeric / nullif(students, 0) * 100, 1)`,
        bands: [{ from: 7.6, points: 3 }, { from: 5.1, to: 7.5, points: 2 }, { from: 2.6, to: 5.0, points: 1 }, { from: 1.6, to: 2.5, points: 0.5 }, { to: 1.5, points: 0 }] });
    else if (kind === 2)
      out.push({ id: `ind${i}`, round: 0, formula: `if(${k} > ${j}, ${k} - ${j}, 0)`, sql: `round(case when ${k} > ${j} then ${k} - ${j} else 0 end::numeric, 0)`,
        bands: [{ from: 20, points: 2 }, { from: 1, to: 20, to_exclusive: true, points: 1 }, { to: 1, to_exclusive: true, points: 0 }] });
    else
      out.push({ id: `ind${i}`, round: 1, formula: `(min(${k}, ${j}) + max(${k}, ${j})) / 2`, sql: `round((least(${k}, ${j}) + greatest(${k}, ${j}))::numeric / 2, 1)`,
        bands: [{ from: 30, points: 2 }, { from: 10, to: 30, to_exclusive: true, points: 1 }, { to: 10, to_exclusive: true, points: 0 }] });
  }
  return out;
}

function caseSql(expr: string, bands: Band[]): string {
  const cond = (b: Band) => {
    const parts: string[] = [];
    if (b.from !== undefined) parts.push(`v ${b.from_exclusive ? '>' : '>='} ${b.from}`);
    if (b.to !== undefined) parts.push(`v ${b.to_exclusive ? '<' : '<='} ${b.to}`);
    return parts.length ? parts.join(' and ') : 'true';
  };
  return `case ${bands.map((b) => `when ${cond(b).replaceAll('v', `(${expr})`)} then ${b.points}`).join(' ')} end`;
}

export function methodology(list: Spec[]): Methodology {
  const inputs: Methodology['inputs'] = { students: { type: 'integer', min: 0, title: 'Обучающиеся' } };
  for (let i = 0; i < INPUTS; i++) inputs[`in${i}`] = { type: 'integer', min: 0, title: `Вход ${i}` };
  const doc = {
    id: 'bench', version: '1', direction: 'talents', title: 'Бенчмарк', inputs,
    indicators: Object.fromEntries(list.map((s) => [s.id, { title: s.id, formula: s.formula, round: s.round, scale: `s_${s.id}` }])),
    scales: Object.fromEntries(list.map((s) => [`s_${s.id}`, { bands: s.bands }])),
    aggregates: { mean0: { title: 'Среднее', method: 'mean_of_orgs', of: 'ind0', round: 1 } },
    datasets: { orgs: { title: 'Организации', unit: 'organisation', key: 'name', columns: Object.fromEntries(Object.keys(inputs).map((k) => [k, k])), indicators: list.map((s) => s.id) } },
  };
  return MethodologySchema.parse(doc);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function run(): Promise<BenchTable> {
  const list = specs();
  const m = methodology(list);
  const compiled = compileMethodology(m);
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('; '));
  const rnd = lcg(42);
  const header = ['name', 'students', ...Array.from({ length: INPUTS }, (_, i) => `in${i}`)];
  const data: number[][] = [];
  for (let o = 0; o < ORGS; o++) {
    const students = o % 97 === 0 ? 0 : 20 + Math.floor(rnd() * 1500);
    data.push([students, ...Array.from({ length: INPUTS }, () => Math.floor(rnd() * 60))]);
  }
  const rows: TableRow[] = data.map((d, i) => ({ line: i + 2, cells: [`ОО ${i + 1}`, ...d.map(String)] }));

  // Engine: rows of text → parsed, 20 indicators, bands, points, explanations, aggregate.
  const engineTimes: number[] = [];
  let enginePoints = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    const out = computeTable(compiled.compiled, header, rows);
    engineTimes.push(performance.now() - t0);
    if (!out.ok) throw new Error(out.error.message);
    enginePoints = out.output.results.reduce((s, x) => s + (x.points ?? 0), 0);
  }

  // Engine, evaluation only (rows already parsed — the same footing as SQL over loaded rows).
  const ds = (m.datasets ?? {}).orgs;
  const parsed = ds ? readEntities(m, ds, header, rows) : null;
  if (!ds || !parsed?.ok) throw new Error('набор данных не прочитан');
  const evalTimes: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (const e of parsed.entities) evaluateEntity(compiled.compiled, ds.indicators, { key: e.key, values: e.values });
    evalTimes.push(performance.now() - t);
  }

  // SQL: the same rows in PGlite, one query with CASE bands.
  const { PGlite } = await import('@electric-sql/pglite');
  const t0 = performance.now();
  const db = await PGlite.create();
  const start = performance.now() - t0;
  await db.exec(`create table orgs (name text, students int, ${Array.from({ length: INPUTS }, (_, i) => `in${i} int`).join(', ')})`);
  const t1 = performance.now();
  for (let i = 0; i < data.length; i += 500) {
    const chunk = data.slice(i, i + 500);
    await db.exec(`insert into orgs values ${chunk.map((d, k) => `('ОО ${i + k + 1}', ${d.join(', ')})`).join(', ')}`);
  }
  const load = performance.now() - t1;
  const select = list.map((s) => `${s.sql} as ${s.id}, ${caseSql(s.sql, s.bands)} as ${s.id}_points`).join(',\n  ');
  const sql = `select name,\n  ${select}\nfrom orgs`;
  const sqlTimes: number[] = [];
  let sqlPoints = 0;
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    const res = await db.query<Record<string, unknown>>(sql);
    sqlTimes.push(performance.now() - t);
    sqlPoints = res.rows.reduce<number>((s, row) => s + list.reduce((a, x) => a + Number(row[`${x.id}_points`] ?? 0), 0), 0);
  }
  await db.close();

  const e = median(engineTimes);
  const q = median(sqlTimes);
  const f = (n: number) => n.toFixed(1).replace('.', ',');
  return {
    head: ['что', 'медиана, мс', 'первый прогон, мс', 'отношение к SQL'],
    rows: [
      ['движок: разбор строк + 20 показателей + полосы + пояснения', f(e), f(engineTimes[0] as number), `${f(e / q)} ×`],
      ['движок: только вычисление (строки уже разобраны)', f(median(evalTimes)), f(evalTimes[0] as number), `${f(median(evalTimes) / q)} ×`],
      ['PGlite: один SELECT с CASE по полосам', f(q), f(sqlTimes[0] as number), '1 ×'],
    ],
    notes: [
      `Организаций ${ORGS}, показателей ${list.length}, результатов ${ORGS * list.length}. Сумма баллов: движок ${enginePoints}, SQL ${sqlPoints} — ${enginePoints === sqlPoints ? 'совпадает' : 'НЕ СОВПАДАЕТ'}.`,
      `PGlite: запуск ${f(start)} мс, загрузка ${ORGS} строк ${f(load)} мс (в сравнение не входят). Движок в SQL-запросе не строит пояснений.`,
    ],
  };
}
