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
import { BODY_KINDS, BUILT_IN_FILES, TEMPLATE_KINDS, TEMPLATE_KIND_LABELS, type TemplateKind } from '../../core/documents/template-kinds.ts';
import { unknownTags } from '../../core/documents/template-tags.ts';
import { byteaAsBase64, byteaValue, fromBase64 } from '../../db/bytea.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { bodyXml, finishBody, generatedBody, templateSection } from './docx-body.ts';
import { ServiceError, type Actor } from '../errors.ts';

export const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;
export const BUILT_IN_DIR = fileURLToPath(new URL('../../../library/templates/', import.meta.url));
const BUILT_IN: Partial<Record<TemplateKind, string>> = BUILT_IN_FILES;

export interface TemplateInUse {
  id: string | null;
  fileName: string;
  sha256: string;
  content: Buffer;
}

export interface TemplateInfo {
  kind: TemplateKind;
  kindLabel: string;
  /** The department's own template is in force (else the built-in one, when the kind has one). */
  custom: boolean;
  /** A built-in template exists for the kind. */
  builtIn: boolean;
  /** The file in force; null: neither an upload nor a built-in template. */
  fileName: string | null;
  sha256: string | null;
  /** When and by whom the template in force was uploaded — or the department went back to the built-in one. */
  uploadedAt: string | null;
  uploaderLogin: string | null;
}

/** Collects the tag tree of every templated file at compile time (tag → tags of its section). docxtemplater's own
 * InspectModule does the same but requires lodash, which docxtemplater does not depend on. */
interface Part { type?: string; value?: unknown; module?: string; subparsed?: Part[] }
function tagCollector() {
  let file = '';
  const parsed = new Map<string, Part[]>();
  const raw = new Set<string>();
  const tree = (parts: Part[], into: Record<string, unknown>): Record<string, unknown> => {
    for (const p of parts) {
      if (p.type !== 'placeholder' || typeof p.value !== 'string') continue;
      if (p.module === 'rawxml') raw.add(p.value);
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
    /** Tags written as raw XML (`{@body}`), known after allTags(). */
    rawTags(): Set<string> {
      return raw;
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
function compile(content: Uint8Array, kind: TemplateKind): Docxtemplater {
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
  const tags = inspect.allTags();
  const unknown = unknownTags(tags, kind);
  if (unknown.length) {
    const list = unknown.map((t) => `«{${t}}»`).join(', ');
    throw refuse('TEMPLATE_UNKNOWN_TAG', `${unknown.length === 1 ? 'Неизвестная подстановка' : 'Неизвестные подстановки'} в шаблоне: ${list}. Допустимые подстановки перечислены в руководстве (раздел «Документы»)`);
  }
  if (BODY_KINDS.includes(kind) && !inspect.rawTags().has('body')) {
    const plain = 'body' in tags;
    throw refuse('TEMPLATE_NO_BODY', plain
      ? 'Текст документа вставляется подстановкой «{@body}» (с @, отдельным абзацем), а не «{body}»'
      : `В шаблоне вида «${TEMPLATE_KIND_LABELS[kind]}» нет подстановки «{@body}»: поставьте её отдельным абзацем там, где должен стоять текст документа`);
  }
  return doc;
}

/** Renders a template of a kind with the data: the DOCX bytes. `body`: a generated DOCX whose body goes in at
 * `{@body}` (the справка, the protocol). */
export function renderTemplate(content: Uint8Array, kind: TemplateKind, data: object, body?: Uint8Array): Buffer {
  const doc = compile(content, kind);
  if (!body) {
    doc.render(data);
    return doc.toBuffer({ compression: 'DEFLATE' });
  }
  const generated = generatedBody(body);
  const section = templateSection(doc.getZip());
  doc.render({ ...data, body: bodyXml(generated, section) });
  finishBody(doc.getZip(), generated, section);
  return doc.toBuffer({ compression: 'DEFLATE' });
}

async function builtIn(kind: TemplateKind): Promise<TemplateInUse> {
  const file = BUILT_IN[kind];
  if (!file) throw new ServiceError('not_found', 'TEMPLATE_NOT_FOUND', `Для вида «${TEMPLATE_KIND_LABELS[kind]}» нет встроенного шаблона: загрузите свой`);
  const content = await readFile(`${BUILT_IN_DIR}${file}`);
  return { id: null, fileName: file, sha256: sha256(content), content };
}

/** The latest row of a kind's template history; a row with no content (size 0) is the department going back to the
 * built-in template (the table is append-only, so the return is a row too). */
function latestRow(db: Kysely<Database>, municipalityId: string, kind: TemplateKind) {
  return db.selectFrom('document_templates').select(['id', 'file_name', 'sha256', 'size', 'at', 'actor_login'])
    .where('municipality_id', '=', municipalityId).where('kind', '=', kind).orderBy('at', 'desc').orderBy('id').limit(1).executeTakeFirst();
}

/** The template in force for a kind: the latest uploaded, else (none, or gone back) the built-in one. */
export async function templateInUse(db: Kysely<Database>, municipalityId: string, kind: TemplateKind): Promise<TemplateInUse> {
  const latest = await latestRow(db, municipalityId, kind);
  if (!latest || latest.size === 0) return builtIn(kind);
  const row = await db.selectFrom('document_templates').select(byteaAsBase64(sql.ref('content')).as('content_base64')).where('id', '=', latest.id).executeTakeFirstOrThrow();
  return { id: latest.id, fileName: latest.file_name, sha256: latest.sha256, content: fromBase64(row.content_base64) };
}

async function templateInfo(db: Kysely<Database>, municipalityId: string, kind: TemplateKind): Promise<TemplateInfo> {
  const latest = await latestRow(db, municipalityId, kind);
  const base = { kind, kindLabel: TEMPLATE_KIND_LABELS[kind], builtIn: !!BUILT_IN[kind], uploadedAt: latest ? new Date(latest.at).toISOString() : null, uploaderLogin: latest?.actor_login ?? null };
  if (latest && latest.size > 0) return { ...base, custom: true, fileName: latest.file_name, sha256: latest.sha256 };
  if (!BUILT_IN[kind]) return { ...base, custom: false, fileName: null, sha256: null };
  const b = await builtIn(kind);
  return { ...base, custom: false, fileName: b.fileName, sha256: b.sha256 };
}

/** Every kind with the template in force. */
export async function listTemplates(db: Kysely<Database>, municipalityId: string): Promise<TemplateInfo[]> {
  const out: TemplateInfo[] = [];
  for (const kind of TEMPLATE_KINDS) out.push(await templateInfo(db, municipalityId, kind));
  return out;
}

/** The bytes of the template in force (to start one's own бланк from the built-in one); audited as an export. */
export async function downloadTemplate(db: Kysely<Database>, actor: Actor, municipalityId: string, kind: TemplateKind): Promise<{ fileName: string; content: Buffer }> {
  const t = await templateInUse(db, municipalityId, kind);
  await recordAudit(db, actor, { action: 'document.template.download', targetType: 'document_template', targetId: t.id ?? `built-in:${kind}`, details: { kind, fileName: t.fileName, sha256: t.sha256 } });
  return { fileName: t.fileName, content: t.content };
}

/** Goes back to the built-in template of a kind: appends an empty row (the uploads stay in the history); audited.
 * Nothing is written when the built-in template is already in force. */
export async function resetTemplate(db: Kysely<Database>, actor: Actor, municipalityId: string, kind: TemplateKind): Promise<TemplateInfo> {
  const latest = await latestRow(db, municipalityId, kind);
  if (!latest || latest.size === 0) return templateInfo(db, municipalityId, kind);
  await db.transaction().execute(async (trx) => {
    const r = await trx.insertInto('document_templates').values({
      municipality_id: municipalityId, kind, file_name: '', size: 0, sha256: '', content: byteaValue(Buffer.alloc(0)), actor_user_id: actor.userId, actor_login: actor.login,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'document.template.reset', targetType: 'document_template', targetId: r.id, details: { kind, replaced: { fileName: latest.file_name, sha256: latest.sha256 } } });
  });
  return templateInfo(db, municipalityId, kind);
}

/** Stores the department's template of a kind after checking it; audited. */
export async function uploadTemplate(db: Kysely<Database>, actor: Actor, municipalityId: string, kind: TemplateKind, file: { name: string; content: Buffer }): Promise<TemplateInfo> {
  if (file.content.length > MAX_TEMPLATE_BYTES) throw refuse('TEMPLATE_TOO_LARGE', 'Шаблон больше 2 МБ');
  if (!/\.docx$/i.test(file.name)) throw refuse('TEMPLATE_NOT_DOCX', 'Шаблон загружается файлом .docx');
  compile(file.content, kind);
  const hash = sha256(file.content);
  const row = await db.transaction().execute(async (trx) => {
    const r = await trx.insertInto('document_templates').values({
      municipality_id: municipalityId, kind, file_name: file.name, size: file.content.length, sha256: hash, content: byteaValue(file.content), actor_user_id: actor.userId, actor_login: actor.login,
    }).returning(['id', 'at']).executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'document.template.upload', targetType: 'document_template', targetId: r.id, details: { kind, fileName: file.name, size: file.content.length, sha256: hash } });
    return r;
  });
  return { kind, kindLabel: TEMPLATE_KIND_LABELS[kind], custom: true, builtIn: !!BUILT_IN[kind], fileName: file.name, sha256: hash, uploadedAt: new Date(row.at).toISOString(), uploaderLogin: actor.login };
}
