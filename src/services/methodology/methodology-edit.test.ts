import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Methodology } from '../../core/methodology/index.ts';
import { MethodologyEditSchema, applyEdits } from './methodology-edit.ts';

const base = readFileSync(new URL('../../../library/talents-2021.yaml', import.meta.url), 'utf8');
const talents = parse(base) as Methodology;

describe('applyEdits', () => {
  it('sets a scale\'s bands and a target, removes a field, sets the version; comments and other parts stay', () => {
    const bands = structuredClone(talents.scales?.diversity_levels?.bands ?? []);
    bands[2] = { ...bands[2], to: 5.5 };
    const r = applyEdits(base, 'версии 2021.1', MethodologyEditSchema.parse({
      version: '2022.1',
      edits: [
        { path: ['scales', 'diversity_levels', 'bands'], value: bands },
        { path: ['indicators', 'coverage_share', 'target'], value: 80 },
        { path: ['total', 'note'], remove: true },
        { path: ['goal'], value: 'Повысить охват' },
      ],
    }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.yaml.split('\n').slice(0, 3)).toEqual(['# Версия 2022.1: изменена в редакторе МСОКО на основе версии 2021.1.', '', expect.stringMatching(/^# Мониторинг охвата/)]);
    expect(r.yaml).toContain('# Источник: протокол №6 заседания рабочей группы от 30.06.2022');
    expect(r.yaml).toContain('- { level: average, from: 2.6, to: 5.5, points: 1, label: "от 2,6 до 5,0" }');
    const m = parse(r.yaml) as Methodology;
    expect(m).toMatchObject({ id: 'talents-2021', version: '2022.1', goal: 'Повысить охват', total: { max: 15 } });
    expect(m.total?.note).toBeUndefined();
    expect(m.indicators.coverage_share?.target).toBe(80);
    expect(m.scales?.diversity_levels?.bands[2]).toMatchObject({ from: 2.6, to: 5.5 });
    // Untouched parts are equal.
    expect(m.inputs).toEqual(talents.inputs);
    expect(m.aggregates).toEqual(talents.aggregates);
  });

  it('refuses to edit id or version, and a set without a value', () => {
    expect(applyEdits(base, 'x', { version: '2', edits: [{ path: ['id'], value: 'other' }] })).toEqual({ ok: false, message: 'изменение 1: поле «id» не меняется в редакторе' });
    expect(applyEdits(base, 'x', { version: '2', edits: [{ path: ['title'], value: 't' }, { path: ['version'], value: '3' }] })).toEqual({ ok: false, message: 'изменение 2: поле «version» не меняется в редакторе' });
    expect(applyEdits(base, 'x', { version: '2', edits: [{ path: ['title'], value: undefined }] })).toEqual({ ok: false, message: 'изменение 1 (title): нет значения' });
    expect(MethodologyEditSchema.safeParse({ version: ' ', edits: [] }).error?.issues[0]?.message).toBe('Укажите номер новой версии');
  });
});

describe('indicator codes', () => {
  it('a code is edited like any field; a duplicate is refused in Russian naming both indicators', () => {
    const ok = applyEdits(base, 'версии 2021.1', MethodologyEditSchema.parse({ version: '2022.1', edits: [{ path: ['indicators', 'coverage_share', 'code'], value: '2.3' }] }));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect((parse(ok.yaml) as Methodology).indicators.coverage_share?.code).toBe('2.3');
    const dup = applyEdits(base, 'версии 2021.1', MethodologyEditSchema.parse({ version: '2022.1', edits: [{ path: ['indicators', 'coverage_share', 'code'], value: '2.1' }] }));
    expect(dup).toEqual({
      ok: false,
      message: 'код показателя «2.1» повторяется: он уже у показателя «Индекс многообразия программ дополнительного образования детей (в расчете на 100 человек)» (diversity_index), а указан и у «Доля обучающихся, охваченных программами дополнительного образования» (coverage_share); коды показателей в методике не повторяются',
    });
  });
});

describe('indicator codes already repeated in the base', () => {
  const passport = readFileSync(new URL('../../../library/directions/talents.yaml', import.meta.url), 'utf8');
  it('a passport numbering two indicators «1.1» still edits; giving a third «1.1» is refused', () => {
    const m = parse(passport) as Methodology;
    const [first] = Object.keys(m.indicators);
    expect(applyEdits(passport, 'версии 2021.1', MethodologyEditSchema.parse({ version: '2021.9', edits: [{ path: ['goal'], value: 'Цель' }] })).ok).toBe(true);
    const third = Object.entries(m.indicators).find(([, d]) => d.code === '1.2')![0];
    const r = applyEdits(passport, 'версии 2021.1', MethodologyEditSchema.parse({ version: '2021.9', edits: [{ path: ['indicators', third, 'code'], value: '1.1' }] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(new RegExp(`^код показателя «1\\.1» повторяется: он уже у показателя «.*» \\(${first}\\), а указан и у «.*» \\(${third}\\)`));
  });
});
