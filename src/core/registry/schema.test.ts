import { describe, expect, it } from 'vitest';
import { issuesToFields, ruErrorMap } from './errors-ru.ts';
import { organisationCreateSchema, organisationUpdateSchema, userCreateSchema } from './schema.ts';

const fields = (r: { success: boolean; error?: { issues: Parameters<typeof issuesToFields>[0] } }) =>
  r.success ? [] : issuesToFields(r.error!.issues);

describe('registry schemas with Russian messages', () => {
  it('accepts a valid organisation and trims names', () => {
    const r = organisationCreateSchema.safeParse({ shortName: ' №7 ', fullName: 'МБОУ СОШ №7', type: 'school', inn: '0261000007' }, { error: ruErrorMap });
    expect(r.success && r.data).toEqual({ shortName: '№7', fullName: 'МБОУ СОШ №7', type: 'school', inn: '0261000007' });
  });

  it('explains every problem in Russian with its field path', () => {
    const r = organisationCreateSchema.safeParse({ shortName: 1, type: 'school', inn: '02610000071', growthPoint: 'да', zzz: 1 }, { error: ruErrorMap });
    expect(fields(r)).toEqual([
      { path: 'shortName', message: 'Должно быть строкой' },
      { path: 'fullName', message: 'Обязательное поле' },
      { path: 'inn', message: 'ИНН должен содержать 10 или 12 цифр' },
      { path: 'growthPoint', message: 'Должно быть логическим значением (true или false)' },
      { path: 'zzz', message: 'Неизвестное поле' },
    ]);
    expect(fields(organisationUpdateSchema.safeParse({ openedAt: '2023-13-01' }, { error: ruErrorMap }))).toEqual([
      { path: 'openedAt', message: 'Такой даты нет в календаре' },
    ]);
  });

  it('accepts a ФИС ОКО login «sch» + digits in any case and refuses anything else in Russian', () => {
    expect(organisationUpdateSchema.safeParse({ fisokoLogin: ' SCH510203 ' }).data).toEqual({ fisokoLogin: 'SCH510203' });
    expect(organisationUpdateSchema.safeParse({ fisokoLogin: null }).success).toBe(true);
    for (const bad of ['510203', 'sch', 'sch51-0203', 'spo510203'])
      expect(fields(organisationUpdateSchema.safeParse({ fisokoLogin: bad }, { error: ruErrorMap }))).toEqual([{ path: 'fisokoLogin', message: 'Логин ФИС ОКО: «sch» и цифры, например sch510203' }]);
  });

  it('requires an organisation for an org representative', () => {
    const r = userCreateSchema.safeParse({ login: 'rep', fullName: 'Р', role: 'org_rep', password: '12345678' }, { error: ruErrorMap });
    expect(fields(r)).toEqual([{ path: 'organisationId', message: 'Для представителя ОО укажите организацию' }]);
  });
});
