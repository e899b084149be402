import { describe, expect, it } from 'vitest';
import { parseDeadline, type DeadlineRule } from '../calendar/index.ts';
import { cycleCompleteness, type CompletenessInput } from './completeness.ts';
import { overdueOccurrences, roadmapView } from './roadmap.ts';

const rule = (text: string): DeadlineRule => {
  const r = parseDeadline(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const passport = { title: 'Паспорт', goal: 'Формирование системы', expectedResult: 'Наличие системы', indicators: 6, inputs: 6, datasets: 1 };
const base: CompletenessInput = {
  year: 2022,
  today: '2022-12-15',
  passport,
  campaigns: [],
  recommendations: [],
  decisions: [],
  roadmap: { events: 0, overdue: [], done: 0 },
};

describe('cycleCompleteness', () => {
  it('reports the nine stages in order, with nothing but a passport', () => {
    const r = cycleCompleteness(base);
    expect(r.stages.map((s) => [s.title, s.state])).toEqual([
      ['Цели', 'ok'],
      ['Показатели', 'ok'],
      ['Методы сбора информации', 'ok'],
      ['Мониторинг', 'missing'],
      ['Анализ', 'missing'],
      ['Адресные рекомендации', 'missing'],
      ['Управленческие решения', 'missing'],
      ['Анализ эффективности', 'missing'],
      ['Корректировка дорожной карты', 'missing'],
    ]);
    expect(r.complete).toBe(3);
    expect(r.stages[1]!.found).toEqual(['6 показателей в паспорте']);
    expect(r.gaps).toEqual([
      'нет мониторингов по направлению в 2022 году',
      'нет мониторингов — анализировать нечего',
      'адресные рекомендации не выданы',
      'управленческие решения не приняты',
      'нет решений, эффективность которых можно оценить',
      'дорожная карта на 2022 год не загружена',
      'нет решения о корректировке дорожной карты',
    ]);
  });

  it('says so when there is no passport and when campaigns are unavailable', () => {
    const r = cycleCompleteness({ ...base, passport: null, campaigns: null });
    expect(r.stages[0]).toMatchObject({ state: 'missing', missing: ['нет паспорта направления'] });
    expect(r.stages[3]!.missing).toEqual(['сведения о мониторингах недоступны (таблица мониторингов не создана) — учтено 0']);
    expect(r.complete).toBe(0);
  });

  it('finds recommendations without decisions, decisions without effect, overdue road-map events', () => {
    const r = cycleCompleteness({
      ...base,
      campaigns: [{ title: 'Охват ДО 2022', status: 'published' }, { title: 'Повторный', status: 'open' }],
      recommendations: [
        { id: 'a', status: 'verified', dueDate: '2022-10-01', decisionCount: 1 },
        { id: 'b', status: 'issued', dueDate: '2022-11-01', decisionCount: 0 },
        { id: 'c', status: 'done', dueDate: '2022-12-31', decisionCount: 0 },
        { id: 'd', status: 'in_progress', dueDate: null, decisionCount: 0 },
      ],
      decisions: [
        { id: 'x', kind: 'order', date: '2022-09-12', title: 'Приказ о работе с одарёнными', effectEvaluatedAt: null, recommendationCount: 1 },
        { id: 'y', kind: 'roadmap_change', date: '2022-11-20', title: 'Корректировка дорожной карты', effectEvaluatedAt: '2022-12-01', recommendationCount: 0 },
      ],
      roadmap: { events: 12, done: 3, overdue: [{ title: 'Мониторинг достижений', label: '3 квартал 2022 года', due: '2022-10-15' }] },
    });
    const by = Object.fromEntries(r.stages.map((s) => [s.code, s]));
    expect(by.monitoring).toMatchObject({ state: 'ok', found: ['2 мониторинга в 2022 году: «Охват ДО 2022», «Повторный»'] });
    expect(by.analysis).toMatchObject({ state: 'partial', found: ['завершено (результаты рассчитаны): 1 мониторинг, из них опубликовано: 1'], missing: ['ещё не завершено: 1 мониторинг'] });
    expect(by.recommendations).toMatchObject({
      state: 'partial',
      found: ['4 рекомендации: выполнено и проверено 1'],
      missing: ['не выполнено в срок: 1 рекомендация', 'выполнено, но не проверено: 1 рекомендация'],
    });
    expect(by.decisions).toMatchObject({ state: 'partial', missing: ['3 рекомендации без управленческого решения'] });
    expect(by.effectiveness).toMatchObject({ state: 'partial', missing: ['решение от 12.09.2022 без оценки эффективности («Приказ о работе с одарёнными»)'] });
    expect(by.roadmap_correction).toMatchObject({
      state: 'partial',
      found: ['дорожная карта на 2022 год: 12 мероприятий, выполнено сроков: 3', 'корректировка: Корректировка дорожной карты от 20.11.2022'],
      missing: ['мероприятие дорожной карты просрочено: «Мониторинг достижений» (3 квартал 2022 года, срок 15.10.2022)'],
    });
    expect(r.complete).toBe(4);
  });
});

describe('roadmapView', () => {
  const events = [
    { id: 'q', title: 'Мониторинг достижений', rule: rule('ежеквартально (до 15 числа месяца, следующего за отчетным периодом)') },
    { id: 'm', title: 'Мониторинг показателей', rule: rule('Ежегодно январь, май') },
    { id: 'u', title: 'Сайт', rule: rule('На постоянной основе (актуализация данных)') },
  ];

  it('derives statuses from today and the completion in force (the last one)', () => {
    const completions = [
      { eventId: 'm', occurrenceDue: '2022-01-31', doneAt: '2022-02-10', evidenceUrl: null, note: 'поздно', actorLogin: 'a', at: '2022-02-10T00:00:00Z' },
      { eventId: 'm', occurrenceDue: '2022-01-31', doneAt: '2022-01-28', evidenceUrl: 'https://x/y', note: null, actorLogin: 'a', at: '2022-02-11T00:00:00Z' },
    ];
    const view = roadmapView(events, completions, 2022, '2022-05-20');
    expect(view[0]!.occurrences.map((o) => [o.label, o.due, o.status])).toEqual([
      ['1 квартал 2022 года', '2022-04-15', 'overdue'],
      ['2 квартал 2022 года', '2022-07-15', 'planned'],
      ['3 квартал 2022 года', '2022-10-15', 'planned'],
      ['4 квартал 2022 года', '2023-01-15', 'planned'],
    ]);
    expect(view[1]!.occurrences.map((o) => [o.due, o.status, o.statusLabel])).toEqual([
      ['2022-01-31', 'done', 'выполнено'],
      ['2022-05-31', 'due_soon', 'срок подходит'],
    ]);
    expect(view[1]!.occurrences[0]!.completion?.evidenceUrl).toBe('https://x/y');
    expect(view[2]).toMatchObject({ occurrences: [], unscheduled: 'на постоянной основе — без календарного срока' });
    expect(overdueOccurrences(view).map((o) => [o.event.id, o.occurrence.due])).toEqual([['q', '2022-04-15']]);
  });

  it('a decision whose before/after is measurable counts as evaluated without a manual mark', () => {
    const decision = { id: 'd1', kind: 'order', date: '2022-09-12', title: 'Приказ о работе с одарёнными', effectEvaluatedAt: null, recommendationCount: 0 };
    const open = cycleCompleteness({ ...base, decisions: [{ ...decision, effectMeasured: false }] });
    expect(open.stages.find((s) => s.code === 'effectiveness')).toMatchObject({ state: 'missing', missing: ['решение от 12.09.2022 без оценки эффективности («Приказ о работе с одарёнными»)'] });
    const measured = cycleCompleteness({ ...base, decisions: [{ ...decision, effectMeasured: true }, { ...decision, id: 'd2', date: '2022-10-01', effectEvaluatedAt: '2023-06-30' }] });
    expect(measured.stages.find((s) => s.code === 'effectiveness')).toMatchObject({ state: 'ok', missing: [], found: ['эффективность оценена для 2 решений (до/после по показателям: 1)'] });
  });
});
