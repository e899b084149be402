/** The department's requisites (issue 18): what its letterhead prints (ГОСТ Р 7.0.97-2016: name of the parent
 * body and of the department, address, phone, e-mail, ОКПО, ОГРН, ИНН/КПП), its head (signature block), the executor
 * (bottom of a letter) and the numbering patterns of the register. Every field may be left empty while the department
 * fills the form; issuing a document needs `REQUIRED_FOR_ISSUE`. Codes are checked with their control digits. */
import { z } from 'zod';
import { DEFAULT_PATTERNS, DOCUMENT_KINDS, patternProblems, type DocumentKind } from './register.ts';

const digits = (s: string): number[] => [...s].map(Number);

/** ИНН of an organisation (10 digits): weights 2 4 10 3 5 9 4 6 8, sum mod 11 mod 10 is the tenth digit. */
export function isValidInn10(inn: string): boolean {
  if (!/^\d{10}$/.test(inn)) return false;
  const d = digits(inn);
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = w.reduce((s, k, i) => s + k * (d[i] ?? 0), 0);
  return (sum % 11) % 10 === d[9];
}

/** ОГРН (13 digits): the first twelve as a number mod 11, mod 10, is the thirteenth digit. */
export function isValidOgrn(ogrn: string): boolean {
  if (!/^\d{13}$/.test(ogrn)) return false;
  return Number((BigInt(ogrn.slice(0, 12)) % 11n) % 10n) === Number(ogrn[12]);
}

/** ОКПО (8 or 10 digits): weights 1, 2, …; if the sum mod 11 is 10, weights 3, 4, …; if again 10, the digit is 0. */
export function isValidOkpo(okpo: string): boolean {
  if (!/^(\d{8}|\d{10})$/.test(okpo)) return false;
  const d = digits(okpo);
  const body = d.slice(0, -1);
  const weighted = (start: number) => body.reduce((s, x, i) => s + x * (((start + i - 1) % 10) + 1), 0) % 11;
  let check = weighted(1);
  if (check === 10) check = weighted(3);
  if (check === 10) check = 0;
  return check === d[d.length - 1];
}

/** КПП: 9 characters, the fifth and sixth may be capital Latin letters. */
export const KPP_PATTERN = /^\d{4}[\dA-Z]{2}\d{3}$/;

const text = (max: number) => z.string().trim().max(max, `Не длиннее ${max} символов`);
const code = (check: (s: string) => boolean, message: string) => z.string().trim().refine((s) => s === '' || check(s), message);

export const numberingSchema = z.strictObject(
  Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, z.string().trim().superRefine((p, ctx) => {
    for (const message of patternProblems(p)) ctx.addIssue({ code: 'custom', message });
  })])) as Record<DocumentKind, z.ZodString>,
).partial();

export const requisitesSchema = z.strictObject({
  name: text(300).default(''),
  parentName: text(300).default(''),
  address: text(300).default(''),
  phone: text(100).default(''),
  email: z.string().trim().refine((s) => s === '' || z.email().safeParse(s).success, 'Неверный адрес электронной почты').default(''),
  okpo: code(isValidOkpo, 'ОКПО — 8 или 10 цифр с верным контрольным числом').default(''),
  ogrn: code(isValidOgrn, 'ОГРН — 13 цифр с верным контрольным числом').default(''),
  inn: code(isValidInn10, 'ИНН организации — 10 цифр с верным контрольным числом').default(''),
  kpp: code((s) => KPP_PATTERN.test(s), 'КПП — 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры').default(''),
  headPosition: text(200).default(''),
  headName: text(200).default(''),
  executorName: text(200).default(''),
  executorPhone: text(100).default(''),
  numbering: numberingSchema.default({}),
});

export type RequisitesInput = z.input<typeof requisitesSchema>;
export type Requisites = z.output<typeof requisitesSchema>;

export const REQUISITE_LABELS: Record<Exclude<keyof Requisites, 'numbering'>, string> = {
  name: 'Наименование управления',
  parentName: 'Вышестоящий орган (администрация)',
  address: 'Адрес',
  phone: 'Телефон',
  email: 'Электронная почта',
  okpo: 'ОКПО',
  ogrn: 'ОГРН',
  inn: 'ИНН',
  kpp: 'КПП',
  headPosition: 'Должность руководителя',
  headName: 'Руководитель (фамилия, инициалы)',
  executorName: 'Исполнитель',
  executorPhone: 'Телефон исполнителя',
};

/** What a document cannot be issued without (the letterhead and the signature block). */
export const REQUIRED_FOR_ISSUE = ['name', 'address', 'phone', 'email', 'headPosition', 'headName'] as const;

/** Required requisites that are empty (none saved: all of them). */
export function missingForIssue(r: Requisites | null): (typeof REQUIRED_FOR_ISSUE)[number][] {
  return REQUIRED_FOR_ISSUE.filter((k) => !r || !r[k].trim());
}

/** The numbering pattern of a kind: the department's, else the default `{n}`. */
export function patternOf(r: Requisites | null, kind: DocumentKind): string {
  return r?.numbering[kind] || DEFAULT_PATTERNS[kind];
}
