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

/** Checks the ZIP container of an XLSX book; `null` when it is within the limits, else a Russian message. */
export function checkXlsxContainer(buffer: Uint8Array): string | null {
  const b = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'Файл XLSX повреждён: не найдено оглавление архива ZIP';
  const entries = b.readUInt16LE(eocd + 10);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) return 'Файл XLSX в формате ZIP64 не поддерживается: такая книга слишком велика для загрузки — сохраните лист как CSV';
  if (entries > MAX_XLSX_PARTS) return `Файл XLSX содержит ${entries} частей (предел ${MAX_XLSX_PARTS}) — файл повреждён или не является книгой Excel`;
  let p = cdOffset;
  let budget = MAX_XLSX_UNPACKED_BYTES;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return 'Файл XLSX повреждён: неверное оглавление архива ZIP';
    const method = b.readUInt16LE(p + 10);
    const compressed = b.readUInt32LE(p + 20);
    const declared = b.readUInt32LE(p + 24);
    const local = b.readUInt32LE(p + 42);
    p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    if (declared > budget) return TOO_BIG;
    if (local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) return 'Файл XLSX повреждён: часть архива не найдена';
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (start + compressed > b.length) return 'Файл XLSX повреждён: архив обрезан';
    let size: number;
    if (method === 0) size = compressed;
    else if (method === 8) {
      try {
        // The real size, whatever the directory declares; inflating stops at the remaining budget.
        size = inflateRawSync(b.subarray(start, start + compressed), { maxOutputLength: budget + 1 }).length;
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return TOO_BIG;
        return `Файл XLSX повреждён: часть архива не распаковывается (${(e as Error).message})`;
      }
    } else return `Файл XLSX сжат неподдерживаемым методом (${method})`;
    if (size > budget) return TOO_BIG;
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
