/** A generated DOCX's body put into a department's template at `{@body}` (issue 18): the справка and the protocol are
 * laid out by msoko (src/reports/docx-report.ts, docx-protocol.ts: headings, tables with column widths from their
 * content, landscape sections for wide tables, charts) and then placed on the department's бланк. docxtemplater's raw
 * XML tag replaces the paragraph holding `{@body}` with the body's paragraphs and tables; here the rest is carried
 * over so the result opens in Word and LibreOffice as the generated document did:
 * - section breaks inside the body take the template's page size, margins, headers and footers (the page number of
 *   the бланк), turned landscape where the generated section was landscape; a body ending on a landscape section gets
 *   a break back, so what follows `{@body}` in the template (signature) stands on a portrait page again;
 * - the first page keeps the template's «different first page» only for the first section;
 * - tables narrowed in proportion where the template's text is narrower than the generated page's (wider margins);
 * - images (charts) with their relationships and content types, and namespace declarations the body uses. */
import PizZip from 'pizzip';

export interface GeneratedBody {
  /** The body's paragraphs and tables, the generated document's own section breaks still in them. */
  xml: string;
  /** The generated document's last section is landscape. */
  lastLandscape: boolean;
  /** The text width of the generated document's last section, portrait and landscape, in twips. */
  textWidth: [number, number];
  /** Relationships the body refers to (images): id → target file's bytes and relationship type. */
  parts: Map<string, { type: string; ext: string; content: Uint8Array }>;
  /** `xmlns:*` declarations of the generated document's root. */
  namespaces: Map<string, string>;
}

const SECT_PR = /<w:sectPr\b[^>]*>[\s\S]*?<\/w:sectPr>|<w:sectPr\b[^>]*\/>/g;
const attr = (xml: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];

function namespacesOf(xml: string): Map<string, string> {
  const root = /<w:document\b[^>]*>/.exec(xml)?.[0] ?? '';
  return new Map([...root.matchAll(/\bxmlns:([\w]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** Reads the body of a generated DOCX. */
export function generatedBody(docx: Uint8Array): GeneratedBody {
  const zip = new PizZip(docx);
  const xml = zip.file('word/document.xml')?.asText() ?? '';
  const inner = /<w:body>([\s\S]*)<\/w:body>/.exec(xml)?.[1] ?? '';
  const sects = [...inner.matchAll(SECT_PR)];
  const last = sects[sects.length - 1];
  const body = last && last.index + last[0].length === inner.length ? inner.slice(0, last.index) : inner;
  const rels = zip.file('word/_rels/document.xml.rels')?.asText() ?? '';
  const parts = new Map<string, { type: string; ext: string; content: Uint8Array }>();
  for (const id of new Set([...body.matchAll(/\br:(?:embed|id|link)="([^"]+)"/g)].map((m) => m[1]!))) {
    const rel = [...rels.matchAll(/<Relationship\b[^>]*\/>/g)].map((m) => m[0]).find((r) => attr(r, 'Id') === id);
    const target = rel ? attr(rel, 'Target') : undefined;
    const file = target ? zip.file(`word/${target.replace(/^\/?word\//, '').replace(/^\//, '')}`) : null;
    if (!rel || !target || !file) throw new Error(`DOCX: нет части «${id}», на которую ссылается текст`);
    parts.set(id, { type: attr(rel, 'Type') ?? '', ext: (/\.(\w+)$/.exec(target)?.[1] ?? 'bin').toLowerCase(), content: file.asUint8Array() });
  }
  const final = last?.[0] ?? '';
  return { xml: body, lastLandscape: /w:orient="landscape"/.test(final), textWidth: [textWidth(final, false), textWidth(final, true)], parts, namespaces: namespacesOf(xml) };
}

/** The template's section properties: the last `w:sectPr` of its document (the body's own). */
export function templateSection(zip: PizZip): string {
  const xml = zip.file('word/document.xml')?.asText() ?? '';
  const all = [...xml.matchAll(SECT_PR)];
  return all[all.length - 1]?.[0] ?? '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>';
}

/** The template's section turned portrait or landscape, starting a new page; without «different first page» and a
 * restarted page number unless it is the first section. */
function section(template: string, landscape: boolean, first: boolean): string {
  let s = template.replace(/<w:type\b[^>]*\/>/g, '');
  if (!first) s = s.replace(/<w:titlePg(?:\s[^>]*)?\/>/g, '').replace(/(<w:pgNumType\b[^>]*?)\s+w:start="\d+"/g, '$1');
  s = s.replace(/<w:pgSz\b[^>]*\/>/, (pg) => {
    const w = Number(attr(pg, 'w:w') ?? 11906);
    const h = Number(attr(pg, 'w:h') ?? 16838);
    const [width, height] = landscape ? [Math.max(w, h), Math.min(w, h)] : [Math.min(w, h), Math.max(w, h)];
    return `<w:pgSz w:w="${width}" w:h="${height}"${landscape ? ' w:orient="landscape"' : ''}/>`;
  });
  return s.replace(/^<w:sectPr\b[^>]*?(\/?)>/, (open, selfClosing: string) => (selfClosing ? '<w:sectPr><w:type w:val="nextPage"/></w:sectPr>' : `${open}<w:type w:val="nextPage"/>`));
}

/** The width of the text on a page of the section, portrait or landscape, in twips. */
export function textWidth(sect: string, landscape: boolean): number {
  const pg = /<w:pgSz\b[^>]*\/>/.exec(sect)?.[0] ?? '';
  const mar = /<w:pgMar\b[^>]*\/>/.exec(sect)?.[0] ?? '';
  const [w, h] = [Number(attr(pg, 'w:w') ?? 11906), Number(attr(pg, 'w:h') ?? 16838)];
  const width = landscape ? Math.max(w, h) : Math.min(w, h);
  return width - Number(attr(mar, 'w:left') ?? 1701) - Number(attr(mar, 'w:right') ?? 850);
}

/** Tables narrowed in proportion where the template's text is narrower than the generated document's (a бланк
 * with wider margins): the widths of the table, its grid and its cells. */
function fitTables(xml: string, factor: number): string {
  if (factor >= 1) return xml;
  const scale = (tag: string) => tag.replace(/\bw:w="(\d+)"/, (_, w: string) => `w:w="${Math.floor(Number(w) * factor)}"`);
  return xml.replace(/<w:tblW\b[^>]*\/>|<w:gridCol\b[^>]*\/>|<w:tcW\b[^>]*\/>/g, (tag) => (/w:type="(?:pct|auto)"/.test(tag) ? tag : scale(tag)));
}

/** The raw XML for `{@body}`: the body with its section breaks made of the template's section, its tables narrowed
 * to the template's text width where that is narrower. */
export function bodyXml(body: GeneratedBody, template: string): string {
  // Each run of the body up to a section break (and the rest, in the last section) with its own orientation.
  const parts: string[] = [];
  let from = 0;
  for (const m of body.xml.matchAll(SECT_PR)) {
    const landscape = /w:orient="landscape"/.test(m[0]);
    parts.push(fitTables(body.xml.slice(from, m.index), textWidth(template, landscape) / textWidth(m[0], landscape)), m[0]);
    from = m.index + m[0].length;
  }
  parts.push(fitTables(body.xml.slice(from), textWidth(template, body.lastLandscape) / body.textWidth[body.lastLandscape ? 1 : 0]));
  let n = 0;
  let xml = parts.join('').replace(SECT_PR, (s) => section(template, /w:orient="landscape"/.test(s), n++ === 0));
  if (body.lastLandscape) xml += `<w:p><w:pPr>${section(template, true, n++ === 0)}</w:pPr></w:p>`;
  // Drawing ids unique in the document whatever the template holds.
  let drawing = 0;
  xml = xml.replace(/(<wp:docPr\b[^>]*?\bid=")(\d+)"/g, (_, head: string) => `${head}${9000 + ++drawing}"`);
  for (const id of body.parts.keys()) xml = xml.split(`"${id}"`).join(`"msokoBody${id}"`);
  return xml;
}

/** After rendering: the body's images and their relationships, content types and namespaces into the document; the
 * last section without «different first page» when the body added sections before it. */
export function finishBody(zip: PizZip, body: GeneratedBody, template: string): void {
  const rendered = zip.file('word/document.xml')?.asText() ?? '';
  let xml = rendered;
  const root = /<w:document\b[^>]*>/.exec(xml)?.[0];
  if (root) {
    const missing = [...body.namespaces].filter(([prefix]) => !new RegExp(`\\bxmlns:${prefix}=`).test(root));
    if (missing.length) xml = xml.replace(root, root.replace(/>$/, `${missing.map(([p, uri]) => ` xmlns:${p}="${uri}"`).join('')}>`));
  }
  if (/<w:sectPr\b/.test(body.xml) || body.lastLandscape) {
    const all = [...xml.matchAll(SECT_PR)];
    const last = all[all.length - 1];
    if (last && last[0] === template) xml = xml.slice(0, last.index) + section(template, false, false).replace('<w:type w:val="nextPage"/>', '') + xml.slice(last.index + last[0].length);
  }
  zip.file('word/document.xml', xml);
  if (!body.parts.size) return;
  const relsPath = 'word/_rels/document.xml.rels';
  let rels = zip.file(relsPath)?.asText() ?? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
  let types = zip.file('[Content_Types].xml')?.asText() ?? '';
  for (const [id, part] of body.parts) {
    const name = `media/msoko-body-${id}.${part.ext}`;
    zip.file(`word/${name}`, part.content);
    rels = rels.replace('</Relationships>', `<Relationship Id="msokoBody${id}" Type="${part.type}" Target="${name}"/></Relationships>`);
    if (!new RegExp(`<Default\\s+Extension="${part.ext}"`, 'i').test(types)) {
      const mime = part.ext === 'png' ? 'image/png' : part.ext === 'jpeg' || part.ext === 'jpg' ? 'image/jpeg' : 'application/octet-stream';
      types = types.replace('</Types>', `<Default Extension="${part.ext}" ContentType="${mime}"/></Types>`);
    }
  }
  zip.file(relsPath, rels);
  zip.file('[Content_Types].xml', types);
}
