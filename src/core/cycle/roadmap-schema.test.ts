import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDeadline } from '../calendar/index.ts';
import { compileRoadmapTemplate, DIRECTION_CODES, RoadmapTemplateSchema } from './roadmap-schema.ts';

const DIR = fileURLToPath(new URL('../../../library/roadmaps/', import.meta.url));
const load = (direction: string): unknown => parse(readFileSync(`${DIR}${direction}.yaml`, 'utf8'));

describe('road-map templates (library/roadmaps, seed 001)', () => {
  it('has one template per direction, nothing else', () => {
    expect(readdirSync(DIR).sort()).toEqual(DIRECTION_CODES.map((d) => `${d}.yaml`).sort());
  });

  it.each(DIRECTION_CODES)('%s: loads, and every deadline text parses (or is explicitly unscheduled)', (direction) => {
    const doc = load(direction);
    const template = RoadmapTemplateSchema.parse(doc);
    expect(template.direction).toBe(direction);
    expect(template.source).toContain('01.06.2021 № 01-09/155');
    for (const e of template.events) {
      const rule = parseDeadline(e.deadline);
      expect(rule.ok, `${direction}: «${e.deadline}» ${rule.ok ? '' : rule.error}`).toBe(true);
    }
    const compiled = compileRoadmapTemplate(doc);
    expect(compiled.ok).toBe(true);
  });

  it('keeps the seed text verbatim and counts the events of each road map', () => {
    const counts = Object.fromEntries(DIRECTION_CODES.map((d) => [d, RoadmapTemplateSchema.parse(load(d)).events.length]));
    expect(counts).toEqual({ preparation: 13, talents: 12, career: 5, leaders: 8, teachers: 7, upbringing: 5, preschool: 10 });
    const talents = RoadmapTemplateSchema.parse(load('talents'));
    expect(talents.events.map((e) => e.deadline)).toContain('ежеквартально (до 15 числа месяца, следующего за отчетным периодом)');
    expect(talents.events.map((e) => e.deadline)).toContain('Ежегодно декабрь май');
    const career = RoadmapTemplateSchema.parse(load('career'));
    expect(career.events[1]).toMatchObject({
      number: '2',
      deadline: 'Ежегодно январь, май',
      executor: 'МКУ «Управление образования ЗАТО город Заозерск»',
      expected_document: 'Осуществлены сбор и обработка данных по достижению ОО показателей качества работы по самоопределению и профессиональной ориентации обучающихся',
    });
    // The teachers' table has no expected-result column.
    expect(RoadmapTemplateSchema.parse(load('teachers')).events.every((e) => e.expected_document === undefined)).toBe(true);
  });

  it('classifies the seed phrasings into rule kinds', () => {
    const kinds = DIRECTION_CODES.flatMap((d) => RoadmapTemplateSchema.parse(load(d)).events.map((e) => {
      const r = parseDeadline(e.deadline);
      return r.ok ? r.value.kind : 'error';
    }));
    const tally = kinds.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
    expect(tally).toEqual({ fixed: 16, yearly_months: 16, yearly_window: 13, periodic: 3, unscheduled: 12 });
  });

  it('rejects a malformed template and an unparseable deadline with a Russian message naming the event', () => {
    expect(compileRoadmapTemplate({ direction: 'talents', title: 'x', source: 'y', years: { from: 2021, to: 2023 }, events: [] })).toEqual({
      ok: false, error: 'Шаблон дорожной карты не прошёл проверку: events: В дорожной карте нет мероприятий',
    });
    const bad = compileRoadmapTemplate({
      direction: 'talents', title: 'x', source: 'y', years: { from: 2021, to: 2023 },
      events: [{ title: 'Совещание', deadline: 'когда-нибудь', executor: 'УО' }],
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Сроки не распознаны — мероприятие 1 \(«Совещание»\): Не удалось распознать срок «когда-нибудь»/);
    expect(compileRoadmapTemplate({ direction: 'nowhere', title: 'x', source: 'y', years: { from: 2021, to: 2023 }, events: [] }).ok).toBe(false);
  });
});
