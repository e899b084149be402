import { describe, expect, it } from 'vitest';
import { computeTable } from './run.ts';
import { compileMethodology } from './evaluate.ts';
import { MethodologySchema } from './schema.ts';

const m = MethodologySchema.parse({
  id: 'blank', version: '1', direction: 'talents', title: 'Пустые ячейки отчёта',
  inputs: { covered: { type: 'integer', min: 0, title: 'Охвачено' }, children: { type: 'integer', min: 0, title: 'Детей' } },
  indicators: { share: { title: 'Доля охваченных', formula: 'share(covered, children)', round: 1, scale: 'levels' } },
  scales: { levels: { bands: [{ to: 50, to_exclusive: true, level: 'low', points: 0 }, { from: 50, level: 'high', points: 1 }] } },
  datasets: {
    orgs: {
      title: 'Организации', unit: 'organisation', key: 'name', columns: { covered: 'covered', children: 'children' }, indicators: ['share'],
      published: [{ column: 'printed', indicator: 'share', field: 'value' }, { column: 'printed_level', indicator: 'share', field: 'level' }],
    },
  },
});

describe('пустые ячейки напечатанного отчёта (issue 16)', () => {
  const c = compileMethodology(m);
  if (!c.ok) throw new Error('методика не компилируется');
  const header = ['name', 'covered', 'children', 'printed', 'printed_level'];
  const rows = [
    { line: 2, cells: ['А', '291', '500', '58,2', 'высокий'] },
    { line: 3, cells: ['Б', '291', '500', '', ''] },
    { line: 4, cells: ['В', '0', '0', '', ''] },
  ];

  it('пустая ячейка при вычислимом значении — сообщение «в отчёте не указано»; невычислимое — не расхождение', () => {
    const r = computeTable(c.compiled, header, rows);
    if (!r.ok) throw new Error(r.error.message);
    // 291 / 500 × 100 = 58,2 — А agrees; Б is blank twice; В divides by zero (no value), so nothing is missing there.
    expect(r.output.discrepancies.map((d) => [d.organisation, d.field, d.published, d.computed, d.message, d.diagnosis?.map((x) => x.code)])).toEqual([
      ['Б', 'value', '', 58.2, 'Б: значение в отчёте не указано, вычислено 58,2', ['blank']],
      ['Б', 'level', '', 'высокий', 'Б: уровень в отчёте не указан, вычислено «высокий»', ['blank']],
    ]);
  });

  it('столбца нет в файле — ничего не сообщается', () => {
    const r = computeTable(c.compiled, header.slice(0, 3), rows.map((x) => ({ ...x, cells: x.cells.slice(0, 3) })));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.output.discrepancies).toEqual([]);
  });
});
