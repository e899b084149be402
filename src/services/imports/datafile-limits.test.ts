import { describe, expect, it } from 'vitest';
import { checkXlsxContainer, checkZipContainer } from './datafile-limits.ts';
import { withHiddenEntry, worksheetXml } from '../../../test/support/zip-tricks.ts';

async function book(): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Data').addRow(['ИНН', 'Дети']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('checkXlsxContainer: the local entries must be the central directory one to one (issue 25)', () => {
  it('accepts a plain book and refuses one with an entry hidden from the directory', async () => {
    const ok = await book();
    expect(checkXlsxContainer(ok)).toBeNull();
    expect(checkXlsxContainer(withHiddenEntry(ok, 'xl/worksheets/sheet2.xml', worksheetXml('скрыто')))).toBe('Файл XLSX повреждён: в архиве есть части, которых нет в оглавлении');
    expect(checkZipContainer(withHiddenEntry(ok, 'word/document.xml', Buffer.from('<w/>')), 'DOCX')).toBe('Файл DOCX повреждён: в архиве есть части, которых нет в оглавлении');
  });

  it('refuses bytes between entries, trailing junk before the directory and prefixed data', async () => {
    const ok = await book();
    expect(checkXlsxContainer(Buffer.concat([Buffer.from('MZ junk'), ok]))).toMatch(/^Файл XLSX повреждён/);
    const eocd = ok.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = ok.readUInt32LE(eocd + 16);
    const gap = Buffer.concat([ok.subarray(0, cd), Buffer.from('PK\x03\x04hidden'), ok.subarray(cd)]);
    gap.writeUInt32LE(cd + 10, eocd + 10 + 16);
    expect(checkXlsxContainer(gap)).toMatch(/^Файл XLSX повреждён/);
  });
});
