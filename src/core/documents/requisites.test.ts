import { describe, expect, it } from 'vitest';
import { issuesToFields, ruErrorMap } from '../registry/errors-ru.ts';
import { isValidInn10, isValidOgrn, isValidOkpo, missingForIssue, patternOf, requisitesSchema } from './requisites.ts';

// Control digits computed by hand / in a separate script: seed 000's department (ИНН 3435110501, ОГРН 1023402003074,
// ОКПО 50478741) and a well-known bank (ИНН 7707083893, ОГРН 1027700132195, ОКПО 00032537).
describe('requisite codes', () => {
  it('checks the ИНН of an organisation', () => {
    expect(isValidInn10('3435110501')).toBe(true);
    expect(isValidInn10('7707083893')).toBe(true);
    expect(isValidInn10('3435110500')).toBe(false);
    expect(isValidInn10('7707083894')).toBe(false);
    expect(isValidInn10('343511050')).toBe(false);
    expect(isValidInn10('343511050a')).toBe(false);
  });

  it('checks the ОГРН', () => {
    expect(isValidOgrn('1023402003074')).toBe(true);
    expect(isValidOgrn('1027700132195')).toBe(true);
    expect(isValidOgrn('1023402003075')).toBe(false);
    expect(isValidOgrn('1027700132196')).toBe(false);
    expect(isValidOgrn('102340200307')).toBe(false);
  });

  it('checks the ОКПО, with the second pass of weights', () => {
    expect(isValidOkpo('50478741')).toBe(true);
    expect(isValidOkpo('00032537')).toBe(true);
    // 1000006: weights 1..7 give 43 mod 11 = 10, weights 3..9 give 57 mod 11 = 2.
    expect(isValidOkpo('10000062')).toBe(true);
    expect(isValidOkpo('10000060')).toBe(false);
    // 1000064: both passes give 10, so the control digit is 0.
    expect(isValidOkpo('10000640')).toBe(true);
    expect(isValidOkpo('50478742')).toBe(false);
    expect(isValidOkpo('0001234567')).toBe(false);
    expect(isValidOkpo('5047874')).toBe(false);
  });
});

describe('requisites schema', () => {
  const parse = (v: unknown) => requisitesSchema.safeParse(v, { error: ruErrorMap });

  it('accepts the seed department and fills absent fields with empty strings', () => {
    const r = parse({ name: ' УПРАВЛЕНИЕ ОБРАЗОВАНИЯ ', inn: '3435110501', kpp: '343501001', ogrn: '1023402003074', okpo: '50478741', email: 'edu_vlz@volganet.ru', numbering: { letter: '21/{n}' } });
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.name).toBe('УПРАВЛЕНИЕ ОБРАЗОВАНИЯ');
    expect(r.data.headName).toBe('');
    expect(patternOf(r.data, 'letter')).toBe('21/{n}');
    expect(patternOf(r.data, 'order')).toBe('{n}');
    expect(missingForIssue(r.data)).toEqual(['address', 'phone', 'headPosition', 'headName']);
    expect(missingForIssue(null)).toEqual(['name', 'address', 'phone', 'email', 'headPosition', 'headName']);
  });

  it('names every wrong field in Russian', () => {
    const r = parse({ inn: '3435110500', kpp: '34350100', ogrn: '1023402003075', okpo: '50478742', email: 'edu_vlz@', numbering: { letter: '21/455' }, fax: '1' });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(issuesToFields(r.error.issues)).toEqual(expect.arrayContaining([
      { path: 'inn', message: 'ИНН организации — 10 цифр с верным контрольным числом' },
      { path: 'kpp', message: 'КПП — 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры' },
      { path: 'ogrn', message: 'ОГРН — 13 цифр с верным контрольным числом' },
      { path: 'okpo', message: 'ОКПО — 8 или 10 цифр с верным контрольным числом' },
      { path: 'email', message: 'Неверный адрес электронной почты' },
      { path: 'numbering.letter', message: 'В шаблоне номера должен быть порядковый номер {n}' },
      { path: 'fax', message: 'Неизвестное поле' },
    ]));
  });
});
