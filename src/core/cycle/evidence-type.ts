/** Type of an evidence file by its content (magic bytes), never by its name: PDF, JPEG, PNG, and the ZIP-based office
 * formats told apart by their entries (DOCX `word/document.xml`, XLSX `xl/workbook.xml`, ODT `mimetype` =
 * `application/vnd.oasis.opendocument.text`). Anything else — executables, scripts, HTML, archives — is refused. Pure. */

export const EVIDENCE_KINDS = ['pdf', 'docx', 'xlsx', 'odt', 'jpeg', 'png'] as const;
export type EvidenceKindCode = (typeof EVIDENCE_KINDS)[number];
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export const EVIDENCE_MEDIA_TYPES: Record<EvidenceKindCode, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
export const EVIDENCE_EXTENSIONS: Record<EvidenceKindCode, string> = { pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', odt: 'odt', jpeg: 'jpg', png: 'png' };
export const EVIDENCE_ACCEPT = '.pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png';
export const EVIDENCE_TYPES_TEXT = 'PDF, DOCX, XLSX, ODT, JPEG, PNG';

const starts = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const u16 = (b: Uint8Array, o: number) => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, o: number) => (u16(b, o) + u16(b, o + 2) * 0x10000);
const ascii = (b: Uint8Array, from: number, len: number) => String.fromCharCode(...b.subarray(from, from + len));

/** Entry names of a ZIP archive from its central directory (null when it is not a readable ZIP). */
export function zipEntryNames(b: Uint8Array): string[] | null {
  // End of central directory: signature PK\5\6, searched backwards within the maximal comment length.
  const min = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(b, eocd + 10);
  let p = u32(b, eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!starts(b, [0x50, 0x4b, 0x01, 0x02], p)) return null;
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    if (p + 46 + nameLen > b.length) return null;
    names.push(new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

export type SniffResult = { ok: true; kind: EvidenceKindCode; mediaType: string } | { ok: false; message: string };

export function sniffEvidence(b: Uint8Array): SniffResult {
  const ok = (kind: EvidenceKindCode): SniffResult => ({ ok: true, kind, mediaType: EVIDENCE_MEDIA_TYPES[kind] });
  const refuse = (what: string): SniffResult => ({ ok: false, message: `${what}. Допустимы файлы ${EVIDENCE_TYPES_TEXT} — тип определяется по содержимому, а не по имени` });
  if (b.length === 0) return { ok: false, message: 'Файл пустой' };
  if (b.length > MAX_EVIDENCE_BYTES) return { ok: false, message: 'Файл больше 10 МБ' };
  if (starts(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return ok('pdf'); // %PDF-
  if (starts(b, [0xff, 0xd8, 0xff])) return ok('jpeg');
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ok('png');
  if (starts(b, [0x50, 0x4b, 0x03, 0x04])) {
    // ODT: the first entry is the uncompressed `mimetype` with the document's media type.
    if (ascii(b, 30, 8) === 'mimetype' && ascii(b, 38, 39) === EVIDENCE_MEDIA_TYPES.odt) return ok('odt');
    const names = zipEntryNames(b);
    if (!names) return refuse('Архив ZIP повреждён');
    const has = (n: string) => names.includes(n);
    if (has('[Content_Types].xml') && has('word/document.xml')) return ok('docx');
    if (has('[Content_Types].xml') && has('xl/workbook.xml')) return ok('xlsx');
    return refuse('Архив ZIP не является документом DOCX, XLSX или ODT');
  }
  if (starts(b, [0x4d, 0x5a])) return refuse('Это исполняемый файл (MZ)');
  if (starts(b, [0x7f, 0x45, 0x4c, 0x46])) return refuse('Это исполняемый файл (ELF)');
  return refuse('Тип файла не распознан');
}

/** A safe download name: the original name without path or control characters, with the extension of the detected
 * type (a PNG uploaded as «скан.pdf» downloads as «скан.pdf.png»). */
export function evidenceFileName(original: string, kind: EvidenceKindCode): string {
  // eslint-disable-next-line no-control-regex
  const base = (original.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200) || 'файл';
  const ext = EVIDENCE_EXTENSIONS[kind];
  const lower = base.toLowerCase();
  const matches = lower.endsWith(`.${ext}`) || (kind === 'jpeg' && lower.endsWith('.jpeg'));
  return matches ? base : `${base}.${ext}`;
}
