/** Issue 16 on seed 004: `msoko compute` gives every discrepancy with the 2021 report a diagnosis — what explains it,
 * or «причина не найдена». The real command line, JSON and the text table. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));

function msoko(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Json {
  discrepancies: { organisation: string | null; indicator: string; field: string; published: unknown; computed: unknown; diagnosis: { code: string; message: string; formula: string }[] }[];
}
const NNBSP = '\u202F';

async function discrepancies(file: string): Promise<Json['discrepancies']> {
  const r = await msoko('compute', '--methodology', 'talents-2021', '--data', fixture(file), '--format', 'json');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Json).discrepancies;
}

describe('диагноз расхождений seed 004 (msoko compute)', () => {
  it('organisations.csv: Канакаево, Петровское, ДОУ №33 — каждое объяснено', async () => {
    const ds = await discrepancies('organisations.csv');
    const by = (org: string) => ds.find((d) => d.organisation === org);
    expect(ds.map((d) => [d.organisation, d.field, d.published, d.computed])).toEqual([
      ['Канакаево', 'level', 'средний', 'выше среднего'],
      ['Петровское', 'value', 3.7, 3.3],
      ['ДОУ №33', 'level', 'выше среднего', 'высокий'],
    ]);
    // Канакаево: 3 / 58 × 100 = 5,17 → 5,2 («выше среднего»); «средний» — уровень значения, округлённого до целых (5),
    // или двух ошибок: 5,17 усечено до 5,1 и граница «от 5,1» прочитана как «свыше 5,1».
    expect(by('Канакаево')?.diagnosis).toEqual([
      { code: 'level_other_decimals', message: 'так получается, если определить уровень по значению, округлённому до целых (5): 5,17 → 5 → «средний»', formula: '5,17 → 5 → «средний»' },
      {
        code: 'truncated_level+bound_read_other_way',
        message: 'так получается, если отбросить знаки после первого знака, а не округлить (5,172 → 5,1), и прочитать нижнюю границу «от 5,1» уровня «выше среднего» как «свыше 5,1»: 5,1 → «средний»',
        formula: '5,1 → «средний»',
      },
    ]);
    // Петровское: 3,7 — индекс Кинзебулатово (4 / 108 × 100 = 3,704), единственной организации с 3,7.
    expect(by('Петровское')?.diagnosis).toEqual([
      { code: 'other_organisation', message: 'так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7', formula: '3,704 → 3,7' },
    ]);
    // ДОУ №33: неокруглённое 8 / 105 × 100 = 7,619 тоже «высокий» — уровень по неокруглённому значению не объясняет;
    // объясняет граница «от 7,6», прочитанная как «свыше 7,6».
    const doo = by('ДОУ №33')?.diagnosis ?? [];
    expect(doo.map((d) => d.code)).toEqual(['bound_read_other_way']);
    expect(doo.map((d) => d.code)).not.toContain('unrounded_level');
    expect(doo[0]?.message).toBe('так получается, если прочитать нижнюю границу «от 7,6» уровня «высокий» как «свыше 7,6»: 7,6 → «выше среднего»');
  });

  it('satisfaction.csv: индексы лояльности 86/80/92/86 не следуют ни из долей, округлённых первыми, ни из другой формулы; итог 14 577 — не сумма строк', async () => {
    const ds = await discrepancies('satisfaction.csv');
    expect(ds.map((d) => [d.organisation, d.indicator, d.diagnosis.map((x) => x.code)])).toEqual([
      ['school', 'loyalty_index', ['mistyped_digit']],
      ['preschool', 'loyalty_index', ['mistyped_digit']],
      ['supplementary', 'loyalty_index', ['mistyped_digit']],
      ['total', 'loyalty_index', ['not_found']],
      ['total', 'children_5_17', ['not_found']],
    ]);
    expect(ds[0]?.diagnosis[0]?.message).toBe('возможно, опечатка в одной цифре (другого объяснения не найдено): в отчёте 86, вычислено 88');
    expect(ds[3]?.diagnosis[0]?.message).toBe('причина не найдена: проверьте исходные данные');
    expect(ds.flatMap((d) => d.diagnosis.map((x) => x.code))).not.toContain('rounded_shares');
  });

  it('coverage.csv: расхождений нет — и диагнозов нет', async () => {
    expect(await discrepancies('coverage.csv')).toEqual([]);
  });

  it('таблица показывает первое объяснение под каждым расхождением', async () => {
    const r = await msoko('compute', '--methodology', 'talents-2021', '--data', fixture('organisations.csv'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '  • Петровское: значение в отчёте 3,7, вычислено 3,3 (12 / 359 × 100 = 3,34 → 3,3 → «средний» (2,6–5,0) → 1 балл)\n    → так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7\n',
    );
    expect(r.stdout).toContain('    → так получается, если определить уровень по значению, округлённому до целых (5): 5,17 → 5 → «средний» (ещё объяснений: 1, см. --format json)\n');
    const s = await msoko('compute', '--methodology', 'talents-2021', '--data', fixture('satisfaction.csv'));
    expect(s.stdout).toContain(`  • итоговая строка «total», столбец «children_5_17»: напечатано 14${NNBSP}577, сумма строк 16${NNBSP}452\n    → причина не найдена: проверьте исходные данные\n`);
  });
});
