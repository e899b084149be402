/** The analytical report of seed 004 rendered from the transcribed tables: DOCX text, XLSX sheets, PDF pages. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/services/analysis/report.ts';
import { computeReportFromFiles, renderProtocol, renderReport } from '../../src/services/analysis/report.ts';
import { CHROMIUM_MISSING } from '../../src/reports/pdf.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../shared/fixtures/seed-004/${name}`, import.meta.url));
const FILES = ['organisations.csv', 'satisfaction.csv', 'coverage.csv', 'focus.csv'];

async function docxText(buffer: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  return xml
    .split(/<\/w:p>/)
    .map((p) => `${/<w:pStyle w:val="Heading1"\/>/.test(p) ? '# ' : ''}${[...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')}`)
    .join('\n')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Text between the top-level heading (marked «# ») that contains `from` and the next one. */
function section(text: string, from: string): string {
  const start = text.split('\n').findIndex((l) => l.startsWith('# ') && l.includes(from));
  if (start < 0) return '';
  const lines = text.split('\n').slice(start + 1);
  const end = lines.findIndex((l) => l.startsWith('# '));
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}

let model: ReportModel;
beforeAll(async () => {
  const files = await Promise.all(FILES.map(async (name) => ({ name, buffer: await readFile(fixture(name)) })));
  const r = await computeReportFromFiles({
    methodology: 'talents-2021',
    files,
    meta: { municipality: 'Муниципальный район Ишимбайский район Республики Башкортостан', period: '2021 год', date: '2022-06-30' },
  });
  if (!r.ok) throw new Error(r.error.text);
  model = r.model;
});

describe('аналитическая справка seed 004', () => {
  it('DOCX: вычисленные значения, расхождения только в своём разделе, правки аналитика сохраняются', async () => {
    const out = await renderReport(model, 'docx', { overrides: { 'conclusion.discrepancies': 'Правка аналитика: расхождения учтены.' } });
    if (!out.ok) throw new Error(out.error);
    expect(out.buffer.subarray(0, 2).toString()).toBe('PK');
    const text = await docxText(out.buffer);
    expect(text).toContain('АНАЛИТИЧЕСКАЯ СПРАВКА');
    expect(text).toContain('Дата: 30.06.2022');
    expect(text).toContain('Таблица № 1. Перечень критериев и показателей');
    for (const s of ['5,6', '78,9\u00A0%', '89,7', '87,9', '85,2', 'Петровское', 'Максимальное количество баллов']) expect(text).toContain(s);
    expect(text).toContain('Правка аналитика: расхождения учтены.');
    expect(text).toContain('Рекомендации не сформированы.');

    const conclusions = section(text, 'Выводы');
    expect(conclusions).toContain('составляет 78,9\u00A0%, что выше целевого показателя 75\u00A0%');
    expect(conclusions).toContain('— 5,6 («выше среднего»)');
    expect(conclusions).toContain('лояльности получателей образовательных услуг дополнительного образования детей» составляет 89,7');
    expect(conclusions).toMatch(/Уровень «низкий» у 6 организаций: [^\n]*СЮТ/);
    expect(conclusions).not.toContain('При пересчёте по исходным данным выявлено');

    const survey = section(text, 'Онлайн-опрос родителей');
    expect(survey).toContain('87,9');
    expect(survey).toContain('89,7');
    for (const printed of ['86', '80', '92']) {
      expect(survey).not.toMatch(new RegExp(`(^|[^\\d,])${printed}([^\\d,]|$)`));
      expect(conclusions).not.toMatch(new RegExp(`(^|[^\\d,])${printed}([^\\d,]|$)`));
    }

    const disc = section(text, 'Расхождения с опубликованными данными');
    expect(disc).toMatch(/Петровское[\s\S]*3,7[\s\S]*3,3/);
    expect(disc).toMatch(/Общеобразовательные организации[\s\S]*86[\s\S]*87,9/);
    expect(disc).toMatch(/Итого[\s\S]*86[\s\S]*89,7/);
    expect(disc).toContain('Канакаево');
    expect(disc).toContain('ДОУ №33');
    // How each printed figure may have been obtained (issue 16), numbered as the table's rows.
    expect(disc).toContain('Как могли получиться напечатанные значения');
    expect(disc).toMatch(/№ 2 \(Петровское, 2\.1\. [^\n]*\): так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7\./);

    const zip = await JSZip.loadAsync(out.buffer);
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).toBeGreaterThanOrEqual(3);
  });

  it('DOCX: адресные рекомендации выводятся, когда переданы', async () => {
    const withRecs = { ...model, recommendations: [{ addressee: 'Руководителям ОО', text: 'Расширить перечень программ', organisations: ['№2', '№11'] }] };
    const out = await renderReport(withRecs, 'docx');
    if (!out.ok) throw new Error(out.error);
    const text = await docxText(out.buffer);
    expect(text).toContain('1. Руководителям ОО: Расширить перечень программ (№2, №11)');
    expect(text).not.toContain('Рекомендации не сформированы');
  });

  it('XLSX: листы с числовыми ячейками и форматами', async () => {
    const out = await renderReport(model, 'xlsx');
    if (!out.ok) throw new Error(out.error);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Результаты', 'Распределение', 'Статистика', 'Расхождения', 'Сводные']);
    const res = wb.getWorksheet('Результаты')!;
    expect(res.rowCount).toBe(52);
    expect(res.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const petr = res.getRows(2, 51)!.find((r) => r.getCell(2).value === 'Петровское')!;
    const header = Array.from(res.getRow(1).values as unknown[], (x) => String(x ?? ''));
    const idxCol = header.findIndex((h) => h.startsWith('2.1.'));
    expect(petr.getCell(idxCol).value).toBe(3.3);
    expect(petr.getCell(idxCol).numFmt).toBe('0.0');
    const dist = wb.getWorksheet('Распределение')!;
    const shares = dist.getRows(2, dist.rowCount - 1)!.filter((r) => r.getCell(2).value !== 'Итого' && r.getCell(3).value === 'Итого');
    expect(shares.reduce((s, r) => s + Number(r.getCell(5).value), 0)).toBeCloseTo(1, 9);
    expect(shares[0]!.getCell(5).numFmt).toBe('0.0%');
    const sv = wb.getWorksheet('Сводные')!;
    const cov = sv.getRows(2, sv.rowCount - 1)!.find((r) => String(r.getCell(1).value).startsWith('2.2.'))!;
    expect(cov.getCell(3).value).toBeCloseTo(0.789, 6);
    expect(cov.getCell(3).numFmt).toBe('0.0%');
    expect(wb.getWorksheet('Расхождения')!.rowCount).toBe(1 + model.discrepancies.length);
    const dis = wb.getWorksheet('Расхождения')!;
    expect(dis.getRow(1).getCell(7).value).toBe('Как могло получиться');
    const pet = dis.getRows(2, dis.rowCount - 1)!.find((r) => r.getCell(1).value === 'Петровское')!;
    expect(String(pet.getCell(7).value)).toBe('так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7');
  });

  it('PDF: A4 через Chromium, первая страница не пустая', async () => {
    const out = await renderReport(model, 'pdf', { timeoutMs: 60_000 });
    if (!existsSync('/usr/bin/chromium')) {
      expect(out).toEqual({ ok: false, error: CHROMIUM_MISSING });
      return;
    }
    if (!out.ok) throw new Error(out.error);
    expect(out.buffer.subarray(0, 5).toString()).toBe('%PDF-');
    let hasPdftoppm = true;
    try {
      execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    } catch {
      hasPdftoppm = false;
    }
    if (!hasPdftoppm) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'msoko-report-'));
    try {
      const pdf = path.join(dir, 'r.pdf');
      await import('node:fs/promises').then((fs) => fs.writeFile(pdf, out.buffer));
      execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(dir, 'p1')]);
      const pgm = readFileSync(path.join(dir, 'p1.pgm'));
      const head = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
      expect(head).not.toBeNull();
      const [w, h] = [Number(head![1]), Number(head![2])];
      expect(w / h).toBeCloseTo(210 / 297, 1);
      const pixels = pgm.subarray(head![0].length);
      let dark = 0;
      for (const p of pixels) if (p < 128) dark++;
      expect(dark / (w * h)).toBeGreaterThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PDF: без Chromium — сообщение об ошибке, а не исключение', async () => {
    const out = await renderReport(model, 'pdf', { chromiumPath: '/nonexistent/chromium' });
    expect(out).toEqual({ ok: false, error: CHROMIUM_MISSING });
  });

  it('проект протокола: номер, дата, ключевые цифры и проекты решений', async () => {
    const buf = await renderProtocol(model, { number: '6', date: '2022-06-30', members: [{ name: 'Иванов И.И.', position: 'начальник УО' }] });
    const text = await docxText(buf);
    expect(text).toContain('ПРОТОКОЛ № 6');
    expect(text).toContain('30.06.2022');
    expect(text).toContain('Иванов И.И., начальник УО');
    expect(text).toContain('78,9\u00A0%');
    expect(text).toMatch(/1\. Принять аналитическую справку/);
    expect(text).toContain('Подготовить и направить адресные рекомендации');
    // Among the key figures: how each printed figure may have been obtained (issue 16).
    expect(text).toContain('— Петровское, 2.1. Индекс многообразия программ дополнительного образования детей (в расчете на 100 человек): напечатано 3,7 — так получается, если взять значение другой организации — «Кинзебулатово»: 3,704 → 3,7.');
  });
});

describe('msoko report (командная строка)', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const cli = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, 'bin/msoko.js'), ...args], { cwd: root }, (err, _stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
      });
    });

  it('четыре файла данных → XLSX и проект протокола; неизвестный файл — код 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msoko-report-cli-'));
    try {
      const out = path.join(dir, 'r.xlsx');
      const protocol = path.join(dir, 'p.docx');
      const r = await cli([
        'report', '-m', 'talents-2021', ...FILES.flatMap((f) => ['--data', fixture(f)]), '--format', 'xlsx', '--out', out,
        '--municipality', 'Город N', '--date', '30.06.2022', '--protocol', protocol, '--protocol-number', '6', '--member', 'Иванов И.И., начальник УО',
      ]);
      expect(r.stderr).toContain('записано');
      expect(r.code).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      expect(wb.getWorksheet('Результаты')!.rowCount).toBe(52);
      expect(await docxText(readFileSync(protocol))).toContain('ПРОТОКОЛ № 6');
      const bad = await cli(['report', '-m', 'talents-2021', '--data', path.join(dir, 'нет.csv'), '--out', path.join(dir, 'x.docx')]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('не найден');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
