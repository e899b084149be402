import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { evidenceFileName, sniffEvidence, zipEntryNames } from './evidence-type.ts';

/** A stored (uncompressed) ZIP with the given entries — enough for the central-directory reader. */
function zip(entries: [string, string][]): Uint8Array {
  const enc = new TextEncoder();
  const local: number[] = [];
  const central: number[] = [];
  const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => (n >>> (8 * i)) & 0xff);
  for (const [name, text] of entries) {
    const nb = [...enc.encode(name)];
    const data = [...enc.encode(text)];
    const offset = local.length;
    local.push(0x50, 0x4b, 0x03, 0x04, ...le(10, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(0, 4), ...le(data.length, 4), ...le(data.length, 4), ...le(nb.length, 2), 0, 0, ...nb, ...data);
    central.push(0x50, 0x4b, 0x01, 0x02, ...le(20, 2), ...le(10, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(0, 4), ...le(data.length, 4), ...le(data.length, 4), ...le(nb.length, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(0, 4), ...le(offset, 4), ...nb);
  }
  const eocd = [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, ...le(entries.length, 2), ...le(entries.length, 2), ...le(central.length, 4), ...le(local.length, 4), 0, 0];
  return new Uint8Array([...local, ...central, ...eocd]);
}

describe('sniffEvidence', () => {
  it('recognises PDF, JPEG and PNG by their signatures', () => {
    expect(sniffEvidence(new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toMatchObject({ ok: true, kind: 'pdf', mediaType: 'application/pdf' });
    expect(sniffEvidence(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toMatchObject({ ok: true, kind: 'jpeg' });
    expect(sniffEvidence(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toMatchObject({ ok: true, kind: 'png' });
  });

  it('tells a real DOCX from a real XLSX by their entries', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Приказ')] }] }));
    expect(sniffEvidence(docx)).toMatchObject({ ok: true, kind: 'docx' });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Лист1').addRow(['ОО', 'значение']);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(sniffEvidence(xlsx)).toMatchObject({ ok: true, kind: 'xlsx' });
    expect(zipEntryNames(xlsx)).toContain('xl/workbook.xml');
  });

  it('recognises ODT by its mimetype entry and refuses other ZIP archives', () => {
    expect(sniffEvidence(zip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>']]))).toMatchObject({ ok: true, kind: 'odt' });
    const other = sniffEvidence(zip([['virus.exe', 'MZ'], ['readme.txt', 'hi']]));
    expect(other).toEqual({ ok: false, message: 'Архив ZIP не является документом DOCX, XLSX или ODT. Допустимы файлы PDF, DOCX, XLSX, ODT, JPEG, PNG — тип определяется по содержимому, а не по имени' });
    expect(sniffEvidence(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toMatchObject({ ok: false, message: expect.stringMatching(/^Архив ZIP повреждён/) });
  });

  it('refuses executables, HTML and empty files whatever their name', () => {
    expect(sniffEvidence(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3]))).toMatchObject({ ok: false, message: expect.stringMatching(/^Это исполняемый файл \(MZ\)/) });
    expect(sniffEvidence(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2]))).toMatchObject({ ok: false, message: expect.stringMatching(/ELF/) });
    expect(sniffEvidence(new TextEncoder().encode('<html><script>alert(1)</script>'))).toMatchObject({ ok: false, message: expect.stringMatching(/^Тип файла не распознан/) });
    expect(sniffEvidence(new Uint8Array())).toEqual({ ok: false, message: 'Файл пустой' });
  });

  it('refuses more than 10 MB', () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect(sniffEvidence(big)).toEqual({ ok: false, message: 'Файл больше 10 МБ' });
  });
});

describe('evidenceFileName', () => {
  it('keeps a matching name, strips paths and quotes, appends the detected extension otherwise', () => {
    expect(evidenceFileName('Приказ № 12.pdf', 'pdf')).toBe('Приказ № 12.pdf');
    expect(evidenceFileName('C:\\Users\\x\\скан.pdf', 'png')).toBe('скан.pdf.png');
    expect(evidenceFileName('фото.JPEG', 'jpeg')).toBe('фото.JPEG');
    expect(evidenceFileName('a"b\n.docx', 'docx')).toBe('ab.docx');
    expect(evidenceFileName('', 'odt')).toBe('файл.odt');
  });
});
