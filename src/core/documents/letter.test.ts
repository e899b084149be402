import { describe, expect, it } from 'vitest';
import { letterDefaults, longDate, termText } from './letter.ts';
import { unknownTags } from './template-tags.ts';

describe('information letter texts', () => {
  it('writes dates and terms as seed 000 does', () => {
    expect(longDate('2023-02-15')).toBe('15 февраля 2023 года');
    expect(termText('2023-02-15', '2023-06-01')).toBe('с 15 февраля по 01 июня 2023 года');
    expect(termText('2022-12-20', '2023-01-31')).toBe('с 20 декабря 2022 года по 31 января 2023 года');
  });

  it('builds the default texts from the campaign', () => {
    const t = letterDefaults({
      campaignTitle: 'Таланты 2023', methodologyTitle: 'Система выявления талантов', goal: 'Обеспечение объективного анализа состояния системы.',
      opensOn: '2023-02-15', dueOn: '2023-06-01', periodLabel: '2022 год', participants: { count: 22, schools: 20, preschools: 0, supplementary: 2 }, departmentName: 'Управление образования',
    });
    expect(t.title).toBe('О проведении мониторинга «Таланты 2023»');
    expect(t.addressee).toBe('Руководителям образовательных организаций');
    expect(t.paragraphs.slice(0, 4)).toEqual([
      'Управление образования информирует о проведении мониторинга «Таланты 2023» (методика «Система выявления талантов»).',
      'Сроки проведения мониторинга: с 15 февраля по 01 июня 2023 года.',
      'Целью мониторинга является обеспечение объективного анализа состояния системы.',
      'Участниками мониторинга являются муниципальные образовательные организации, подведомственные управлению: 22 образовательные организации — общеобразовательные (20), дополнительного образования (2).',
    ]);
    expect(t.paragraphs).toContain('Оценка производится за 2022 год.');
    expect(t.paragraphs).toContain('Сведения вносятся образовательными организациями в МСОКО не позднее 01 июня 2023 года.');
  });
});

describe('template placeholders', () => {
  it('names unknown tags, allowing a loop\'s tags only inside it and the outer tags everywhere', () => {
    expect(unknownTags({ 'department.name': {}, number: {}, paragraphs: { text: {} }, 'department.okpo': { 'department.okpo': {} } }, 'letter')).toEqual([]);
    expect(unknownTags({ 'department.nmae': {}, text: {}, paragraphs: { txt: {}, 'department.inn': {} } }, 'letter')).toEqual(['department.nmae', 'text', 'txt']);
    expect(unknownTags({ appendices: { appendixNo: {}, date: {}, number: {}, rows: { section: { section: {} }, event: { no: {}, name: {}, result: {} } }, passport: { label: {}, value: {} } } }, 'order_approval')).toEqual([]);
    expect(unknownTags({ appendices: {}, preamble: {}, recommendations: { no: {} } }, 'letter')).toEqual(['appendices', 'preamble', 'recommendations', 'no']);
    expect(unknownTags({ no: {}, recommendations: { no: {}, responsible: {}, indicator: {}, appendixNo: {} } }, 'order_results')).toEqual(['no', 'appendixNo']);
    expect(unknownTags({ organisation: {}, recommendations: { organisation: {}, due: {} }, preamble: {} }, 'recommendations_letter')).toEqual(['preamble']);
  });
});
