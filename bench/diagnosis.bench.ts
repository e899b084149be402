/** Issue 16: 3 000 organisations with every printed figure wrong (value and level), each discrepancy diagnosed.
 * The same table printed correctly is computed too: the difference is the cost of the diagnosis. Printed numbers,
 * not a timed test. */
import { performance } from 'node:perf_hooks';
import type { TableRow } from '../src/core/methodology/index.ts';
import { MethodologySchema, compileMethodology, computeTable } from '../src/core/methodology/index.ts';
import { roundHalfUp } from '../src/core/format.ts';
import { truncate } from '../src/core/methodology/diagnosis.ts';
import type { BenchTable } from './run.ts';

export const title = 'Диагноз расхождений: 3 000 организаций, каждая цифра напечатана неверно';

const ORGS = 3000;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const LEVELS = ['высокий', 'выше среднего', 'средний', 'ниже среднего', 'низкий'];
const methodology = MethodologySchema.parse({
  id: 'bench-diagnosis', version: '1', direction: 'talents', title: 'Бенчмарк диагноза',
  inputs: { students: { type: 'integer', min: 0, title: 'Обучающиеся' }, programmes: { type: 'integer', min: 0, title: 'Программы' } },
  indicators: { idx: { title: 'Индекс', formula: 'programmes / students * 100', round: 1, scale: 'levels' } },
  scales: {
    levels: {
      bands: [
        { level: 'high', from: 7.6, points: 3 }, { level: 'above_average', from: 5.1, to: 7.5, points: 2 }, { level: 'average', from: 2.6, to: 5.0, points: 1 },
        { level: 'below_average', from: 1.6, to: 2.5, points: 0.5 }, { level: 'low', from: 0, to: 1.5, points: 0 },
      ],
    },
  },
  datasets: {
    orgs: {
      title: 'Организации', unit: 'organisation', key: 'name', columns: { students: 'students', programmes: 'programmes' }, indicators: ['idx'],
      published: [{ column: 'printed', indicator: 'idx', field: 'value' }, { column: 'printed_level', indicator: 'idx', field: 'level' }],
    },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const levelOf = (v: number) => (v >= 7.6 ? 0 : v >= 5.1 ? 1 : v >= 2.6 ? 2 : v >= 1.6 ? 3 : 4);

export async function run(): Promise<BenchTable> {
  const compiled = compileMethodology(methodology);
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('; '));
  const rnd = lcg(16);
  const header = ['name', 'students', 'programmes', 'printed', 'printed_level'];
  const wrong: TableRow[] = [];
  const right: TableRow[] = [];
  for (let o = 0; o < ORGS; o++) {
    const students = 40 + Math.floor(rnd() * 1500);
    const programmes = 1 + Math.floor(rnd() * 40);
    const x = (programmes / students) * 100;
    const good = roundHalfUp(x, 1);
    // Mistakes a report makes, in turn: truncation, ×10, swapped ratio, a random figure; the level one band off.
    const candidates = [truncate(x, 1), roundHalfUp(x * 10, 1), roundHalfUp((students / programmes) * 100, 1), roundHalfUp(rnd() * 20, 1)];
    let printed = candidates[o % 4] as number;
    if (Math.abs(printed - good) < 1e-9) printed = roundHalfUp(good + 0.3, 1);
    const level = LEVELS[(levelOf(good) + 1) % 5] as string;
    const name = `ОО ${o + 1}`;
    wrong.push({ line: o + 2, cells: [name, String(students), String(programmes), printed.toFixed(1), level] });
    right.push({ line: o + 2, cells: [name, String(students), String(programmes), good.toFixed(1), LEVELS[levelOf(good)] as string] });
  }
  const time = (rows: TableRow[]) => {
    const ts: number[] = [];
    let out: ReturnType<typeof computeTable> | null = null;
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      out = computeTable(compiled.compiled, header, rows);
      ts.push(performance.now() - t);
    }
    if (!out?.ok) throw new Error('расчёт не удался');
    return { ms: median(ts), output: out.output };
  };
  const ok = time(right);
  const bad = time(wrong);
  const byCode = new Map<string, number>();
  for (const d of bad.output.discrepancies) {
    const code = d.diagnosis?.[0]?.code ?? '—';
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const f = (n: number) => n.toFixed(1).replace('.', ',');
  return {
    head: ['что', 'значение'],
    rows: [
      ['расхождений (значение и уровень у каждой организации)', bad.output.discrepancies.length],
      ['расхождений в верно напечатанной таблице', ok.output.discrepancies.length],
      ['расчёт с диагнозами, медиана, мс', f(bad.ms)],
      ['расчёт верно напечатанной таблицы, медиана, мс', f(ok.ms)],
      ['стоимость диагнозов, мс', f(bad.ms - ok.ms)],
      ...[...byCode.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => [`первое объяснение «${code}»`, n] as [string, number]),
    ],
    notes: ['Каждое расхождение проверяется фиксированным списком гипотез (не более двух вместе); «другая организация» сравнивает с 2 999 значениями.'],
  };
}
