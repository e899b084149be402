import { describe, expect, it } from 'vitest';
import { approvalOrderDefaults, passportRows, resultsOrderDefaults, roadmapRows } from './orders.ts';
import { byOrganisationThenDue, recommendationRows, recommendationsLetterDefaults } from './recommendation-rows.ts';

const passport = {
  directionLabel: 'Способности и таланты детей и молодежи', title: 'Система выявления талантов', goal: 'Формирование системы.', expectedResult: 'Наличие системы',
  indicators: [{ code: '1.1', title: 'Мероприятия', target: 10, unit: null }, { code: '1.2', title: 'Охват', target: 40.5, unit: '%' }, { code: null, title: 'Часы', target: null, unit: null }],
  inputs: ['Обучающихся 1–11 классов'],
};

describe('approval order', () => {
  it('prints the passport as the appendix table', () => {
    expect(passportRows(passport)).toEqual([
      { label: '1. Цель', value: 'Формирование системы.' },
      { label: '2. Ожидаемый результат', value: 'Наличие системы' },
      { label: '3. Показатели для оценки', value: '1.1. Мероприятия (целевое значение: не менее 10)\n1.2. Охват (целевое значение: не менее 40,5 %)\nЧасы' },
      { label: '4. Сведения, собираемые для расчёта показателей', value: '- Обучающихся 1–11 классов' },
    ]);
    expect(passportRows({ ...passport, goal: null, expectedResult: null, inputs: [] }).map((r) => r.label)).toEqual(['1. Показатели для оценки']);
  });
  it('puts a section row wherever the plan\'s section changes', () => {
    const e = (section: string | null, number: string) => ({ section, number, title: `М${number}`, deadline: 'Январь', executor: 'УО', result: null });
    expect(roadmapRows({ title: 'План', events: [e('I. Первый', '1'), e('I. Первый', '2'), e('II. Второй', '1')] })).toEqual([
      { section: 'I. Первый' },
      { event: true, no: '1', name: 'М1', deadline: 'Январь', executor: 'УО', result: '' },
      { event: true, no: '2', name: 'М2', deadline: 'Январь', executor: 'УО', result: '' },
      { section: 'II. Второй' },
      { event: true, no: '1', name: 'М1', deadline: 'Январь', executor: 'УО', result: '' },
    ]);
    expect(roadmapRows({ title: 'План', events: [e(null, '1')] })).toHaveLength(1);
  });
  it('numbers a point per direction naming its appendix (seed 001: «1. Утвердить прилагаемые: 1.1. …»)', () => {
    const t = approvalOrderDefaults({ directions: [{ passport }, { passport: { ...passport, directionLabel: 'Самоопределение и профориентация' } }] });
    expect(t.paragraphs).toEqual([
      '1. Утвердить прилагаемые:',
      '1.1. Паспорт и план мероприятий («дорожную карту») по направлению «Способности и таланты детей и молодежи» (приложение № 1).',
      '1.2. Паспорт и план мероприятий («дорожную карту») по направлению «Самоопределение и профориентация» (приложение № 2).',
      '2. Специалистам управления образования обеспечить реализацию утверждённых планов мероприятий («дорожных карт») и ежегодное проведение мониторинга по показателям паспортов.',
      '3. Руководителям образовательных организаций обеспечить участие организаций в мероприятиях планов и представление сведений для мониторинга в установленные сроки.',
      '4. Контроль за исполнением приказа оставляю за собой.',
    ]);
    expect(t.preamble).toMatch(/^В целях /);
  });
});

describe('results order and recommendation rows', () => {
  it('builds the default texts from the campaign', () => {
    const t = resultsOrderDefaults({ campaignTitle: 'Таланты 2022', periodLabel: '2022 год', methodologyTitle: 'Система выявления талантов', organisations: 2 });
    expect(t.title).toBe('Об итогах мониторинга «Таланты 2022»');
    expect(t.preamble).toBe('По результатам мониторинга «Таланты 2022» за 2022 год (методика «Система выявления талантов»), в целях повышения качества образования и принятия управленческих решений по его итогам,');
    expect(t.paragraphs[1]).toBe('2. Утвердить адресные рекомендации по результатам мониторинга (приложение № 1).');
  });
  it('names the indicator, deadline and person responsible, ordered by organisation then deadline', () => {
    const recs = byOrganisationThenDue([
      { organisation: null, addresseeKind: 'organisation', addresseeLabel: 'образовательная организация', text: 'Семинар', indicator: null, dueDate: null },
      { organisation: 'СОШ № 2', addresseeKind: 'teachers', addresseeLabel: 'педагогические работники', text: 'Программы', indicator: 'Индекс многообразия', dueDate: '2023-10-01' },
      { organisation: 'СОШ № 10', addresseeKind: 'head', addresseeLabel: 'руководитель ОО', text: 'Анкетирование', indicator: 'Доля', dueDate: '2023-09-01' },
      { organisation: 'СОШ № 2', addresseeKind: 'head', addresseeLabel: 'руководитель ОО', text: 'Отчёт', indicator: 'Доля', dueDate: '2023-06-01' },
    ]);
    expect(recommendationRows(recs, 'Управление образования')).toEqual([
      { no: '1', organisation: 'СОШ № 2', addressee: 'руководитель ОО', text: 'Отчёт', indicator: 'Доля', due: '01.06.2023', responsible: 'Руководитель СОШ № 2' },
      { no: '2', organisation: 'СОШ № 2', addressee: 'педагогические работники', text: 'Программы', indicator: 'Индекс многообразия', due: '01.10.2023', responsible: 'Руководитель СОШ № 2; исполнители: педагогические работники' },
      { no: '3', organisation: 'СОШ № 10', addressee: 'руководитель ОО', text: 'Анкетирование', indicator: 'Доля', due: '01.09.2023', responsible: 'Руководитель СОШ № 10' },
      { no: '4', organisation: 'муниципальный уровень', addressee: 'образовательная организация', text: 'Семинар', indicator: '—', due: '—', responsible: 'Управление образования' },
    ]);
  });
  it('addresses the letter with an organisation\'s recommendations to its head', () => {
    const t = recommendationsLetterDefaults({ campaignTitle: 'Таланты 2022', periodLabel: '2022 год', organisationFull: 'МБОУ «Средняя школа № 2»', count: 3 });
    expect(t.addressee).toBe('Руководителю\nМБОУ «Средняя школа № 2»');
    expect(t.title).toBe('Об адресных рекомендациях по результатам мониторинга «Таланты 2022»');
    expect(t.paragraphs[0]).toBe('По результатам мониторинга «Таланты 2022» за 2022 год направляем адресные рекомендации вашей образовательной организации (3) с показателями, по которым они выданы, и сроками выполнения.');
  });
});
