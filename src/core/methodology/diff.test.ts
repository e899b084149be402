import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffMethodologies } from './diff.ts';
import type { Methodology } from './schema.ts';

const talents = parse(readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8')) as Methodology;
const copy = (): Methodology => structuredClone(talents);
const texts = (a: Methodology, b: Methodology) => diffMethodologies(a, b).map((c) => c.text);

describe('diffMethodologies', () => {
  it('the same version: nothing', () => {
    expect(diffMethodologies(talents, copy())).toEqual([]);
  });

  it('bands by level: «средний» widened, «выше среднего» narrowed, in the indicator\'s rounding', () => {
    const b = copy();
    const bands = b.scales?.diversity_levels?.bands ?? [];
    bands[1] = { ...bands[1], from: 5.6 };
    bands[2] = { ...bands[2], to: 5.5 };
    expect(diffMethodologies(talents, b)).toEqual([
      { path: 'scales.diversity_levels.bands[1]', text: 'показатель 2.1: полоса «выше среднего»: было 5,1–7,5, стало 5,6–7,5' },
      { path: 'scales.diversity_levels.bands[2]', text: 'показатель 2.1: полоса «средний»: было 2,6–5,0, стало 2,6–5,5' },
    ]);
  });

  it('bands without levels by place; points; an added band closing the 9,1–9,9 gap; a scale shared by 1.1 and 3.1', () => {
    const b = copy();
    const bands = b.scales?.survey_participation?.bands ?? [];
    bands[3] = { ...bands[3], to: 9.9 };
    bands[0] = { ...bands[0], points: 4 };
    expect(texts(talents, b)).toEqual([
      'показатели 1.1, 3.1 (шкала survey_participation): полоса «более 25%», баллы: было 3, стало 4',
      'показатели 1.1, 3.1 (шкала survey_participation): полоса «от 0% до 9%»: было 0,0–9,0, стало 0,0–9,9',
    ]);
    const c = copy();
    c.scales?.coverage_bands?.bands.push({ from: 100, from_exclusive: true, points: 3 });
    expect(texts(talents, c)).toEqual(['показатель 2.2: добавлена полоса 5 (более 100,0 → 3 б.)']);
  });

  it('header, inputs, indicators, criteria and total', () => {
    const b = copy();
    b.title = 'Охват ДО (2022)';
    b.goal = 'Повысить охват';
    b.inputs.students = { ...b.inputs.students, title: 'Численность обучающихся (чел.)', min: 1 } as Methodology['inputs'][string];
    b.inputs.teachers = { type: 'integer', title: 'Численность педагогов ДО' };
    const ind = b.indicators.diversity_index;
    if (ind) b.indicators.diversity_index = { ...ind, formula: 'programmes / students * 1000', round: 2, target: 6 };
    delete b.indicators.loyalty_index;
    const crit = b.criteria?.[1];
    if (crit) crit.max = 5;
    b.total = { ...b.total, max: 14 };
    const t = texts(talents, b);
    expect(t).toEqual(expect.arrayContaining([
      'название: было «Охват обучающихся дополнительным образованием на основе учета их потребностей (2021)», стало «Охват ДО (2022)»',
      'цель: было «Выявление образовательных организаций на основе анализа данных о качестве функционирования муниципальной системы выявле…», стало «Повысить охват»',
      'исходное данное students, название: было «Численность обучающихся», стало «Численность обучающихся (чел.)»',
      'исходное данное «Численность обучающихся (чел.)», наименьшее: было 0, стало 1',
      'добавлено: исходное данное teachers «Численность педагогов ДО»',
      'показатель 2.1, формула: было «programmes / students * 100», стало «programmes / students * 1000»',
      'показатель 2.1, знаков после запятой: было 1, стало 2',
      'показатель 2.1, целевой показатель: было не указано, стало 6',
      `удалено: показатель 3.2 «${talents.indicators.loyalty_index?.title ?? ''}»`,
      'критерий 2, максимум баллов: было 6, стало 5',
      'максимальное количество баллов: было 15, стало 14',
    ]));
    expect(t.find((x) => x.startsWith('показатель 2.1: полоса'))).toBeUndefined();
  });

  it('aggregates field by field; recommendation rules by id', () => {
    const b = copy();
    const agg = b.aggregates?.municipal_diversity_index;
    if (agg) b.aggregates = { ...b.aggregates, municipal_diversity_index: { ...agg, values: 'unrounded', round: 2 } };
    const rules = b.recommendation_rules ?? [];
    const first = rules[0];
    if (first) rules[0] = { ...first, when: 'coverage_share < 80', due_days: 60 };
    rules.push({ id: 'low_diversity', when: 'diversity_index_level == "low"', addressee: 'head', text: 'Расширить перечень программ' });
    const t = texts(talents, b);
    expect(t).toEqual(expect.arrayContaining([
      'итоговый показатель «Совокупный индекс многообразия программ ДО по району (среднее индексов организаций)», значения организаций: было округлённые, стало неокруглённые',
      'итоговый показатель «Совокупный индекс многообразия программ ДО по району (среднее индексов организаций)», знаков после запятой: было 1, стало 2',
      'добавлено: правило рекомендации low_diversity: если diversity_index_level == "low" → «Расширить перечень программ»',
      'правило рекомендации coverage_below_target, условие: было «coverage_share < 75», стало «coverage_share < 80»',
    ]));
    expect(t.find((x) => x.startsWith('правило рекомендации coverage_below_target, срок'))).toMatch(/стало 60$/);
  });
});
