/** What issuing any document needs (issue 18): the requisites in force — a missing one refuses the document naming
 * it, before a number is taken — and the letterhead part of the template data. */
import type { Kysely } from 'kysely';
import { REQUISITE_LABELS, missingForIssue, type Requisites } from '../../core/documents/requisites.ts';
import { DEPARTMENT_KEYS, type LetterheadData } from '../../core/documents/template-tags.ts';
import type { Database } from '../../db/schema.ts';
import { ServiceError } from '../errors.ts';
import { currentRequisites } from './requisites.ts';

export const missingList = (r: Requisites | null) => missingForIssue(r).map((k) => ({ field: k, label: REQUISITE_LABELS[k] }));

/** The requisites in force, or a `validation` error «<refusal>: заполните реквизиты управления в настройках — …». */
export async function requireRequisites(db: Kysely<Database>, municipalityId: string, refusal: string): Promise<{ version: number; requisites: Requisites }> {
  const req = await currentRequisites(db, municipalityId);
  const missing = missingList(req?.requisites ?? null);
  if (!req || missing.length) {
    const names = missing.map((m) => `«${m.label}»`).join(', ');
    throw new ServiceError('validation', 'REQUISITES_MISSING', `${refusal}: заполните реквизиты управления на странице «Документы» — ${names}`, missing.map((m) => ({ path: `requisites.${m.field}`, message: `Не заполнено: ${m.label}` })));
  }
  return req;
}

export function departmentOf(r: Requisites): LetterheadData['department'] {
  return Object.fromEntries(DEPARTMENT_KEYS.map((k) => [k, r[k]])) as LetterheadData['department'];
}

/** A file name without the characters Windows refuses: «Приказ 01-09-155 от 01.06.2021.docx». */
export function documentFileName(what: string, number: string, date: string): string {
  return `${what} ${number.replace(/[\\/:*?"<>|]/g, '-')} от ${date}.docx`;
}
