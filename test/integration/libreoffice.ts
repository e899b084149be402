/** Layout of generated DOCX files as LibreOffice renders them (issue 18, «Layout quality»): `soffice --headless
 * --convert-to pdf` with a private profile, then poppler-utils — `pdftoppm` for blank pages, `pdftotext -bbox` for the
 * words with their boxes, to find a table header word that a narrow column broke inside («Численнос» / «ть»). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';

export const SOFFICE_MISSING =
  'LibreOffice не найден (soffice): проверка вёрстки документов в LibreOffice пропущена. Установите пакет Debian ' +
  'libreoffice-writer-nogui (apt-get install --no-install-recommends libreoffice-writer-nogui) или укажите путь в SOFFICE_PATH.';

/** `SOFFICE_PATH`, else `soffice` on PATH; null when neither is there. */
export function findSoffice(): string | null {
  if (process.env.SOFFICE_PATH) return existsSync(process.env.SOFFICE_PATH) ? process.env.SOFFICE_PATH : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'soffice');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** DOCX → PDF through LibreOffice; `dir` holds the private profile (`-env:UserInstallation`) and the files. Called
 * once per document, one after another: two soffice processes on one profile would collide. */
export function docxToPdf(soffice: string, dir: string, name: string, docx: Buffer): Buffer {
  const input = path.join(dir, `${name}.docx`);
  writeFileSync(input, docx);
  const out = path.join(dir, 'pdf');
  mkdirSync(out, { recursive: true });
  execFileSync(soffice, [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', out, input], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  return readFileSync(path.join(out, `${name}.pdf`));
}

export function pageCount(pdfFile: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdfFile]).toString());
  if (!m) throw new Error(`pdfinfo: нет числа страниц у ${pdfFile}`);
  return Number(m[1]);
}

/** Share of dark pixels of each page without its top and bottom 6 % (where the page number stands, 12,5 mm from the
 * edge: a page with nothing but its number is blank), rendered in grey at 30 dpi. */
export function darkShares(pdfFile: string, dir: string): number[] {
  const prefix = path.join(dir, `${path.basename(pdfFile, '.pdf')}-page`);
  const n = pageCount(pdfFile);
  const out: number[] = [];
  for (let page = 1; page <= n; page++) {
    execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', String(page), '-l', String(page), '-singlefile', pdfFile, prefix]);
    const pgm = readFileSync(`${prefix}.pgm`);
    const head = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    if (!head) throw new Error(`pdftoppm: не PGM (${pdfFile}, страница ${page})`);
    const [w, h] = [Number(head[1]), Number(head[2])];
    const pixels = pgm.subarray(head[0].length);
    const [from, to] = [Math.floor(h * 0.06), Math.ceil(h * 0.94)];
    let dark = 0;
    for (let y = from; y < to; y++) for (let x = 0; x < w; x++) if ((pixels[y * w + x] ?? 255) < 128) dark++;
    out.push(dark / (w * (to - from)));
  }
  return out;
}

export interface PdfWord { page: number; text: string; xMin: number; yMin: number; xMax: number; yMax: number }

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every word of the PDF with its box (`pdftotext -bbox`), pages numbered from 1. */
export function pdfWords(pdfFile: string): PdfWord[] {
  const html = execFileSync('pdftotext', ['-bbox', pdfFile, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString();
  const out: PdfWord[] = [];
  html.split('<page ').slice(1).forEach((pageHtml, i) => {
    for (const m of pageHtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g))
      out.push({ page: i + 1, text: unescape(m[5]!), xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) });
  });
  return out;
}

/** A word without the punctuation around it («(опубликованных)» → «опубликованных», «Сроки,» → «Сроки»). */
export const bare = (w: string) => w.replace(/^[«»"'“”„([{.,;:!?]+/u, '').replace(/[«»"'“”„)\]}.,;:!?]+$/u, '');

/** The rows of the DOCX's tables: cell texts and whether the row is a header repeated on every page (`tblHeader`) and
 * may not split across pages (`cantSplit`); tables are numbered in document order. */
export function docxTableRows(docx: Buffer): { table: number; header: boolean; cantSplit: boolean; cells: string[] }[] {
  const xml = new PizZip(docx).file('word/document.xml')?.asText() ?? '';
  const text = (s: string) => unescape(s.replace(/<\/w:p>/g, '\n').replace(/<w:(?:br|tab)\/>/g, ' ').replace(/<[^>]+>/g, '')).trim();
  const rows: { table: number; header: boolean; cantSplit: boolean; cells: string[] }[] = [];
  xml.split(/<w:tbl>/).slice(1).forEach((tbl, table) => {
    for (const m of tbl.split('</w:tbl>')[0]!.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)) {
      const props = /<w:trPr>([\s\S]*?)<\/w:trPr>/.exec(m[0])?.[1] ?? '';
      rows.push({
        table,
        header: /<w:tblHeader(?:\s+w:val="(?:true|1|on)")?\/>/.test(props),
        cantSplit: /<w:cantSplit(?:\s+w:val="(?:true|1|on)")?\/>/.test(props),
        cells: [...m[0].matchAll(/<w:tc(?:\s[^>]*)?>[\s\S]*?<\/w:tc>/g)].map((c) => text(c[0])),
      });
    }
  });
  return rows;
}

/** The words of the header rows (those with a letter), each once. */
export function headerWords(docx: Buffer): string[] {
  const words = docxTableRows(docx)
    .filter((r) => r.header)
    .flatMap((r) => r.cells.flatMap((c) => c.split(/\s+/)))
    .map(bare)
    .filter((w) => /\p{L}/u.test(w));
  return [...new Set(words)];
}

export interface BrokenWord { word: string; pieces: string[]; page: number }

/** Header words the PDF shows broken inside: a piece that begins the word, and on the next line, under it, the piece
 * that continues it («Численнос» / «ть», «Целево» / «й» / «показат» / «ель»). A break right after a hyphen of the
 * word itself («Туристско-» / «краеведческая») is where a compound may wrap and is not counted. Also returns the
 * header words found nowhere on one line — not even split at their own hyphen. */
export function headerLayout(words: readonly PdfWord[], header: readonly string[]): { broken: BrokenWord[]; missing: string[] } {
  const wholeOnLine = new Set(words.map((w) => bare(w.text)));
  const byPage = new Map<number, PdfWord[]>();
  for (const w of words) byPage.set(w.page, [...(byPage.get(w.page) ?? []), w]);
  const below = (a: PdfWord) => {
    const h = a.yMax - a.yMin;
    return (byPage.get(a.page) ?? []).filter((b) => b.yMin > a.yMin + h * 0.5 && b.yMin < a.yMax + h * 0.8 && b.xMin < a.xMax + 1 && b.xMax > a.xMin - 1);
  };
  const broken: BrokenWord[] = [];
  const hyphenSplit = new Set<string>();
  for (const word of header) {
    for (const a of words) {
      const first = bare(a.text);
      if (!first || first.length >= word.length || !word.startsWith(first.replace(/-$/, ''))) continue;
      // Follow the pieces line by line while they keep spelling the word.
      const chain = [a];
      let spelled = first;
      let cur = a;
      while (spelled.replace(/-$/, '').length < word.length) {
        const prefix = spelled.endsWith('-') && word[spelled.length - 1] !== '-' ? spelled.slice(0, -1) : spelled;
        const next = below(cur).find((b) => word.startsWith(prefix + bare(b.text)) && bare(b.text).length > 0);
        if (!next) break;
        chain.push(next);
        spelled = prefix + bare(next.text);
        cur = next;
      }
      if (chain.length < 2 || spelled !== word) continue;
      const cuts = chain.slice(0, -1).map((x) => bare(x.text));
      if (cuts.every((x) => x.endsWith('-') && word.includes(x))) hyphenSplit.add(word);
      else broken.push({ word, pieces: chain.map((x) => x.text), page: a.page });
    }
  }
  const missing = header.filter((w) => !wholeOnLine.has(w) && !hyphenSplit.has(w) && !broken.some((b) => b.word === w));
  return { broken, missing };
}
