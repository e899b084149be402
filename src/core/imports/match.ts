/** Matching file rows to organisations: by ИНН, by registry number, or by name (exact after normalisation, else
 * fuzzy candidates the analyst confirms). Also suggests which input a column is, by its header. Pure. */
import type { MatchMode } from './schema.ts';

export interface OrgRef {
  id: string;
  no: number;
  inn: string | null;
  shortName: string;
  fullName: string;
  /** «Логин ФИС ОКО» (issue 22): ФИС ОКО reports are matched by it first. */
  fisokoLogin?: string | null;
  /** The organisation's form is with the reviewer (submitted) or closed (accepted): imports may not change it. */
  locked: 'submitted' | 'accepted' | null;
}

export interface Candidate {
  org: OrgRef;
  score: number;
}

export type MatchOutcome =
  | { kind: 'ok'; org: OrgRef }
  | { kind: 'invalid'; message: string }
  | { kind: 'unknown'; message: string }
  | { kind: 'fuzzy' | 'ambiguous' | 'unmatched'; candidates: Candidate[] };

/** Legal-form abbreviations that say nothing about which organisation it is. */
const NOISE = new Set(['мбоу', 'маоу', 'мкоу', 'моу', 'мадоу', 'мбдоу', 'мкдоу', 'мдоу', 'мбу', 'мау', 'мку', 'мбудо', 'маудо', 'мбоудо', 'г', 'с', 'д', 'п', 'город', 'село']);

/** Lower case, ё → е, no quotes or punctuation, «№ 5» → «№5», legal forms dropped, single spaces. */
export function normaliseName(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"'“”„`]/g, ' ')
    .replace(/№\s*/g, '№')
    .replace(/[^\p{L}\p{N}№]+/gu, ' ')
    .split(' ')
    .filter((w) => w && !NOISE.has(w))
    .join(' ');
}

/** Digits of a ИНН; a spreadsheet may have dropped the leading zero of a number cell (9 or 11 digits). */
export function normaliseInn(text: string): string | null {
  const t = text.replace(/[\s\u00A0']/g, '');
  if (!/^\d+$/.test(t)) return null;
  if (t.length === 9 || t.length === 11) return `0${t}`;
  return t.length === 10 || t.length === 12 ? t : null;
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = ` ${s} `;
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Sørensen–Dice coefficient over character bigrams, 0–1. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  let total = 0;
  for (const [g, n] of x) {
    common += Math.min(n, y.get(g) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return (2 * common) / total;
}

const numbers = (s: string) => (s.match(/\d+/g) ?? []).join(' ');

/** Similarity of a name to an organisation: the better of its short and full names; different numbers (№1 vs №11)
 * never match. */
export function nameScore(normalised: string, org: OrgRef): number {
  let best = 0;
  for (const n of [normaliseName(org.shortName), normaliseName(org.fullName)]) {
    if (numbers(n) !== numbers(normalised) && numbers(normalised) !== '') continue;
    const contains = n.length >= 2 && (` ${normalised} `.includes(` ${n} `) || ` ${n} `.includes(` ${normalised} `)) ? 0.85 : 0;
    best = Math.max(best, similarity(n, normalised), contains);
  }
  return Math.round(best * 100) / 100;
}

export const FUZZY_MIN = 0.55;

export class OrgIndex {
  private readonly byInn = new Map<string, OrgRef>();
  /** Registry numbers are unique within a municipality only: a regional campaign may hold one number twice. */
  private readonly byNo = new Map<number, OrgRef[]>();
  private byNameCache: Map<string, OrgRef[]> | null = null;
  private readonly byId = new Map<string, OrgRef>();
  private readonly fuzzyCache = new Map<string, MatchOutcome>();

  constructor(readonly orgs: readonly OrgRef[]) {
    for (const o of orgs) {
      this.byId.set(o.id, o);
      if (o.inn) this.byInn.set(o.inn, o);
      const same = this.byNo.get(o.no);
      if (same) same.push(o);
      else this.byNo.set(o.no, [o]);
    }
  }

  /** Normalised names, built on the first match by name (matching by ИНН or number never needs them). */
  private get byName(): Map<string, OrgRef[]> {
    if (this.byNameCache) return this.byNameCache;
    const m = new Map<string, OrgRef[]>();
    for (const o of this.orgs) {
      for (const n of new Set([normaliseName(o.shortName), normaliseName(o.fullName)])) {
        const list = m.get(n);
        if (list) list.push(o);
        else m.set(n, [o]);
      }
    }
    this.byNameCache = m;
    return m;
  }

  get(id: string): OrgRef | undefined {
    return this.byId.get(id);
  }

  /** The organisation a key cell names. `confirmed` maps a name as written to an organisation id (or null: skip). */
  match(mode: MatchMode, text: string): MatchOutcome {
    const t = text.trim();
    if (mode === 'inn') {
      const inn = normaliseInn(t);
      if (!inn) return { kind: 'invalid', message: `«${t}» — ИНН должен состоять из 10 или 12 цифр` };
      const o = this.byInn.get(inn);
      return o ? { kind: 'ok', org: o } : { kind: 'unknown', message: `ИНН ${inn} не найден среди участников мониторинга` };
    }
    if (mode === 'code') {
      const c = t.replace(/^№\s*/, '');
      if (!/^\d+$/.test(c)) return { kind: 'invalid', message: `«${t}» — номер в реестре должен быть целым числом` };
      const found = this.byNo.get(Number(c)) ?? [];
      if (found.length > 1) return { kind: 'invalid', message: `номер ${Number(c)} есть у нескольких участников мониторинга из разных муниципалитетов — сопоставьте организации по ИНН` };
      const o = found[0];
      return o ? { kind: 'ok', org: o } : { kind: 'unknown', message: `организация с номером ${Number(c)} не участвует в мониторинге` };
    }
    const n = normaliseName(t);
    const exact = this.byName.get(n);
    if (exact && exact.length === 1 && exact[0]) return { kind: 'ok', org: exact[0] };
    const cached = this.fuzzyCache.get(n);
    if (cached) return cached;
    const scored = (exact && exact.length > 1 ? exact.map((org) => ({ org, score: 1 })) : this.orgs.map((org) => ({ org, score: nameScore(n, org) })))
      .filter((c) => c.score >= FUZZY_MIN)
      .sort((a, b) => b.score - a.score || a.org.no - b.org.no)
      .slice(0, 5);
    const [first, second] = scored;
    const outcome: MatchOutcome = !first
      ? { kind: 'unmatched', candidates: [] }
      : second && second.score >= first.score - 0.1
        ? { kind: 'ambiguous', candidates: scored }
        : { kind: 'fuzzy', candidates: scored };
    this.fuzzyCache.set(n, outcome);
    return outcome;
  }
}

export interface FieldLike {
  name: string;
  title: string;
  evidence: 'required' | 'optional' | null;
}

/** Suggested mapping for a header: a column whose text equals an input's name or title (after normalisation), or is
 * close enough to it, maps to that input; each input at most once. Also the key column and how to match by it. */
export function suggestSettings(header: readonly string[], fields: readonly FieldLike[]): { columns: Record<string, string>; match: { mode: MatchMode; column: string } | null } {
  const columns: Record<string, string> = {};
  const used = new Set<string>();
  const scored: { column: string; target: string; score: number }[] = [];
  for (const h of header) {
    const hn = normaliseName(h);
    if (!hn) continue;
    for (const f of fields) {
      const tn = normaliseName(f.title);
      // «Количество программ ДО» names «Количество программ ДО, размещённых … в ИС «Навигатор»»: a long common start.
      const prefix = hn.length >= 12 && (tn.startsWith(hn) || hn.startsWith(tn)) ? 0.8 : 0;
      const s = Math.max(h.trim() === f.name ? 1 : 0, similarity(hn, tn), hn === normaliseName(f.name) ? 1 : 0, prefix);
      if (s >= 0.6) scored.push({ column: h, target: f.name, score: s });
      if (f.evidence && /ссылк|подтвержд|url|адрес/i.test(h) && similarity(hn, normaliseName(f.title)) >= 0.3) scored.push({ column: h, target: `${f.name}#evidence`, score: 0.7 });
    }
  }
  scored.sort((a, b) => b.score - a.score);
  for (const s of scored) {
    if (used.has(s.target) || s.column in columns) continue;
    columns[s.column] = s.target;
    used.add(s.target);
  }
  const free = header.filter((h) => !(h in columns));
  const inn = free.find((h) => /инн|inn/i.test(h));
  const code = free.find((h) => /^(№|no|номер|код|code)\b|номер в реестре|код оо/i.test(h.trim()));
  const name = free.find((h) => /наименование|название|организаци|^оо$|^name$/i.test(h.trim()));
  const match = inn ? { mode: 'inn' as const, column: inn } : code ? { mode: 'code' as const, column: code } : name ? { mode: 'name' as const, column: name } : null;
  return { columns, match };
}
