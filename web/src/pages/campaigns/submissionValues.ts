/** A submission form's values as text: what a field shows for a stored value, what the user typed parsed into the
 * field's type, a value shown in the history, and a field's hint (unit and range). */
import type { HistoryItem, SubmissionView } from '../../../../src/core/collection/schema.ts';
import { formatDate, formatNumber, joinSentences, parseRussianDate } from '../../../../src/core/format.ts';

export type FormField = SubmissionView['fields'][number];
export type Value = number | boolean | string | null;

/** The text a field shows for a stored value. */
export function toText(f: FormField, v: Value): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v).replace('.', ',');
  return f.type === 'date' ? formatDate(v) : v;
}

/** Parses what the user typed into the field's type; an error message otherwise. */
export function fromText(f: FormField, text: string): { ok: true; value: Value } | { ok: false; message: string } {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return { ok: true, value: null };
  switch (f.type) {
    case 'integer':
      return /^-?\d+$/.test(t) ? { ok: true, value: Number(t) } : { ok: false, message: 'Введите целое число' };
    case 'number':
    case 'percent':
    case 'score': {
      const n = Number(t.replace(',', '.'));
      return /^-?\d+([.,]\d+)?$/.test(t) && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'Введите число' };
    }
    case 'boolean':
      return { ok: true, value: t === 'true' };
    case 'enum':
      return { ok: true, value: t };
    case 'date': {
      const d = parseRussianDate(text);
      return d ? { ok: true, value: d } : { ok: false, message: 'Введите дату в формате дд.мм.гггг' };
    }
  }
}

export function showValue(v: Value): string {
  if (v === null) return '— (пусто)';
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (typeof v === 'number') return formatNumber(v);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : v;
}

export const SOURCE_LABELS: Record<HistoryItem['source'], string> = { form: 'форма', import: 'импорт файла', api: 'API' };

export function hintOf(f: FormField): string | undefined {
  const parts = [f.hint, f.unit ? `Единица: ${f.unit}` : null, f.min !== null || f.max !== null ? `Допустимо: ${f.min !== null ? `от ${formatNumber(f.min)}` : ''}${f.max !== null ? ` до ${formatNumber(f.max)}` : ''}` : null];
  const s = joinSentences(parts);
  return s || undefined;
}
