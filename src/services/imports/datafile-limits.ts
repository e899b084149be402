/** Limits on uploaded data files, checked BEFORE a reader materialises them: an XLSX book is a ZIP whose parts may
 * expand a thousandfold (a "zip bomb"), so every part is actually inflated here with a hard output budget — the sizes
 * the ZIP directory declares may lie. Cells longer than Excel's own limit are refused too. Messages are Russian. */
import { inflateRawSync } from 'node:zlib';

/** Total size of all parts of an XLSX book after decompression. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
export const MAX_XLSX_PARTS = 2000;
/** Excel's own limit on the characters of one cell. */
export const MAX_CELL_CHARS = 32_767;

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} МБ`;
const TOO_BIG = `Файл XLSX после распаковки больше ${MB(MAX_XLSX_UNPACKED_BYTES)} (предел) — похоже на «zip-бомбу» или слишком большую книгу: разделите данные на несколько файлов или сохраните лист как CSV`;

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  compressed: number;
  declared: number;
  local: number;
}

/** Checks the ZIP container of an XLSX book; `null` when it is within the limits, else a Russian message. */
export function checkXlsxContainer(buffer: Uint8Array): string | null {
  return checkZipContainer(buffer, 'XLSX');
}

/** Checks the ZIP container of an office document (XLSX book, DOCX template…) before any reader opens it.
 * 1. The archive is exactly its central directory: the local entries, in file order from byte 0, are the directory's
 *    entries one to one (same names, nothing between them, nothing before the directory). Readers that stream the
 *    file (exceljs) take the LOCAL entries in file order — an entry left out of the directory would be read (and
 *    spooled to a temp file) without being measured here, and would even become the default sheet (issue 25).
 * 2. Every entry is actually inflated with a hard budget on the total output: the sizes the directory declares may
 *    lie, so the bytes that come out are counted, and inflating stops past MAX_XLSX_UNPACKED_BYTES.
 * Since (1) makes the reader see exactly the entries (2) inflated, the budget bounds what the reader inflates. */
export function checkZipContainer(buffer: Uint8Array, kind: 'XLSX' | 'DOCX'): string | null {
  const b = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const broken = (what: string) => `Файл ${kind} повреждён: ${what}`;
  const tooBig = kind === 'XLSX' ? TOO_BIG : `Файл ${kind} после распаковки больше ${MB(MAX_XLSX_UNPACKED_BYTES)} (предел) — похоже на «zip-бомбу»`;
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return broken('не найдено оглавление архива ZIP');
  const entries = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) return `Файл ${kind} в формате ZIP64 не поддерживается: такой файл слишком велик для загрузки`;
  if (entries > MAX_XLSX_PARTS) return `Файл ${kind} содержит ${entries} частей (предел ${MAX_XLSX_PARTS}) — файл повреждён или не является документом Office`;
  if (cdOffset + cdSize !== eocd) return broken('оглавление архива ZIP не на своём месте');
  const central: CentralEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > eocd || b.readUInt32LE(p) !== 0x02014b50) return broken('неверное оглавление архива ZIP');
    const nameLength = b.readUInt16LE(p + 28);
    central.push({
      flags: b.readUInt16LE(p + 8),
      method: b.readUInt16LE(p + 10),
      compressed: b.readUInt32LE(p + 20),
      declared: b.readUInt32LE(p + 24),
      local: b.readUInt32LE(p + 42),
      name: b.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
    });
    p += 46 + nameLength + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  if (p !== eocd) return broken('неверное оглавление архива ZIP');
  if (new Set(central.map((e) => e.name)).size !== central.length) return broken('в архиве ZIP повторяются имена частей');
  // (1) Local entries one to one with the directory, contiguous from byte 0 to the directory.
  central.sort((x, y) => x.local - y.local);
  let at = 0;
  const ranges: { entry: CentralEntry; start: number }[] = [];
  for (const e of central) {
    if (e.local !== at) return broken('в архиве есть части, которых нет в оглавлении');
    if (at + 30 > cdOffset || b.readUInt32LE(at) !== 0x04034b50) return broken('часть архива не найдена');
    const nameLength = b.readUInt16LE(at + 26);
    if (b.subarray(at + 30, at + 30 + nameLength).toString('utf8') !== e.name) return broken('имя части архива не совпадает с оглавлением');
    const start = at + 30 + nameLength + b.readUInt16LE(at + 28);
    let end = start + e.compressed;
    if (end > cdOffset) return broken('архив обрезан');
    if (e.flags & 0x08) {
      // A data descriptor follows the data: crc, sizes (12 bytes), optionally after its signature (16).
      end += b.length >= end + 4 && b.readUInt32LE(end) === 0x08074b50 ? 16 : 12;
      if (end > cdOffset) return broken('архив обрезан');
    }
    ranges.push({ entry: e, start });
    at = end;
  }
  if (at !== cdOffset) return broken('в архиве есть части, которых нет в оглавлении');
  // (2) The bytes actually inflated, under one budget.
  let budget = MAX_XLSX_UNPACKED_BYTES;
  for (const { entry: e, start } of ranges) {
    if (e.declared > budget) return tooBig;
    let size: number;
    if (e.method === 0) size = e.compressed;
    else if (e.method === 8) {
      try {
        // The real size, whatever the directory declares; inflating stops at the remaining budget.
        size = inflateRawSync(b.subarray(start, start + e.compressed), { maxOutputLength: budget + 1 }).length;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return tooBig;
        return broken(`часть архива не распаковывается (${(err as Error).message})`);
      }
    } else return `Файл ${kind} сжат неподдерживаемым методом (${e.method})`;
    if (size > budget) return tooBig;
    budget -= size;
  }
  return null;
}

/** The first cell longer than MAX_CELL_CHARS, as a Russian message naming its line and column; else null. */
export function findHugeCell(rows: readonly { line: number; cells: readonly string[] }[]): string | null {
  for (const r of rows) {
    const i = r.cells.findIndex((c) => c.length > MAX_CELL_CHARS);
    if (i >= 0) return `строка ${r.line}, столбец ${i + 1}: в ячейке ${r.cells[i]!.length} символов, больше предела ${String(MAX_CELL_CHARS).replace(/\B(?=(\d{3})+$)/g, ' ')} — проверьте файл`;
  }
  return null;
}

/** A formula cell of exceljs without a usable saved value: a Russian message, else null. */
export function formulaProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as { formula?: string; sharedFormula?: string; result?: unknown };
  if (o.formula === undefined && o.sharedFormula === undefined) return null;
  const f = o.formula ?? o.sharedFormula;
  if (o.result === undefined || o.result === null) return `формула «=${f}» без сохранённого значения — откройте файл в Excel, пересчитайте и сохраните`;
  if (typeof o.result === 'object' && o.result && 'error' in o.result) return `формула «=${f}» даёт ошибку ${String((o.result as { error: unknown }).error)}`;
  return null;
}
