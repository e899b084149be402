/** The methodology editor's server side (issue 15, item 2): a list of edits — set or remove a value at a path of the
 * methodology (`["scales", "diversity_levels", "bands"]`, `["indicators", "coverage_share", "target"]`) — applied to a
 * base version's YAML with the `yaml` library's document API, so everything not edited (comments, order, flow style)
 * stays as it was, under a new version number. Preview answers the YAML, the linter's remarks and the changes in words
 * against the base (`diffMethodologies`); saving goes through `saveMethodologyVersion` (lint errors refuse it, an
 * existing version is a conflict, the save is audited). Versions are immutable: an edit never changes the base. */
import type { Kysely } from 'kysely';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { diffMethodologies, type VersionChange } from '../../core/methodology/diff.ts';
import type { Actor } from '../errors.ts';
import type { Database } from '../../db/schema.ts';
import { ServiceError } from '../errors.ts';
import { parseMethodologyText } from './methodology-library.ts';
import { getMethodologyVersion, lintMethodologyText, saveMethodologyVersion, type LintResult, type MethodologyVersionDetail } from './methodology-versions.ts';

const PathSchema = z.array(z.union([z.string().min(1).max(200), z.number().int().min(0).max(10_000)])).min(1).max(10);

export const MethodologyEditSchema = z.strictObject({
  version: z.string().trim().min(1, 'Укажите номер новой версии').max(100),
  edits: z
    .array(z.union([z.strictObject({ path: PathSchema, value: z.unknown() }), z.strictObject({ path: PathSchema, remove: z.literal(true) })]))
    .max(5000),
});
export type MethodologyEdit = z.infer<typeof MethodologyEditSchema>;

/** Paths under these keys are the editor's; `id` and `version` are not edited (the version is the edit's own). */
const FIXED = new Set(['id', 'version']);

/** Band-like lists (an object per item) print one item per line in flow style, as the library writes them. */
function flowItems(doc: Document, path: (string | number)[]): void {
  const node = doc.getIn(path, true);
  if (isSeq(node)) for (const item of node.items) if (isMap(item)) item.flow = true;
}

type WithCodes = { indicators?: Record<string, { code?: unknown; title?: unknown }> };

function codeGroups(m: WithCodes): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, d] of Object.entries(m.indicators ?? {})) {
    if (d?.code === undefined || d.code === null || String(d.code).trim() === '') continue;
    const code = String(d.code).trim();
    out.set(code, [...(out.get(code) ?? []), id]);
  }
  return out;
}

/** An indicator's code («2.1») names it in documents and printed reports: an edit may not give two indicators one
 * code. A repetition the base version already had (a passport of seed 001 numbers two indicators «1.1») stays. */
export function duplicateCode(m: WithCodes, base: WithCodes = {}): string | null {
  const before = codeGroups(base);
  for (const [code, ids] of codeGroups(m)) {
    if (ids.length < 2 || ids.every((id) => before.get(code)?.includes(id))) continue;
    const [first, second] = ids.filter((id) => !before.get(code)?.includes(id)).length ? [ids.find((id) => before.get(code)?.includes(id)) ?? ids[0]!, ids.find((id) => !before.get(code)?.includes(id))!] : [ids[0]!, ids[1]!];
    const title = (id: string) => String(m.indicators?.[id]?.title ?? id);
    return `код показателя «${code}» повторяется: он уже у показателя «${title(first)}» (${first}), а указан и у «${title(second)}» (${second}); коды показателей в методике не повторяются`;
  }
  return null;
}

/** The base YAML with the edits applied and the new version set; or a Russian error naming the edit. */
export function applyEdits(baseYaml: string, baseLabel: string, edit: MethodologyEdit): { ok: true; yaml: string } | { ok: false; message: string } {
  const doc = parseDocument(baseYaml);
  if (doc.errors.length) return { ok: false, message: `исходная версия не читается: ${doc.errors[0]?.message ?? ''}` };
  for (const [n, e] of edit.edits.entries()) {
    const head = e.path[0];
    if (typeof head !== 'string' || FIXED.has(head)) return { ok: false, message: `изменение ${n + 1}: поле «${String(head)}» не меняется в редакторе` };
    if ('remove' in e) {
      doc.deleteIn(e.path);
      continue;
    }
    if (e.value === undefined) return { ok: false, message: `изменение ${n + 1} (${e.path.join('.')}): нет значения` };
    doc.setIn(e.path, doc.createNode(e.value));
    if (e.path.at(-1) === 'bands' || e.path[0] === 'criteria') flowItems(doc, e.path.at(-1) === 'bands' ? e.path : ['criteria']);
  }
  const duplicate = duplicateCode(doc.toJS() as WithCodes, parseDocument(baseYaml).toJS() as WithCodes);
  if (duplicate) return { ok: false, message: duplicate };
  doc.set('version', edit.version);
  const note = ` Версия ${edit.version}: изменена в редакторе МСОКО на основе ${baseLabel}.`;
  doc.commentBefore = doc.commentBefore ? `${note}\n${doc.commentBefore}` : note;
  return { ok: true, yaml: doc.toString({ lineWidth: 0 }) };
}

export interface EditPreview {
  yaml: string;
  check: LintResult;
  /** What changes against the base, in words. */
  changes: VersionChange[];
}

async function applied(db: Kysely<Database>, id: string, version: string, input: unknown): Promise<{ base: MethodologyVersionDetail; yaml: string }> {
  const edit = MethodologyEditSchema.parse(input);
  const base = await getMethodologyVersion(db, id, version);
  const r = applyEdits(base.yaml, `версии ${base.version}`, edit);
  if (!r.ok) throw new ServiceError('validation', 'METHODOLOGY_EDIT_INVALID', r.message, [{ path: 'edits', message: r.message }]);
  return { base, yaml: r.yaml };
}

/** The edited version as it would be saved: YAML, parse errors or lint (with whether the version exists), changes. */
export async function previewMethodologyEdit(db: Kysely<Database>, id: string, version: string, input: unknown): Promise<EditPreview> {
  const { base, yaml } = await applied(db, id, version, input);
  const check = await lintMethodologyText(db, yaml);
  const parsed = parseMethodologyText(yaml, 'методика');
  return { yaml, check, changes: parsed.ok ? diffMethodologies(base.methodology, parsed.methodology) : [] };
}

/** Saves the edited version (refused on lint errors or an existing version number). */
export async function saveMethodologyEdit(db: Kysely<Database>, actor: Actor, id: string, version: string, input: unknown): Promise<MethodologyVersionDetail> {
  const { yaml } = await applied(db, id, version, input);
  return saveMethodologyVersion(db, actor, yaml);
}
