/** Checks one respondent's answers against the questionnaire and turns them into stored rows. Pure. */
import { MAX_TEXT_ANSWER, type Question } from './schema.ts';

export interface AnswerRow {
  questionId: string;
  value: string;
}
export interface AnswerError {
  path: string;
  message: string;
}

export function checkAnswers(
  questions: readonly Pick<Question, 'id' | 'kind' | 'options' | 'required' | 'text'>[],
  answers: Readonly<Record<string, unknown>>,
): { ok: true; rows: AnswerRow[] } | { ok: false; errors: AnswerError[] } {
  const errors: AnswerError[] = [];
  const rows: AnswerRow[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(answers)) if (!known.has(key)) errors.push({ path: `answers.${key}`, message: 'Такого вопроса в анкете нет' });
  questions.forEach((q, i) => {
    const path = `answers.${q.id}`;
    const n = `Вопрос ${i + 1}`;
    const v = answers[q.id];
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (q.required) errors.push({ path, message: `${n}: ответ обязателен` });
      return;
    }
    switch (q.kind) {
      case 'scale':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10) errors.push({ path, message: `${n}: оценка — целое число от 0 до 10` });
        else rows.push({ questionId: q.id, value: String(v) });
        return;
      case 'single':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= q.options.length) errors.push({ path, message: `${n}: выберите один из вариантов` });
        else rows.push({ questionId: q.id, value: String(v) });
        return;
      case 'multiple': {
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= q.options.length)) {
          errors.push({ path, message: `${n}: выберите варианты из списка` });
          return;
        }
        for (const x of [...new Set(v as number[])].sort((a, b) => a - b)) rows.push({ questionId: q.id, value: String(x) });
        return;
      }
      case 'text': {
        if (typeof v !== 'string') {
          errors.push({ path, message: `${n}: ожидается текст` });
          return;
        }
        const t = v.trim();
        if (t.length > MAX_TEXT_ANSWER) errors.push({ path, message: `${n}: не длиннее ${MAX_TEXT_ANSWER} символов` });
        else rows.push({ questionId: q.id, value: t });
        return;
      }
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
