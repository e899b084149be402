/** DOCX templates of documents (issue 18), rendered with docxtemplater: the built-in ones in library/templates/ and
 * the department's own, uploaded per kind (≤ 2 MB, append-only history; the latest is in force). An upload that is not
 * a DOCX, a template docxtemplater cannot parse, or one with a placeholder outside TEMPLATE_TAGS is refused with a
 * Russian message naming the tag. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from '../../core/documents/register.ts';
import { unknownTags, type TemplateData } from '../../core/documents/template-tags.ts';
import { byteaAsBase64, byteaValue, fromBase64 } from '../../db/bytea.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { ServiceError, type Actor } from '../errors.ts';

export const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;
export const BUILT_IN_DIR = fileURLToPath(new URL('../../../library/templates/', import.meta.url));
const BUILT_IN: Partial<Record<DocumentKind, string>> = { letter: 'letter.docx' };

export interface TemplateInUse {
  id: string | null;
  fileName: string;
  sha256: string;
  content: Buffer;
}

export interface TemplateInfo {
  kind: DocumentKind;
  custom: boolean;
  fileName: string;
  sha256: string;
  uploadedAt: string | null;
  uploaderLogin: string | null;
}

/** Collects the tag tree of every templated file at compile time (tag → tags of its section). docxtemplater's own
 * InspectModule does the same but requires lodash, which docxtemplater does not depend on. */
interface Part { type?: string; value?: unknown; subparsed?: Part[] }
function tagCollector() {
  let file = '';
  const parsed = new Map<string, Part[]>();
  const tree = (parts: Part[], into: Record<string, unknown>): Record<string, unknown> => {
    for (const p of parts) {
      if (p.type !== 'placeholder' || typeof p.value !== 'string') continue;
      const node = (into[p.value] ??= {}) as Record<string, unknown>;
      if (p.subparsed) tree(p.subparsed, node);
    }
    return into;
  };
  return {
    name: 'TagCollector',
    set(obj: { inspect?: { filePath?: string; postparsed?: Part[] } }): void {
      if (obj.inspect?.filePath) file = obj.inspect.filePath;
      if (obj.inspect?.postparsed) parsed.set(file, obj.inspect.postparsed);
    },
    allTags(): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const parts of parsed.values()) tree(parts, out);
      return out;
    },
  };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Dotted tags walk the scope (`department.name`); `.` is the current item. */
function parser(tag: string) {
  return {
    get(scope: unknown): unknown {
      if (tag === '.') return scope;
      let v: unknown = scope;
      for (const k of tag.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      return v;
    },
  };
}

const TAG_ERRORS: Record<string, (tag: string) => string> = {
  unopened_tag: (t) => `закрывающая скобка без открывающей рядом с «${t}»`,
  unclosed_tag: (t) => `не закрыта фигурная скобка у подстановки «{${t}»`,
  unclosed_loop: (t) => `цикл «{#${t}}» не закрыт: нет «{/${t}}»`,
  unopened_loop: (t) => `закрытие цикла «{/${t}}» без открытия «{#${t}}»`,
  closing_tag_does_not_match_opening_tag: (t) => `закрытие цикла не совпадает с открытием у «${t}»`,
  duplicate_open_tag: (t) => `двойная открывающая скобка у «${t}»`,
  duplicate_close_tag: (t) => `двойная закрывающая скобка у «${t}»`,
};

interface DxtError { properties?: { id?: string; xtag?: string; errors?: DxtError[] } }

function refuse(code: string, message: string): ServiceError {
  return new ServiceError('validation', code, message, [{ path: 'file', message }]);
}

/** Opens and compiles a template; throws a Russian `validation` error for a non-DOCX file, a syntax error or an
 * unknown placeholder. */
function compile(content: Uint8Array): Docxtemplater {
  let zip: PizZip;
  try {
    zip = new PizZip(content);
  } catch {
    throw refuse('TEMPLATE_NOT_DOCX', 'Файл не является документом DOCX (ожидается документ Word .docx)');
  }
  if (!zip.file('word/document.xml')) throw refuse('TEMPLATE_NOT_DOCX', 'Файл не является документом DOCX: в архиве нет word/document.xml');
  const inspect = tagCollector();
  let doc: Docxtemplater;
  try {
    doc = new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true, parser, errorLogging: false, modules: [inspect as unknown as Docxtemplater.DXT.Module], nullGetter: () => '' });
  } catch (err) {
    const errors = (err as DxtError).properties?.errors ?? [err as DxtError];
    const parts = errors.map((e) => {
      const tag = e.properties?.xtag ?? '';
      const explain = TAG_ERRORS[e.properties?.id ?? ''];
      return explain ? explain(tag) : `ошибка в подстановке «${tag}»`;
    });
    throw refuse('TEMPLATE_SYNTAX', `Шаблон не разобран: ${parts.join('; ')}`);
  }
  const unknown = unknownTags(inspect.allTags());
  if (unknown.length) {
    const list = unknown.map((t) => `«{${t}}»`).join(', ');
    throw refuse('TEMPLATE_UNKNOWN_TAG', `${unknown.length === 1 ? 'Неизвестная подстановка' : 'Неизвестные подстановки'} в шаблоне: ${list}. Допустимые подстановки перечислены в руководстве (раздел «Документы»)`);
  }
  return doc;
}

/** Renders a template with the data: the DOCX bytes. */
export function renderTemplate(content: Uint8Array, data: TemplateData): Buffer {
  const doc = compile(content);
  doc.render(data);
  return doc.toBuffer({ compression: 'DEFLATE' });
}

async function builtIn(kind: DocumentKind): Promise<TemplateInUse> {
  const file = BUILT_IN[kind];
  if (!file) throw new ServiceError('not_found', 'TEMPLATE_NOT_FOUND', `Для вида «${DOCUMENT_KIND_LABELS[kind]}» нет встроенного шаблона: загрузите свой`);
  const content = await readFile(`${BUILT_IN_DIR}${file}`);
  return { id: null, fileName: file, sha256: sha256(content), content };
}

/** The template in force for a kind: the latest uploaded, else the built-in one. */
export async function templateInUse(db: Kysely<Database>, municipalityId: string, kind: DocumentKind): Promise<TemplateInUse> {
  const row = await db.selectFrom('document_templates').select(['id', 'file_name', 'sha256']).select(byteaAsBase64(sql.ref('content')).as('content_base64'))
    .where('municipality_id', '=', municipalityId).where('kind', '=', kind).orderBy('at', 'desc').orderBy('id').limit(1).executeTakeFirst();
  if (!row) return builtIn(kind);
  return { id: row.id, fileName: row.file_name, sha256: row.sha256, content: fromBase64(row.content_base64) };
}

export async function listTemplates(db: Kysely<Database>, municipalityId: string): Promise<TemplateInfo[]> {
  const rows = await db.selectFrom('document_templates').select(['kind', 'file_name', 'sha256', 'at', 'actor_login']).where('municipality_id', '=', municipalityId).orderBy('at', 'desc').execute();
  const out: TemplateInfo[] = [];
  for (const kind of Object.keys(DOCUMENT_KIND_LABELS) as DocumentKind[]) {
    const r = rows.find((x) => x.kind === kind);
    if (r) out.push({ kind, custom: true, fileName: r.file_name, sha256: r.sha256, uploadedAt: new Date(r.at).toISOString(), uploaderLogin: r.actor_login });
    else if (BUILT_IN[kind]) {
      const b = await builtIn(kind);
      out.push({ kind, custom: false, fileName: b.fileName, sha256: b.sha256, uploadedAt: null, uploaderLogin: null });
    }
  }
  return out;
}

/** Stores the department's template of a kind after checking it; audited. */
export async function uploadTemplate(db: Kysely<Database>, actor: Actor, municipalityId: string, kind: DocumentKind, file: { name: string; content: Buffer }): Promise<TemplateInfo> {
  if (file.content.length > MAX_TEMPLATE_BYTES) throw refuse('TEMPLATE_TOO_LARGE', 'Шаблон больше 2 МБ');
  if (!/\.docx$/i.test(file.name)) throw refuse('TEMPLATE_NOT_DOCX', 'Шаблон загружается файлом .docx');
  compile(file.content);
  const hash = sha256(file.content);
  const row = await db.transaction().execute(async (trx) => {
    const r = await trx.insertInto('document_templates').values({
      municipality_id: municipalityId, kind, file_name: file.name, size: file.content.length, sha256: hash, content: byteaValue(file.content), actor_user_id: actor.userId, actor_login: actor.login,
    }).returning(['id', 'at']).executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'document.template.upload', targetType: 'document_template', targetId: r.id, details: { kind, fileName: file.name, size: file.content.length, sha256: hash } });
    return r;
  });
  return { kind, custom: true, fileName: file.name, sha256: hash, uploadedAt: new Date(row.at).toISOString(), uploaderLogin: actor.login };
}
