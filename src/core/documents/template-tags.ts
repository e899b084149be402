/** Placeholders of a document template (issue 18): docxtemplater tags `{department.name}`, `{number}`, … and the loop
 * `{#paragraphs}{text}{/paragraphs}` over the body paragraphs. A section over a requisite prints its text only when the
 * requisite is filled: `{#department.okpo}ОКПО {department.okpo}{/department.okpo}`. The same set for every kind. */
import type { Requisites } from './requisites.ts';

export const DEPARTMENT_KEYS = [
  'name', 'parentName', 'address', 'phone', 'email', 'okpo', 'ogrn', 'inn', 'kpp', 'headPosition', 'headName', 'executorName', 'executorPhone',
] as const satisfies readonly (keyof Requisites)[];

/** Placeholder → what it prints (shown to the department next to the upload, and in docs/documents.md). */
export const TEMPLATE_TAGS: Record<string, string> = {
  ...Object.fromEntries(DEPARTMENT_KEYS.map((k) => [`department.${k}`, `реквизит управления «${k}»`])),
  number: 'исходящий номер по журналу (21/455)',
  date: 'дата документа (20.02.2023)',
  year: 'год документа',
  addressee: 'адресат (строки через перевод строки)',
  title: 'заголовок («О проведении мониторинга …»)',
  paragraphs: 'цикл по абзацам текста: {#paragraphs}{text}{/paragraphs}',
};

/** Tags allowed inside the `paragraphs` loop besides the top-level ones. */
export const PARAGRAPH_TAGS = ['text', '.'] as const;

/** Unknown tags of a template, from docxtemplater's tag tree (`InspectModule.getAllTags()`: tag → nested tags of its
 * section), in the order met. */
export function unknownTags(tree: Record<string, unknown>, insideParagraphs = false): string[] {
  const out: string[] = [];
  for (const [tag, nested] of Object.entries(tree)) {
    const known = tag in TEMPLATE_TAGS || (insideParagraphs && (PARAGRAPH_TAGS as readonly string[]).includes(tag));
    if (!known) out.push(tag);
    if (nested && typeof nested === 'object') {
      for (const t of unknownTags(nested as Record<string, unknown>, insideParagraphs || tag === 'paragraphs')) if (!out.includes(t)) out.push(t);
    }
  }
  return out;
}

/** The data a template is rendered with. */
export interface TemplateData {
  department: Record<(typeof DEPARTMENT_KEYS)[number], string>;
  number: string;
  date: string;
  year: string;
  addressee: string;
  title: string;
  paragraphs: { text: string }[];
}
