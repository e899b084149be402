/** Browser journey «Импорт таблицы критериев» (issue 15, item 1): the analyst reads seed 004's Table № 1 from a Word
 * document, sees each band's printed text beside the bounds msoko read and the gaps the linter names (9,1–9,9), opens
 * the draft, checks it and saves it as a new methodology version; a band the parser cannot read is shown with its row
 * and reason, and no draft is offered. A new version of talents-2021 shows what changed against 2021.1 in words. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocx } from '../support/criteria-table1.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-criteria-e2e-'));
  await writeFile(path.join(dir, 'Таблица 1.docx'), await buildDocx());
  await writeFile(path.join(dir, 'bad.docx'), await buildDocx('примерно 80'));
  h = await startHarness({ demoYear: true });
});

afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('импорт таблицы критериев в браузере', () => {
  it('аналитик читает таблицу из Word, видит полосы и пропуск 9,1–9,9, сохраняет черновик как новую версию', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.getByRole('link', { name: 'Методики' }).click();
    await page.getByRole('link', { name: 'Импорт таблицы критериев' }).click();
    await page.getByRole('heading', { level: 1, name: 'Импорт таблицы критериев' }).waitFor();
    expect(await page.title()).toContain('Импорт таблицы критериев');

    // Without a file: the field says so, nothing is sent.
    await page.getByRole('button', { name: 'Прочитать таблицу' }).click();
    expect(await page.getByText('Выберите файл DOCX или XLSX с таблицей критериев').count()).toBe(1);

    await page.getByLabel('Файл с таблицей (DOCX или XLSX)').setInputFiles(path.join(dir, 'Таблица 1.docx'));
    await page.getByLabel('Идентификатор методики').fill('talents-e2e');
    await page.getByLabel('Версия').fill('2022.1');
    await page.getByLabel('Направление').selectOption('talents');
    await page.getByRole('button', { name: 'Прочитать таблицу' }).click();

    const table = page.getByRole('table', { name: /Полосы таблицы критериев/ });
    await table.waitFor();
    expect(await page.getByRole('heading', { level: 2, name: /Прочитано: «Таблица 1\.docx», таблица 1 из 2/ }).count()).toBe(1);
    expect(await page.getByText(/Критериев 3, показателей 5, полос 22; максимум в документе — 15/).count()).toBe(1);
    const band = table.getByRole('row', { name: /выше среднего \(от 5,1 до 7,5\)/ });
    const cells = await band.locator('td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['выше среднего (от 5,1 до 7,5)', '«выше среднего»: 5,1–7,5', '2']);
    expect(cells[3]).toMatch(/^таблица 1, строка \d+$/);
    const remarks = await page.getByText(/Замечания проверки/).innerText();
    expect(remarks).toMatch(/показатель 1\.1 .*значения 9,1–9,9/);

    await page.getByRole('button', { name: 'Открыть черновик методики' }).click();
    await page.getByRole('heading', { level: 1, name: 'Загрузить новую версию методики' }).waitFor();
    const yaml = await page.getByLabel('Текст методики (YAML)').inputValue();
    expect(yaml).toMatch(/^# Черновик методики: импортирован из таблицы критериев «Таблица 1\.docx»/);
    expect(yaml).toContain('id: talents-e2e');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText(/версия 2022\.1: ошибок нет/).waitFor();
    await page.getByRole('button', { name: 'Сохранить версию' }).click();
    await page.waitForURL(/\/methodologies\/talents-e2e\/2022\.1$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Методика по таблице критериев «Таблица 1.docx»');

    // The gaps fixed in the editor: 1.1's bands «от 10% до 19%» and «от 0% до 9%» reach 19,9 and 9,9.
    await page.getByRole('link', { name: 'Изменить (новая версия)' }).click();
    await page.getByRole('heading', { level: 1, name: /^Новая версия методики/ }).waitFor();
    expect(await page.getByLabel('Номер новой версии').inputValue()).toBe('2022.2');
    await page.locator('summary', { hasText: /^1\.1 / }).click();
    await page.getByLabel('Полосы показателя 1.1, полоса 3: до', { exact: true }).fill('19,9');
    await page.getByLabel('Полосы показателя 1.1, полоса 4: до', { exact: true }).fill('9,9');
    await page.getByRole('button', { name: 'Проверить' }).click();
    const changes = page.getByRole('list', { name: 'Изменения новой версии' });
    await changes.waitFor();
    expect(await changes.getByRole('listitem').allInnerTexts()).toEqual([
      'показатель 1.1: полоса «от 10% до 19%»: было 10,0–19,0, стало 10,0–19,9',
      'показатель 1.1: полоса «от 0% до 9%»: было 0,0–9,0, стало 0,0–9,9',
    ]);
    const after = await page.getByRole('list', { name: 'Замечания проверки' }).innerText();
    expect(after).not.toMatch(/показатель 1\.1 .*значения 9,1–9,9/);
    expect(after).toMatch(/показатель 3\.1 .*значения 9,1–9,9/);
    await page.getByRole('button', { name: 'Сохранить версию' }).click();
    await page.waitForURL(/\/methodologies\/talents-e2e\/2022\.2$/);
    const diff = page.getByRole('list', { name: 'Изменения', exact: true });
    await diff.waitFor();
    await expect.poll(() => diff.getByRole('listitem').count()).toBe(2);
  });

  it('нечитаемая полоса: строка, её текст и причина; черновика нет', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`${h.url}/methodologies/criteria-import`);
    await page.getByLabel('Файл с таблицей (DOCX или XLSX)').setInputFiles(path.join(dir, 'bad.docx'));
    await page.getByRole('button', { name: 'Прочитать таблицу' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Строки, которые не прочитаны' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('таблица 1, строка 14: «примерно 80» — показатель 2.2: «примерно 80» не распознано');
    expect(await page.getByRole('button', { name: 'Открыть черновик методики' }).count()).toBe(0);
  });

  it('новая версия talents-2021: на её странице изменения по сравнению с 2021.1 словами', async () => {
    const yaml = (await readFile(new URL('../../library/talents-2021.yaml', import.meta.url), 'utf8'))
      .replace(/^version: .*$/m, 'version: "2022.5"')
      .replace('{ level: average, from: 2.6, to: 5.0,', '{ level: average, from: 2.6, to: 5.5,')
      .replace('{ level: above_average, from: 5.1, to: 7.5,', '{ level: above_average, from: 5.6, to: 7.5,');
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`${h.url}/methodologies/new`);
    await page.getByLabel('Текст методики (YAML)').fill(yaml);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText(/версия 2022\.5: ошибок нет/).waitFor();
    await page.getByRole('button', { name: 'Сохранить версию' }).click();
    await page.waitForURL(/\/methodologies\/talents-2021\/2022\.5$/);
    const section = page.getByRole('region', { name: 'Сравнение с другой версией' });
    const changes = section.getByRole('list', { name: 'Изменения', exact: true });
    await changes.waitFor();
    expect(await section.getByLabel('Что изменилось по сравнению с').inputValue()).toBe('talents-2021@2021.1');
    expect(await changes.getByRole('listitem').allInnerTexts()).toEqual([
      'показатель 2.1: полоса «выше среднего»: было 5,1–7,5, стало 5,6–7,5',
      'показатель 2.1: полоса «средний»: было 2,6–5,0, стало 2,6–5,5',
    ]);
  });

  it('«что если»: черновик talents-2021 со «средним» до 5,5 на данных мониторинга 2021 — кто меняет уровень', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`${h.url}/methodologies/talents-2021/2021.1/edit`);
    await page.getByRole('heading', { level: 1, name: /^Новая версия методики/ }).waitFor();
    await page.locator('summary', { hasText: /^2\.1 / }).click();
    // The formula is checked while typing: an unknown name is named under the field and blocks the calculation.
    const formula = page.locator('details', { has: page.locator('summary', { hasText: /^2\.1 / }) }).getByLabel('Формула');
    const original = await formula.inputValue();
    await formula.fill('programmes / pupils * 100');
    await page.getByText('позиция 14: неизвестные имена: pupils').waitFor();
    await page.getByRole('button', { name: 'Рассчитать «что если»' }).click();
    await page.getByText('Сначала исправьте поля формы.').waitFor();
    await formula.fill(original);
    expect(await page.getByText(/неизвестные имена/).count()).toBe(0);
    await page.getByLabel('Полосы показателя 2.1, полоса 2: от', { exact: true }).fill('5,6');
    await page.getByLabel('Полосы показателя 2.1, полоса 3: до', { exact: true }).fill('5,5');
    await page.getByLabel('Мониторинг', { exact: true }).selectOption({ label: 'Мониторинг охвата дополнительным образованием, 2021 (версия 2021.1)' });
    await page.getByRole('button', { name: 'Рассчитать «что если»' }).click();
    const table = page.getByRole('table', { name: 'Что если: изменения результатов организаций' });
    await table.waitFor();
    const summary = await page.getByText(/Организаций в расчёте: \d+; меняют/).innerText();
    const changed = Number(/меняют уровень: (\d+)/.exec(summary)?.[1]);
    expect(changed).toBeGreaterThan(0);
    expect(await table.locator('tbody tr').count()).toBe(changed);
    const no15 = await table.getByRole('row', { name: /^№15 / }).locator('td').allInnerTexts();
    expect(no15.slice(1)).toEqual(['5,4 · выше среднего · 2 б.', '5,4 · средний · 1 б.']);
    // Nothing is saved by «что если»: the version list still has no 2021.2.
    const versions = await page.evaluate(async () => ((await (await fetch('/api/methodologies')).json()) as { items: { id: string; version: string }[] }).items.map((m) => `${m.id}@${m.version}`));
    expect(versions).toContain('talents-2021@2021.1');
    expect(versions).not.toContain('talents-2021@2021.2');
  });

  it('редактор: итог по муниципалитету и правило рекомендации — условие проверяется при вводе, изменения словами', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`${h.url}/methodologies/talents-2021/2021.1/edit`);
    await page.getByRole('heading', { level: 2, name: 'Итоги по муниципалитету' }).waitFor();
    await page.locator('summary', { hasText: /^Совокупный индекс многообразия/ }).click();
    await page.getByLabel(/^Итог «Совокупный индекс многообразия.*»: знаков после запятой$/).fill('2');
    const before = await page.getByRole('group', { name: /^Правило \d+/ }).count();
    await page.getByRole('button', { name: 'Добавить правило' }).click();
    const n = before + 1;
    await page.getByLabel(`Правило ${n}: код`).fill('low_diversity');
    await page.getByLabel(`Правило ${n}: адресат`).selectOption('head');
    await page.getByLabel(`Правило ${n}: условие`).fill('diversity < 2.6');
    await page.getByText(/условие: /).first().waitFor();
    expect(await page.getByText(`правило ${n} «low_diversity», условие: неизвестные имена: diversity`).count()).toBeGreaterThan(0);
    await page.getByLabel(`Правило ${n}: условие`).fill('diversity_index_level == "low"');
    await page.getByLabel(`Правило ${n}: текст рекомендации`).fill('Расширить перечень программ дополнительного образования');
    await page.getByLabel(`Правило ${n}: срок, дней`).fill('90');
    await page.getByRole('button', { name: 'Проверить' }).click();
    const changes = page.getByRole('list', { name: 'Изменения новой версии' });
    await changes.waitFor();
    expect(await changes.getByRole('listitem').allInnerTexts()).toEqual([
      'итоговый показатель «Совокупный индекс многообразия программ ДО по району (среднее индексов организаций)», знаков после запятой: было 1, стало 2',
      'добавлено: правило рекомендации low_diversity: если diversity_index_level == "low" → «Расширить перечень программ дополнительного образования»',
    ]);
  });

  it('паспорт направления (seed 001): шкала добавлена показателю без шкалы, новая версия сохранена', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto(`${h.url}/methodologies/direction-talents/2021.1/edit`);
    await page.getByRole('heading', { level: 1, name: /^Новая версия методики/ }).waitFor();
    const ind = page.locator('details', { has: page.locator('summary', { hasText: /^1\.1 Ежегодное проведение/ }) });
    await ind.locator('summary').click();
    await ind.getByRole('button', { name: 'Добавить шкалу' }).click();
    await ind.getByLabel('Полосы показателя 1.1, полоса 1: от', { exact: true }).fill('10');
    await ind.getByLabel('Полосы показателя 1.1, полоса 1: баллы', { exact: true }).fill('1');
    await ind.getByRole('button', { name: 'Добавить полосу' }).click();
    await ind.getByLabel('Полосы показателя 1.1, полоса 2: от', { exact: true }).fill('0');
    await ind.getByLabel('Полосы показателя 1.1, полоса 2: до', { exact: true }).fill('10');
    await ind.getByLabel('Полосы показателя 1.1, полоса 2: граница «до» не входит', { exact: true }).check();
    await ind.getByLabel('Полосы показателя 1.1, полоса 2: баллы', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Проверить' }).click();
    const changes = page.getByRole('list', { name: 'Изменения новой версии' });
    await changes.waitFor();
    expect(await changes.getByRole('listitem').allInnerTexts()).toEqual([
      'показатель 1.1, шкала: было none, стало municipal_events_count_scale',
      'добавлено: шкала municipal_events_count_scale (показатель 1.1)',
    ]);
    await page.getByRole('button', { name: 'Сохранить версию' }).click();
    await page.waitForURL(/\/methodologies\/direction-talents\/2021\.2$/);
    const diff = page.getByRole('list', { name: 'Изменения', exact: true });
    await diff.waitFor();
    await expect.poll(() => diff.getByRole('listitem').count()).toBe(2);
  });
});
