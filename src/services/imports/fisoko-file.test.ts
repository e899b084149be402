/** The ФИС ОКО / ГИА file reader on the synthetic samples of library/synthetic/fisoko-2025/ (scripts/synthetic-fisoko.ts)
 * and on small workbooks built here. */
import { readFileSync, readdirSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { FisOkoReport, GiaReport, VprJournalReport, VprMarksReport } from '../../core/imports/fisoko.ts';
import { csvGrid, fisOkoGrids, readFisOkoFile } from './fisoko-file.ts';

const DIR = new URL('../../../library/synthetic/fisoko-2025/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => !f.endsWith('.md')).sort();

async function read(name: string): Promise<FisOkoReport[]> {
  const r = await readFisOkoFile(readFileSync(new URL(name, DIR)), name);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

async function all(): Promise<FisOkoReport[]> {
  return (await Promise.all(FILES.map(read))).flat();
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe('синтетические выгрузки ФИС ОКО 2025', () => {
  it('все восемь файлов читаются: 4 «Статистики по отметкам», 4 сравнения с журналом, ГИА-9', async () => {
    expect(FILES).toEqual([
      'гиа-9-2025.csv',
      'журнал-математика-5.xlsx',
      'журнал-математика-7.xlsx',
      'журнал-русский-язык-5.xlsx',
      'журнал-русский-язык-7.xlsx',
      'статистика-математика-5.xlsx',
      'статистика-математика-7.xlsx',
      'статистика-русский-язык-5-7.xlsx',
    ]);
    const reports = await all();
    expect(reports.map((r) => (r.kind === 'gia' ? `${r.kind} ${r.exam} ${r.year}` : `${r.kind} ${r.subject} ${r.grade} ${r.sheet}`))).toEqual([
      'gia ГИА-9 2025',
      'vpr_journal Математика 5 Лист1',
      'vpr_journal Математика 7 Лист1',
      'vpr_journal Русский язык 5 Лист1',
      'vpr_journal Русский язык 7 Лист1',
      'vpr_marks Математика 5 Лист1',
      'vpr_marks Математика 7 Лист1',
      'vpr_marks Русский язык 5 5 класс',
      'vpr_marks Русский язык 7 7 класс',
    ]);
  });

  it('«Статистика по отметкам», математика, 5 класс: блок заголовка, строки сравнения, школы с логинами', async () => {
    const [r] = (await read('статистика-математика-5.xlsx')) as VprMarksReport[];
    if (!r) throw new Error('нет отчёта');
    expect(r).toMatchObject({ file: 'статистика-математика-5.xlsx', sheet: 'Лист1', year: 2025, grade: 5, subject: 'Математика', date: '17.04.2025', maxScore: 20, skipped: [] });
    expect(Object.keys(r.comparison)).toEqual(['sample', 'region', 'municipality']);
    expect(r.comparison.region?.name).toBe('Республика Башкортостан');
    expect(r.comparison.municipality).toMatchObject({ name: 'Ишимбайский муниципальный район', schools: 29 });
    expect(r.schools).toHaveLength(29);
    expect(r.schools[0]).toMatchObject({ line: 13, login: 'sch021201', name: 'МБОУ СОШ №1 г. Ишимбая' });
    // The municipality row is the sum of the schools': participants, and the pupils with each mark.
    const m = r.comparison.municipality;
    expect(m?.participants).toBe(sum(r.schools.map((s) => s.participants)));
    for (const k of [2, 3, 4, 5] as const) {
      expect(Math.round(((m?.shares[k] ?? 0) * (m?.participants ?? 0)) / 100)).toBe(sum(r.schools.map((s) => Math.round((s.shares[k] * s.participants) / 100))));
    }
  });

  it('школа, не писавшая работу, отсутствует в отчёте (а не ноль); участники совпадают в двух отчётах', async () => {
    const reports = (await all()).filter((r): r is VprMarksReport | VprJournalReport => r.kind !== 'gia');
    const logins = (subject: string, grade: number, kind: string) => reports.find((r) => r.subject === subject && r.grade === grade && r.kind === kind)?.schools.map((s) => s.login) ?? [];
    expect(logins('Математика', 7, 'vpr_marks')).not.toContain('sch021227');
    expect(logins('Математика', 7, 'vpr_marks')).not.toContain('sch021218');
    expect(logins('Математика', 5, 'vpr_marks')).toContain('sch021227');
    expect(logins('Русский язык', 5, 'vpr_journal')).not.toContain('sch021228');
    for (const marks of reports.filter((r): r is VprMarksReport => r.kind === 'vpr_marks')) {
      const journal = reports.find((r) => r.kind === 'vpr_journal' && r.subject === marks.subject && r.grade === marks.grade) as VprJournalReport;
      expect(journal.schools.map((s) => [s.login, s.participants])).toEqual(marks.schools.map((s) => [s.login, s.participants]));
      expect(journal.comparison.municipality?.participants).toBe(marks.comparison.municipality?.participants);
    }
  });

  it('признак необъективности (доля «5» на 25 п. п. выше региона и «повысили» ≥ 20 %) находит ровно две школы в каждой работе', async () => {
    const reports = await all();
    for (const marks of reports.filter((r): r is VprMarksReport => r.kind === 'vpr_marks')) {
      const journal = reports.find((r): r is VprJournalReport => r.kind === 'vpr_journal' && r.subject === marks.subject && r.grade === marks.grade) as VprJournalReport;
      const region5 = marks.comparison.region?.shares[5] ?? 0;
      const raised = new Map(journal.schools.map((s) => [s.login, s.raised]));
      const flagged = marks.schools.filter((s) => s.shares[5] - region5 >= 25 && (raised.get(s.login) ?? 0) >= 20).map((s) => s.name);
      expect(flagged, `${marks.subject} ${marks.grade}`).toEqual(['МБОУ СОШ №14 г. Ишимбая', 'МБОУ СОШ с. Кулгунино']);
    }
  });

  it('ГИА-9: CSV в Windows-1251 с блоком заголовка и строкой «Итого»', async () => {
    const buffer = readFileSync(new URL('гиа-9-2025.csv', DIR));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buffer)).toThrow();
    const [r] = (await read('гиа-9-2025.csv')) as GiaReport[];
    if (!r) throw new Error('нет отчёта');
    expect(r).toMatchObject({ kind: 'gia', file: 'гиа-9-2025.csv', exam: 'ГИА-9', year: 2025, skipped: [{ line: 61, reason: 'итоговая строка' }] });
    expect(r.sheet).toBeUndefined();
    expect(r.rows).toHaveLength(56);
    expect(r.rows[0]).toMatchObject({ line: 5, organisation: 'МБОУ СОШ №1 г. Ишимбая', login: 'sch021201', inn: '9909000011', subject: 'Математика' });
    expect(r.rows.some((x) => x.login === 'sch021227')).toBe(false);
    const grid = csvGrid(buffer);
    if (!grid.ok) throw new Error(grid.message);
    expect(grid.encoding).toBe('windows-1251');
    const totals = grid.grids[0]?.rows.find((x) => x.line === 61)?.cells;
    expect(totals?.[0]).toBe('Итого');
    expect(Number(totals?.[4])).toBe(sum(r.rows.filter((x) => x.subject === 'Математика').map((x) => x.participants)) * 2);
    expect(Number(totals?.[6])).toBe(sum(r.rows.map((x) => x.failed ?? 0)));
  });

  it('объединённые ячейки XLSX: значение повторено по всему диапазону, строки блока заголовка на месте', async () => {
    const g = await fisOkoGrids(readFileSync(new URL('статистика-математика-5.xlsx', DIR)), 'статистика-математика-5.xlsx');
    if (!g.ok) throw new Error(g.message);
    const rows = g.grids[0]?.rows ?? [];
    expect(rows[0]).toEqual({ line: 1, cells: Array(7).fill('Всероссийские проверочные работы 2025 (5 класс)') });
    expect(rows.find((r) => r.line === 8)?.cells).toEqual(['Группы участников', 'Кол-во ОО', 'Кол-во участников', ...Array(4).fill('Распределение групп баллов в %')]);
    expect(rows.find((r) => r.line === 9)?.cells).toEqual(['Группы участников', 'Кол-во ОО', 'Кол-во участников', '2', '3', '4', '5']);
  });
});

describe('ошибки файла', () => {
  it('ошибки всех листов книги, с файлом, листом, строкой и столбцом; пустой лист пропущен', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Пусто');
    const head = [['Всероссийские проверочные работы 2025 (5 кл.)'], ['Предмет: Математика'], ['Группы участников', 'Кол-во ОО', 'Кол-во участников', 'Распределение групп баллов в %'], ['', '', '', 2, 3, 4, 5]];
    const a = wb.addWorksheet('Математика 5');
    [...head, ['Вся выборка', 100, 1000, 10, 40, 40, 10], ['(sch1) Школа', '', 20, 10, 40, 40, 5]].forEach((r, i) => {
      a.getRow(i + 1).values = r;
    });
    const b = wb.addWorksheet('Прочее');
    b.getRow(1).values = ['ФИО', 'Балл'];
    const name = 'впр.xlsx';
    const r = await readFisOkoFile(Buffer.from(await wb.xlsx.writeBuffer()), name);
    if (r.ok) throw new Error('ожидались ошибки');
    expect(r.errors.map((e) => [e.file, e.sheet, e.line, e.column])).toEqual([
      [name, 'Математика 5', 6, 'Распределение групп баллов в % «2»'],
      [name, 'Прочее', 1, null],
    ]);
    expect(r.errors[0]?.message).toBe('сумма долей отметок «2»–«5» равна 95 %, а должна быть 100 % (±0,1)');
    expect(r.errors[1]?.message).toMatch(/^таблица не распознана/);
  });

  it('CSV: разделитель по строкам таблицы, а не по строке заголовка документа без разделителей', () => {
    const text = 'Результаты ЕГЭ 2025\n\nОрганизация;Предмет;Кол-во участников;Средний балл\n"Школа №1, корпус 2";Физика;12;61,5\n';
    const g = csvGrid(iconv.encode(text, 'win1251'));
    if (!g.ok) throw new Error(g.message);
    expect(g.grids[0]?.rows.map((r) => r.cells)).toEqual([['Результаты ЕГЭ 2025'], [''], ['Организация', 'Предмет', 'Кол-во участников', 'Средний балл'], ['Школа №1, корпус 2', 'Физика', '12', '61,5']]);
  });

  it('не таблица: сообщение с именем файла', async () => {
    const r = await readFisOkoFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), 'битый.xlsx');
    expect(r).toMatchObject({ ok: false, errors: [{ file: 'битый.xlsx', line: null, column: null }] });
  });
});
