/** Hostile ZIP layouts for the container checks (issue 25): an entry placed before the others and left out of the
 * central directory, which a streaming reader still reads. */
import { deflateRawSync } from 'node:zlib';

/** A small worksheet part with one inline-string cell. */
export function worksheetXml(text: string, padding = 0): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      `<row r="1"><c r="A1" t="inlineStr"><is><t>${text}</t></is></c></row>` +
      '</sheetData>' + ' '.repeat(padding) + '</worksheet>',
  );
}

/** `zip` with a deflated local entry `name` → `content` put first and NOT listed in the central directory (the
 * directory's offsets are moved to match). */
export function withHiddenEntry(zip: Buffer, name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x0800, 6);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(0, 14); // crc left 0: readers that stream rarely check it
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(0, 28);
  const extra = Buffer.concat([header, nameBytes, data]);
  const out = Buffer.concat([extra, zip]);
  let eocd = -1;
  for (let i = out.length - 22; i >= 0; i--) if (out.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error('not a zip');
  const entries = out.readUInt16LE(eocd + 10);
  const cd = out.readUInt32LE(eocd + 16) + extra.length;
  out.writeUInt32LE(cd, eocd + 16);
  let p = cd;
  for (let n = 0; n < entries; n++) {
    out.writeUInt32LE(out.readUInt32LE(p + 42) + extra.length, p + 42);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}
