/** Helpers of the documents' integration tests (issue 18): a multipart body with one file, and a DOCX read back —
 * its text (one line per paragraph) and its table rows (cell texts, and whether the row is a header repeated on every
 * page). */
import PizZip from 'pizzip';

export function multipart(file: { name: string; content: Buffer }): { body: Buffer; headers: Record<string, string> } {
  const boundary = 'msoko-template-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** word/document.xml of a DOCX, its text (one line per paragraph) and its table rows (cells joined by « | »). */
export function readDocx(content: Buffer) {
  const xml = new PizZip(content).file('word/document.xml')?.asText() ?? '';
  const plain = (s: string) => s.replace(/<w:br\/>/g, '\n').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => ({
    header: m[0].includes('<w:tblHeader/>'),
    cells: [...m[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => plain(c[0]).trim()),
  }));
  return { xml, text: plain(xml), rows };
}

