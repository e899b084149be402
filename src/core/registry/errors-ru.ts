/** Russian messages for zod validation issues. Free of Node imports: the web app uses the same map.
 *
 * Usage: `schema.safeParse(data, { error: ruErrorMap })`, then `issuesToFields(result.error.issues)`.
 * Messages given in a schema itself (`{ error: '…' }`) take precedence over this map. */
import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  number: 'Должно быть числом',
  int: 'Должно быть целым числом',
  string: 'Должно быть строкой',
  boolean: 'Должно быть логическим значением (true или false)',
  object: 'Должно быть объектом',
  array: 'Должно быть списком',
  date: 'Должно быть датой',
};

export function ruErrorMap(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'Обязательное поле';
      return TYPE_NAMES[issue.expected] ?? 'Неверный тип значения';
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Обязательное поле' : `Не короче ${issue.minimum} символов`;
      if (issue.origin === 'array') return `Не менее ${issue.minimum} элементов`;
      return issue.inclusive ? `Не меньше ${issue.minimum}` : `Больше ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `Не длиннее ${issue.maximum} символов`;
      if (issue.origin === 'array') return `Не более ${issue.maximum} элементов`;
      return issue.inclusive ? `Не больше ${issue.maximum}` : `Меньше ${issue.maximum}`;
    case 'invalid_format':
      return 'Неверный формат';
    case 'invalid_value':
      return `Допустимые значения: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return 'Неизвестное поле';
    case 'not_multiple_of':
      return `Должно быть кратно ${issue.divisor}`;
    case 'invalid_union':
      return 'Неверное значение';
    default:
      return 'Неверное значение';
  }
}

export interface FieldError {
  path: string;
  message: string;
}

/** Flattens zod issues into `{ path: 'a.b', message }`; an unknown-keys issue becomes one entry per unknown key. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ path: [...base, key].join('.'), message: 'Неизвестное поле' });
    } else {
      fields.push({ path: base.join('.'), message: issue.message });
    }
  }
  return fields;
}
