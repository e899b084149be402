/** Placeholders of document templates (issue 18): docxtemplater tags such as `{department.name}` and `{number}`, and
 * loops such as `{#paragraphs}{text}{/paragraphs}`, per template kind. Every kind has the letterhead's tags
 * (requisites, number, date, year, title); a loop's own tags are allowed only inside it, and the outer tags are
 * allowed everywhere (docxtemplater looks a tag up in the enclosing scopes). A section over a filled value prints its
 * text only when the value is filled: `{#department.okpo}ОКПО {department.okpo}{/department.okpo}`. Pure. */
import type { Requisites } from './requisites.ts';
import { TEMPLATE_KINDS, type TemplateKind } from './template-kinds.ts';

export const DEPARTMENT_KEYS = [
  'name', 'parentName', 'address', 'phone', 'email', 'okpo', 'ogrn', 'inn', 'kpp', 'headPosition', 'headName', 'executorName', 'executorPhone',
] as const satisfies readonly (keyof Requisites)[];

/** Tag → what it prints, or → the tags of its loop (a nested spec). */
export interface TagSpec { [tag: string]: string | TagSpec }

const LETTERHEAD: TagSpec = {
  ...Object.fromEntries(DEPARTMENT_KEYS.map((k) => [`department.${k}`, `реквизит управления «${k}»`])),
  number: 'исходящий номер по журналу (21/455, 01-09/155)',
  date: 'дата документа (20.02.2023)',
  year: 'год документа',
  title: 'заголовок («О проведении мониторинга …», «Об утверждении …»)',
  paragraphs: { text: 'абзац текста (цикл {#paragraphs}{text}{/paragraphs}: абзац повторяется для каждого)', '.': 'текущий абзац' },
};

const ORDER: TagSpec = {
  ...LETTERHEAD,
  preamble: 'преамбула приказа («В целях …»), перед «ПРИКАЗЫВАЮ:»',
};

const RECOMMENDATION_ROW: TagSpec = {
  no: 'номер строки', organisation: 'организация (краткое наименование)', addressee: 'адресат рекомендации', text: 'текст рекомендации',
  indicator: 'показатель, по которому выдана рекомендация', due: 'срок (20.02.2023) или «—»', responsible: 'ответственный',
};

const BODY = 'текст документа, сформированный МСОКО (заголовки, таблицы, диаграммы, текст): {@body} отдельным абзацем';

export const TEMPLATE_TAGS: Record<TemplateKind, TagSpec> = {
  letter: { ...LETTERHEAD, addressee: 'адресат (строки через перевод строки)' },
  order_approval: {
    ...ORDER,
    appendices: {
      appendixNo: 'номер приложения (1, 2, …): «Приложение № {appendixNo} к приказу от {date} № {number}»',
      passportTitle: 'заголовок паспорта направления',
      passport: { label: 'раздел паспорта («1. Цель»)', value: 'содержание раздела' },
      roadmapTitle: 'заголовок плана мероприятий («дорожной карты»)',
      rows: {
        section: 'строка раздела плана (условие {#section}…{/section})',
        event: 'строка мероприятия (условие {#event}…{/event})',
        no: 'номер мероприятия', name: 'мероприятие', deadline: 'срок, как в плане', executor: 'ответственный исполнитель', result: 'ожидаемый результат',
      },
    },
  },
  order_results: {
    ...ORDER,
    appendixTitle: 'заголовок приложения («Адресные рекомендации по результатам мониторинга …»)',
    recommendations: RECOMMENDATION_ROW,
  },
  reference: { ...LETTERHEAD, body: BODY },
  protocol: { ...LETTERHEAD, body: BODY },
  recommendations_letter: {
    ...LETTERHEAD,
    addressee: 'адресат: руководитель организации',
    organisation: 'организация (полное наименование)',
    recommendations: RECOMMENDATION_ROW,
  },
};

/** Unknown tags of a template of a kind, from docxtemplater's tag tree (tag → the tags inside its section or loop),
 * in the order met. */
export function unknownTags(tree: Record<string, unknown>, kind: TemplateKind, scopes: TagSpec[] = [TEMPLATE_TAGS[kind]]): string[] {
  const out: string[] = [];
  for (const [tag, nested] of Object.entries(tree)) {
    const hit = scopes.find((s) => tag in s)?.[tag];
    if (hit === undefined) out.push(tag);
    if (nested && typeof nested === 'object') {
      const inner = hit !== undefined && typeof hit === 'object' ? [hit, ...scopes] : scopes;
      for (const t of unknownTags(nested as Record<string, unknown>, kind, inner)) if (!out.includes(t)) out.push(t);
    }
  }
  return out;
}

/** The tags of a kind as «{tag}» → meaning, loops written out («{#paragraphs}…{/paragraphs}», nested tags inside). */
export function describeTags(kind: TemplateKind): { tag: string; meaning: string }[] {
  const out: { tag: string; meaning: string }[] = [];
  const walk = (spec: TagSpec, path: string[]) => {
    for (const [tag, v] of Object.entries(spec)) {
      if (tag === '.') continue;
      if (typeof v === 'string') out.push({ tag: `{${tag}}`, meaning: path.length ? `${v} — внутри {#${path.join('}…{#')}}` : v });
      else {
        out.push({ tag: `{#${tag}}…{/${tag}}`, meaning: `цикл${path.length ? ` внутри {#${path.join('}…{#')}}` : ''}: строка таблицы или абзац повторяется для каждого элемента` });
        walk(v, [...path, tag]);
      }
    }
  };
  walk(TEMPLATE_TAGS[kind], []);
  return out;
}

export const ALL_TEMPLATE_TAGS = Object.fromEntries(TEMPLATE_KINDS.map((k) => [k, describeTags(k)])) as Record<TemplateKind, { tag: string; meaning: string }[]>;

/** The letterhead part of every template's data. */
export interface LetterheadData {
  department: Record<(typeof DEPARTMENT_KEYS)[number], string>;
  number: string;
  date: string;
  year: string;
  title: string;
  paragraphs: { text: string }[];
}

/** The information letter's data. */
export interface TemplateData extends LetterheadData {
  addressee: string;
}
