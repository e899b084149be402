/** Browser journey «Опубликованные отчёты» (issue 15, item 4) on the demo year: the 2021 campaign's analysis lists
 * «Протокол № 6 заседания рабочей группы от 30.06.2022» with its date and source and the protocol's three
 * per-organisation disagreements (Петровское 3,7 vs 3,3; Канакаево and ДОУ №33 by level) with their explanations; the
 * analyst attaches another report, a table naming an unknown school is refused with its row and column, a correct one
 * is taken and its disagreement shown, and the report is removed with a reason; the working group reads only. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

const SEED004 = /^Мониторинг охвата дополнительным образованием, 2021$/;
const PROTOCOL = 'Протокол № 6 заседания рабочей группы от 30.06.2022';
const HEADER = 'Организация,Показатель,Значение,Уровень';

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'msoko-printed-e2e-'));
  await writeFile(path.join(dir, 'справка.csv'), `${HEADER}\nПетровское,2.1,"3,6",средний\n`);
  await writeFile(path.join(dir, 'ошибка.csv'), `${HEADER}\nПетровское,2.1,"3,6",средний\nНет такой школы,2.1,"1,0",\n`);
  h = await startHarness({ demoYear: true });
});

afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

async function openAnalysis(page: Page): Promise<void> {
  await page.goto('/campaigns');
  const link = page.getByRole('link', { name: SEED004 }).first();
  await link.waitFor();
  await page.goto(`${await link.getAttribute('href')}/analysis`);
  await page.getByRole('heading', { level: 2, name: 'Опубликованные отчёты' }).waitFor();
}

/** The cells of every row of a report's disagreements table. */
async function disagreementRows(page: Page, title: string): Promise<string[][]> {
  const table = page.getByRole('article', { name: title }).getByTestId('printed-disagreements');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c as HTMLElement).innerText.trim())));
}

describe('опубликованные отчёты мониторинга', () => {
  it('демо-мониторинг 2021: «Протокол № 6 …» с датой и источником, три расхождения по организациям с пояснениями', async () => {
    const page = await h.newPage();
    await signIn(page, 'wg');
    await openAnalysis(page);
    const report = page.getByRole('article', { name: PROTOCOL });
    expect(await report.getByRole('heading', { level: 3 }).innerText()).toBe(PROTOCOL);
    expect(await report.locator('p.small').first().innerText()).toBe(
      'Дата: 30.06.2022 · Источник: Аналитическая справка к протоколу: таблицы № 3 (индекс многообразия) и опроса родителей · 56 значений, совпадают с расчётом: 100, расходятся: 7',
    );
    const rows = await disagreementRows(page, PROTOCOL);
    const byOrganisation = rows.filter((r) => ['Петровское', 'Канакаево', 'ДОУ №33'].includes(r[0]!));
    expect(byOrganisation.map((r) => r.slice(0, 4))).toEqual([
      ['Канакаево', expect.stringMatching(/^2\.1\. .* \(уровень\)$/), 'средний', 'выше среднего'],
      ['Петровское', expect.stringMatching(/^2\.1\. /), '3,7', '3,3'],
      ['ДОУ №33', expect.stringMatching(/^2\.1\. .* \(уровень\)$/), 'выше среднего', 'высокий'],
    ]);
    expect(byOrganisation[0]![4]).toMatch(/^в отчёте напечатан уровень «средний», а по шкале методики при значении 5,2 — «выше среднего»/);
    expect(byOrganisation[1]![4]).toMatch(/^в отчёте напечатано 3,7, вычислено 3,3; точное значение 3,343, с точностью напечатанного \(1 зн\. после запятой\) — 3,3/);
    expect(byOrganisation[2]![4]).toMatch(/^в отчёте напечатан уровень «выше среднего», а по шкале методики при значении 7,6 — «высокий»/);
    // The loyalty indices by type the protocol printed are the other four.
    expect(rows.filter((r) => !byOrganisation.includes(r)).map((r) => [r[0], r[2], r[3]])).toEqual([
      ['Общеобразовательные организации', '86', '87,9'],
      ['Дошкольные образовательные организации', '80', '85,2'],
      ['Организации дополнительного образования', '92', '96'],
      ['Итого', '86', '89,7'],
    ]);
    // The working group reads: no forms.
    expect(await page.getByRole('button', { name: 'Прикрепить' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Открепить отчёт…' }).count()).toBe(0);
  });

  it('аналитик прикрепляет отчёт, таблица с ошибкой отклоняется со строкой и столбцом, верная принимается; отчёт открепляется с причиной', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await openAnalysis(page);
    await page.getByRole('button', { name: 'Прикрепить' }).click();
    expect(await page.getByText('Укажите название отчёта').count()).toBe(1);

    await page.getByLabel('Название отчёта').fill('Справка управления образования');
    await page.getByLabel('Дата отчёта').fill('15.07.2022');
    await page.getByLabel('Источник').fill('сайт управления');
    await page.getByRole('button', { name: 'Прикрепить' }).click();
    const title = 'Справка управления образования';
    const card = page.getByRole('article', { name: title });
    await card.getByText('Значения отчёта ещё не внесены.').waitFor();
    expect(await card.locator('p.small').first().innerText()).toBe('Дата: 15.07.2022 · Источник: сайт управления · 0 значений, совпадают с расчётом: 0, расходятся: 0');

    const file = card.getByLabel(`Загрузить значения отчёта «${title}» из таблицы CSV или XLSX`);
    await file.setInputFiles(path.join(dir, 'ошибка.csv'));
    const alert = card.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^ошибка\.csv: ничего не сохранено — строка 3, столбец «Организация»: «Нет такой школы»/);
    expect(await card.getByText('Значения отчёта ещё не внесены.').count()).toBe(1);

    await file.setInputFiles(path.join(dir, 'справка.csv'));
    await card.getByRole('status').filter({ hasText: 'Из файла «справка.csv» внесено 1 значение.' }).waitFor();
    expect(await disagreementRows(page, title)).toEqual([
      ['Петровское', expect.stringMatching(/^2\.1\. /), '3,6', '3,3', expect.stringMatching(/^в отчёте напечатано 3,6, вычислено 3,3/)],
    ]);

    await card.getByRole('button', { name: 'Открепить отчёт…' }).click();
    await card.getByRole('button', { name: 'Открепить', exact: true }).click();
    expect(await card.getByText('Укажите причину').count()).toBe(1);
    await card.getByLabel('Причина').fill('прикреплён по ошибке');
    await card.getByRole('button', { name: 'Открепить', exact: true }).click();
    await page.getByRole('article', { name: title }).waitFor({ state: 'detached' });
    expect(await page.getByRole('article', { name: PROTOCOL }).count()).toBe(1);
  });
});
