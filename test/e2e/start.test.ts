/** Issue 24 on the demo year, in Chromium: the start page «Что требует внимания» of each role (every item a link to
 * where it is acted on, the figures agreeing with the pages they lead to), and what a new user tripped over — form
 * hints without a doubled full stop, counts grouped alike in the survey tables, the survey results table fitting a
 * 1440 px screen, and the two link-buttons readable (contrast read from a screenshot of each). */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, signIn, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ demoYear: true });
});

afterAll(async () => {
  await h?.close();
});

const NNBSP = '\u202F';

/** A section of the start page by its heading (the heading starts with the section's title). */
function section(page: Page, title: string): Locator {
  return page.locator('section.attention-section', { has: page.getByRole('heading', { level: 2, name: new RegExp(`^${title.replace(/[()«».]/g, '\\$&')}`) }) });
}

async function startPage(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Что требует внимания' }).waitFor();
  await page.locator('section.attention-section').first().waitFor();
}

/** The WCAG contrast ratio between the most common colour of the element's screenshot (its background) and the pixel
 * farthest from it in luminance (the core of its text). The PNG is decoded by the browser, not by the page's CSS. */
async function screenshotContrast(page: Page, target: Locator): Promise<number> {
  const png = await target.screenshot();
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = document.createElement('canvas');
    canvas.width = bmp.width;
    canvas.height = bmp.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < d.length; i += 4) {
      const key = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let bg = 0;
    let most = 0;
    for (const [k, n] of counts) if (n > most) [bg, most] = [k, n];
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const lum = (k: number) => 0.2126 * channel((k >> 16) & 255) + 0.7152 * channel((k >> 8) & 255) + 0.0722 * channel(k & 255);
    const lb = lum(bg);
    let ratio = 1;
    for (const k of counts.keys()) {
      const l = lum(k);
      ratio = Math.max(ratio, (Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05));
    }
    return ratio;
  }, png.toString('base64'));
}

async function campaignHref(page: Page, title: RegExp): Promise<string> {
  await page.goto('/campaigns');
  const link = page.getByRole('link', { name: title }).first();
  await link.waitFor();
  return (await link.getAttribute('href')) ?? '';
}

describe('стартовая страница «Что требует внимания» (issue 24)', () => {
  it('аналитик: открытый мониторинг с ходом сбора, формы на приёмке и просроченные — как на странице мониторинга', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    expect(new URL(page.url()).pathname).toBe('/');
    await startPage(page);

    const campaigns = section(page, 'Открытые мониторинги');
    const item = campaigns.locator('li').first();
    const detail = await item.locator('.attention-detail').innerText();
    const m = /принято (\d+) из (\d+) \([\d,]+\u00A0%\), ждут приёмки (\d+), возвращено (\d+), не сдано (\d+), просрочено (\d+)/.exec(detail);
    expect(m, detail).not.toBeNull();
    const [accepted, total, submitted, returned, notSubmitted, overdue] = m!.slice(1).map(Number) as [number, number, number, number, number, number];
    expect(total).toBe(51);
    expect(accepted + submitted + returned + notSubmitted).toBe(total);
    expect(overdue).toBeGreaterThan(0);
    expect(await item.getAttribute('class')).toContain('tone-overdue');

    // The sections list the same forms the campaign page shows as sent and as overdue.
    const toAccept = section(page, 'Формы ждут приёмки');
    expect(await toAccept.locator('li').count()).toBe(Math.min(submitted, 10));
    const firstToAccept = (await toAccept.locator('li a').first().innerText()).trim();
    const overdueSection = section(page, 'Просроченные организации');
    expect(await overdueSection.locator('li').count()).toBe(Math.min(overdue, 10));
    if (overdue > 10) expect(await overdueSection.locator('.attention-more').innerText()).toBe(`Все формы мониторинга (ещё ${overdue - 10})`);
    expect(await section(page, 'Направления с разрывом цикла').locator('li').count()).toBeGreaterThan(0);
    expect(await section(page, 'Импорты выполняются').innerText()).toContain('Сейчас ничего не импортируется.');

    await item.getByRole('link').click();
    await page.locator('table tbody tr').first().waitFor();
    const statuses = await page.locator('table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText));
    expect(statuses.filter((t) => /Отправлена/.test(t)).length).toBe(submitted);
    expect(statuses.filter((t) => /Принята/.test(t)).length).toBe(accepted);
    expect(await page.locator('table tbody tr.row-overdue').count()).toBe(overdue);

    // An item leads to the form, where it is accepted.
    await page.goto('/');
    await startPage(page);
    await section(page, 'Формы ждут приёмки').getByRole('link', { name: firstToAccept, exact: true }).first().click();
    await page.getByRole('button', { name: 'Принять' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/campaigns\/[0-9a-f-]{36}\/organisations\/[0-9a-f-]{36}$/);
  });

  it('представитель ОО: своя форма, что возвращено и почему, опрос своей организации с числом ответов', async () => {
    const page = await h.newPage();
    await signIn(page, 'oo1');
    await startPage(page);
    const forms = section(page, 'Мои формы');
    expect(await forms.locator('li').count()).toBe(1);
    expect(await forms.locator('.attention-detail').innerText()).toMatch(/^Возвращена на доработку; заполнено 3 из 3; срок \d{2}\.\d{2}\.\d{4}/);
    const returned = section(page, 'Возвращено на доработку');
    expect(await returned.locator('.attention-detail').innerText()).toContain('«Численность обучающихся расходится с отчётом ОО-1 на начало учебного года.');
    // Nothing of another organisation.
    expect(await page.locator('.attention').innerText()).not.toContain('ДОУ №34');

    const survey = section(page, 'Опросы моей организации').locator('li').first();
    const answers = /ответов от вашей организации: ([\d\u202F]+)/.exec(await survey.innerText())?.[1];
    expect(answers).toBeDefined();
    await survey.getByRole('link').click();
    const table = page.getByRole('table', { name: 'Ваша организация' });
    await table.waitFor();
    expect((await table.locator('tbody tr td').nth(2).innerText()).trim()).toBe(answers);

    await page.goto('/');
    await startPage(page);
    await returned.getByRole('link').click();
    await page.getByText('Численность обучающихся расходится с отчётом ОО-1').first().waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/campaigns\/[0-9a-f-]{36}\/organisations\/[0-9a-f-]{36}$/);
  });

  it('член рабочей группы: материалы ближайшего заседания — проект протокола (DOCX), справка, расхождения', async () => {
    const page = await h.newPage();
    await signIn(page, 'wg');
    await startPage(page);
    const meeting = page.locator('section.attention-section').first();
    expect(await meeting.getByRole('heading', { level: 2 }).innerText()).toMatch(/^Материалы ближайшего заседания: «Мониторинг охвата дополнительным образованием, \d{4}\/\d{4} учебный год»/);
    const protocol = meeting.getByRole('link', { name: 'Проект протокола заседания рабочей группы (DOCX)' });
    const href = (await protocol.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/campaigns\/[0-9a-f-]{36}\/protocol$/);
    const docx = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type'), magic: new Uint8Array(await r.arrayBuffer()).slice(0, 2).join(',') };
    }, href);
    expect(docx).toEqual({ status: 200, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: '80,75' });
    expect(await meeting.getByText('Расхождения с опубликованными данными').count()).toBe(1);
    await meeting.getByRole('link', { name: 'Аналитическая справка (проект)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Анализ результатов' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/\/analysis$/);
  });

  it('администратор: пользователи, резервная копия (её нет, затем сегодняшняя), неудачные входы', async () => {
    // A wrong password for wg first: the administrator's page lists it.
    const wrong = await h.newPage();
    await wrong.goto('/login');
    await wrong.getByLabel('Логин').fill('wg');
    await wrong.getByLabel('Пароль').fill(`${DEMO_PASSWORD}-не-тот`);
    await wrong.getByRole('button', { name: 'Войти' }).click();
    await wrong.getByRole('alert').waitFor();

    const page = await h.newPage();
    await signIn(page, 'admin');
    await startPage(page);
    const users = await section(page, 'Пользователи').innerText();
    expect(users).toContain('Представитель ОО');
    expect(users).toContain('2 пользователя');
    const backup = section(page, 'Резервное копирование');
    expect(await backup.getByRole('link').innerText()).toBe('Резервная копия ещё не делалась');
    expect(await backup.getByRole('link').getAttribute('href')).toBe('/backup');
    const failures = section(page, 'Неудачные входы за 7 дней');
    expect(await failures.getByRole('link', { name: 'wg', exact: true }).getAttribute('href')).toBe('/audit');
    expect(await failures.innerText()).toMatch(/1 неудачная попытка входа, последняя \d{2}\.\d{2}\.\d{4}/);

    const status = await page.evaluate(async () => (await fetch('/api/admin/backup')).status);
    expect(status).toBe(200);
    await page.reload();
    await startPage(page);
    expect(await backup.getByRole('link').innerText()).toBe('Последняя резервная копия');
    expect(await backup.locator('.attention-detail').innerText()).toMatch(/^\d{2}\.\d{2}\.\d{4} \(сегодня\), сделал admin$/);
  });
});

describe('что мешало новому пользователю (issue 24)', () => {
  it('подсказка поля формы: «Единица: чел. Допустимо: …» без двойной точки', async () => {
    const page = await h.newPage();
    await signIn(page, 'dou34');
    await startPage(page);
    await section(page, 'Мои формы').getByRole('link').first().click();
    const hints = page.locator('.field-hint');
    await hints.first().waitFor();
    const texts = await hints.allInnerTexts();
    expect(texts.some((t) => t.includes('Единица: чел. Допустимо: от 0'))).toBe(true);
    expect(texts.filter((t) => t.includes('..'))).toEqual([]);
  });

  it('опрос при 1440 px: таблица результатов помещается, счёты сгруппированы одинаково («4 215» рядом с «10 377»)', async () => {
    const page = await h.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'analyst');
    await page.goto('/surveys');
    await page.getByRole('link', { name: /Онлайн-опрос родителей/ }).first().click();
    const byType = page.getByRole('table', { name: 'По типам организаций' });
    await byType.waitFor();
    const fit = await page.evaluate(() =>
      [...document.querySelectorAll('.survey-results')].map((w) => {
        const th = [...w.querySelectorAll('th')].find((t) => t.textContent?.includes('Индекс лояльности'));
        return { scroll: w.scrollWidth - w.clientWidth, cut: Math.round((th?.getBoundingClientRect().right ?? 0) - w.getBoundingClientRect().right) };
      }),
    );
    expect(fit.map((f) => ({ scroll: f.scroll, cut: f.cut <= 0 }))).toEqual([{ scroll: 0, cut: true }, { scroll: 0, cut: true }]);

    const cells = await page.locator('.survey-results td.num').allInnerTexts();
    expect(cells.length).toBeGreaterThan(100);
    expect(cells.filter((t) => /(^|[^\d\u202F,])\d{4,}/.test(t))).toEqual([]);
    const school = await byType.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(school.slice(1, 3)).toEqual([`10${NNBSP}377`, `4${NNBSP}215`]);
    expect(await page.locator('dl.details').innerText()).toContain(`8${NNBSP}545`);
  });

  it('кнопки-ссылки «Публичная страница» и «Тексты справки, цели и таблицы» читаются на светлой странице (контраст по снимку ≥ 4,5)', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    const href = await campaignHref(page, /^Мониторинг охвата дополнительным образованием, 2021$/);
    await page.goto(href);
    const pub = page.getByRole('link', { name: 'Публичная страница' });
    await pub.waitFor();
    expect(await screenshotContrast(page, pub)).toBeGreaterThanOrEqual(4.5);
    await page.goto(`${href}/analysis`);
    const texts = page.getByRole('link', { name: 'Тексты справки, цели и таблицы' });
    await texts.waitFor();
    expect(await screenshotContrast(page, texts)).toBeGreaterThanOrEqual(4.5);
    // The header's «Выйти» stays white on the dark header.
    expect(await screenshotContrast(page, page.getByRole('button', { name: 'Выйти' }))).toBeGreaterThanOrEqual(4.5);
  });

  it('анализ 2021: у показателя 3.1 сказано, что напечатано 58,6 % при итоге 14 577, а вычислено 51,9 % по сумме строк 16 452', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    const href = await campaignHref(page, /^Мониторинг охвата дополнительным образованием, 2021$/);
    await page.goto(`${href}/analysis`);
    const municipal = page.getByTestId('municipal-table');
    await municipal.waitFor();
    const row = municipal.locator('tbody tr', { hasText: '3.1.' });
    expect(await row.locator('td.num').first().evaluate((td) => td.firstChild?.textContent)).toBe('51,9\u00A0%');
    expect(await row.getByTestId('printed-note').allInnerTexts()).toEqual([
      'в документе («satisfaction.csv») напечатано 58,6\u00A0%, вычислено 51,9\u00A0%',
      `в итоговой строке документа «Количество детей в возрасте от 5 до 17 лет (включительно)» — 14${NNBSP}577, а сумма строк — 16${NNBSP}452; здесь расчёт по сумме строк`,
    ]);
    const discrepancies = await page.getByTestId('discrepancies').locator('tbody tr').allInnerTexts();
    expect(discrepancies.some((t) => t.includes('58,6') && t.includes('51,9'))).toBe(true);
    expect(discrepancies.some((t) => t.includes(`14${NNBSP}577`) && t.includes(`16${NNBSP}452`))).toBe(true);
    // The file is no longer called unused.
    expect(await page.locator('main').innerText()).not.toContain('эти данные не использованы');
  });

  it('региональный аналитик демо: страница «Регион» с двумя муниципалитетами с первого запуска', async () => {
    const page = await h.newPage();
    await signIn(page, 'region');
    await page.waitForURL(/\/region$/);
    await page.getByText('Ишимбайский район (демо)').first().waitFor();
    const body = await page.locator('main').innerText();
    expect(body).toContain('Демо-регион: Ишимбайский район и синтетический муниципалитет');
    expect(body).toMatch(/синтетические данные/);
  });

  it('файл решения: аналитик загружает, удаляет (виден среди удалённых с датой, до которой можно восстановить) и восстанавливает', async () => {
    const page = await h.newPage();
    await signIn(page, 'analyst');
    await page.goto('/recommendations?direction=talents');
    await page.getByRole('link', { name: /Приказ МКУ УО «О размещении/ }).first().click();
    const files = page.getByRole('region', { name: 'Документы решения' });
    await files.waitFor();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await files.locator('input[type=file]').setInputFiles({ name: 'лишний-приказ.pdf', mimeType: 'application/pdf', buffer: pdf });
    await files.getByRole('button', { name: 'Загрузить файл' }).click();
    await files.getByRole('link', { name: 'лишний-приказ.pdf' }).waitFor();
    await files.getByRole('button', { name: 'Удалить файл лишний-приказ.pdf' }).click();
    await files.getByText('Удалённые файлы (1)').waitFor();
    expect(await files.getByRole('link', { name: 'лишний-приказ.pdf' }).count()).toBe(0);
    await files.getByText('Удалённые файлы (1)').click();
    expect(await files.locator('details').innerText()).toMatch(/лишний-приказ\.pdf \(удалил analyst \d{2}\.\d{2}\.\d{4}, можно восстановить до \d{2}\.\d{2}\.\d{4}\)/);
    await files.getByRole('button', { name: 'Восстановить файл лишний-приказ.pdf' }).click();
    await files.getByRole('link', { name: 'лишний-приказ.pdf' }).waitFor();
    expect(await files.getByText(/Удалённые файлы/).count()).toBe(0);
  });
});
