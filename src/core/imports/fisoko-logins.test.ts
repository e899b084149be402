import { describe, expect, it } from 'vitest';
import { fisOkoLoginOffers } from './fisoko-logins.ts';
import type { OrgRef } from './match.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const org = (n: number, login: string | null = null): OrgRef => ({ id: id(n), no: n, inn: null, shortName: `№${n}`, fullName: `МБОУ СОШ №${n}`, fisokoLogin: login, locked: null });
const participants = [org(1), org(2), org(3, 'sch000003'), org(4), org(5)];

describe('logins ФИС ОКО offered for the registry', () => {
  it('offers the printed login of a school matched by name, ИНН or confirmation whose organisation has none', () => {
    const offers = fisOkoLoginOffers([
      { name: '(sch000001) СОШ №1', login: 'sch000001', how: 'name', organisation: { id: id(1) } },
      { name: '(SCH000002) СОШ №2', login: 'SCH000002', how: 'confirmed', organisation: { id: id(2) } },
      { name: '(sch000003) СОШ №3', login: 'sch000003', how: 'login', organisation: { id: id(3) } },
      { name: 'СОШ №4', login: null, how: 'name', organisation: { id: id(4) } },
      { name: '(sch000009) СОШ №9', login: 'sch000009', how: 'unresolved', organisation: null },
    ], participants);
    expect(offers).toEqual([
      { school: '(sch000001) СОШ №1', login: 'sch000001', how: 'name', organisation: { id: id(1), no: 1, shortName: '№1', fullName: 'МБОУ СОШ №1' } },
      { school: '(SCH000002) СОШ №2', login: 'sch000002', how: 'confirmed', organisation: { id: id(2), no: 2, shortName: '№2', fullName: 'МБОУ СОШ №2' } },
    ]);
  });

  it('offers nothing ambiguous: a login held by another participant, printed for two organisations, or two logins for one', () => {
    expect(fisOkoLoginOffers([{ name: '(sch000003) СОШ №4', login: 'sch000003', how: 'name', organisation: { id: id(4) } }], participants)).toEqual([]);
    expect(fisOkoLoginOffers([
      { name: '(sch000007) СОШ №4', login: 'sch000007', how: 'name', organisation: { id: id(4) } },
      { name: '(sch000007) СОШ №5', login: 'sch000007', how: 'name', organisation: { id: id(5) } },
    ], participants)).toEqual([]);
    expect(fisOkoLoginOffers([
      { name: '(sch000007) СОШ №4', login: 'sch000007', how: 'name', organisation: { id: id(4) } },
      { name: '(sch000008) СОШ №4 (филиал)', login: 'sch000008', how: 'confirmed', organisation: { id: id(4) } },
    ], participants)).toEqual([]);
  });
});
