/** Record lists (issue 21), file mode only: a synthetic 100 000-row ИС «Навигатор» list for 3 000 organisations plus
 * their table, computed by talents-2021 as `msoko compute -d организации.csv -d навигатор.csv` does (CSV parsing,
 * header search, typing, matching by ИНН, counting, indicators, aggregates). The same per-organisation count done by a
 * plain loop over the parsed rows is printed for the ratio. Printed numbers, not a timed test. The campaign import of
 * a list (rows/s into the database, recompute, SQL) is bench/records-campaign.bench.ts (`npm run bench -- records` runs both). */
import { performance } from 'node:perf_hooks';
import { compileMethodology, computeTables } from '../src/core/methodology/index.ts';
import { loadMethodology } from '../src/services/methodology/methodology-library.ts';
import { readCsv } from '../src/services/imports/datafile.ts';
import { FOCI, NAVIGATOR_HEADER, navigatorCsv, syntheticInn } from '../scripts/synthetic-navigator.ts';
import type { NavigatorRow } from '../scripts/synthetic-navigator.ts';
import type { BenchTable } from './run.ts';

export const title = 'Списки записей: 100 000 программ «Навигатора», 3 000 организаций (msoko compute, файлы)';

const ORGS = 3000;
const ROWS = 100_000;
const STATUSES = ['Опубликована', 'Опубликована', 'Опубликована', 'Опубликована', 'Черновик', 'Архив', 'Снята с публикации'];

function rows(): NavigatorRow[] {
  const out: NavigatorRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    const org = (i * 7919) % ORGS; // spread the organisations' programmes over the file
    out.push([String(100000 + i), `Программа ${i}`, FOCI[i % FOCI.length] as string, `Организация №${org + 1}`, syntheticInn(org + 1), STATUSES[i % STATUSES.length] as string, 5 + (i % 25), 7, 15]);
  }
  return out;
}

export async function run(): Promise<BenchTable> {
  const loaded = await loadMethodology('talents-2021');
  if (!loaded.ok) throw new Error('talents-2021 не загружена');
  const compiled = compileMethodology(loaded.methodology);
  if (!compiled.ok) throw new Error('talents-2021 не компилируется');
  const list = navigatorCsv(rows(), 'Реестр программ — СИНТЕТИЧЕСКИЕ ДАННЫЕ');
  const orgs = ['no,name,inn,type,students', ...Array.from({ length: ORGS }, (_, i) => `${i + 1},Организация №${i + 1},${syntheticInn(i + 1)},school,${300 + (i % 900)}`)].join('\n');
  const result: BenchTable = { head: ['проход', 'разбор CSV, мс', 'расчёт, мс', 'всего, мс', 'строк/с', 'простой цикл подсчёта, мс', 'отношение'], rows: [] };
  for (let pass = 1; pass <= 3; pass++) {
    const t0 = performance.now();
    const a = readCsv(list);
    const b = readCsv(Buffer.from(orgs));
    if (!a.ok || !b.ok) throw new Error('CSV не разобран');
    const t1 = performance.now();
    const out = computeTables(compiled.compiled, [
      { file: 'организации.csv', header: b.table.header, rows: b.table.rows },
      { file: 'навигатор.csv', header: a.table.header, rows: a.table.rows },
    ]);
    const t2 = performance.now();
    if (!out.ok) throw new Error(out.error.message);
    // The same count by hand: published rows per ИНН over the parsed cells.
    const status = a.table.rows.findIndex((r) => r.cells.includes('Статус программы'));
    const header = a.table.rows[status]?.cells ?? [];
    const s = header.indexOf('Статус программы');
    const inn = header.indexOf('ИНН организации');
    const t3 = performance.now();
    const counts = new Map<string, number>();
    for (const r of a.table.rows.slice(status + 1)) if (r.cells[s] === 'Опубликована') counts.set(r.cells[inn] as string, (counts.get(r.cells[inn] as string) ?? 0) + 1);
    const t4 = performance.now();
    const first = out.output.results.find((x) => x.indicator === 'diversity_index');
    if (first?.details.inputs.programmes !== counts.get(syntheticInn(1))) throw new Error('подсчёт расходится с простым циклом');
    const total = t2 - t0;
    result.rows.push([pass, (t1 - t0).toFixed(0), (t2 - t1).toFixed(0), total.toFixed(0), Math.round(ROWS / (total / 1000)), (t4 - t3).toFixed(1), `${((t2 - t1) / (t4 - t3)).toFixed(0)}×`]);
  }
  result.notes = [
    `Заголовок из ${NAVIGATOR_HEADER.length} столбцов под строкой названия, строка «Итого»; 4 из 7 программ «Опубликована»; сопоставление по ИНН.`,
    '«Расчёт» — поиск заголовка, типизация каждой ячейки, фильтр, подсчёт по организациям, 51·… показателей и агрегаты; «простой цикл» — только подсчёт опубликованных по ИНН, без проверок.',
  ];
  return result;
}
