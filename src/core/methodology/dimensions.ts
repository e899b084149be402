/** Dimensions (`dimensions`: subject, grade, …): a row of a dimensional table is an organisation × dimension values,
 * not an organisation. Here: reading a dimension cell (aliases, «5 класс» → 5), the entity key of such a row, and the
 * values as the compute contract prints them (`{"subject": "Математика", "grade": 5}`). Pure. */
import type { DatasetDef, DimensionDef, Methodology } from './schema.ts';

const squash = (s: string) => s.replace(/[\s\u00A0\u202F]+/g, ' ').trim().toLowerCase().replace(/ё/g, 'е');

/** The allowed value a cell names (exactly, by an alias, or — for integers — by its leading number), or a Russian
 * message with the allowed values. */
export function readDimensionValue(def: DimensionDef, text: string): { ok: true; value: string } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: false, message: `пусто — не указано значение измерения «${def.title}»` };
  const wanted = squash(t);
  const exact = def.values.find((v) => squash(v) === wanted);
  if (exact !== undefined) return { ok: true, value: exact };
  for (const [alias, value] of Object.entries(def.aliases ?? {})) if (squash(alias) === wanted && def.values.includes(value)) return { ok: true, value };
  if (def.type === 'integer') {
    const m = /^\(?\s*(\d+)\s*(?:-?\s*(?:й|ой|ый)?\s*)?(?:класс[а-я]*|кл\.?|параллель)?\s*\)?$/i.exec(t);
    const n = m ? String(Number(m[1])) : null;
    if (n !== null && def.values.includes(n)) return { ok: true, value: n };
  }
  return {
    ok: false,
    message: `«${t}» — нет такого значения измерения «${def.title}» (допустимо: ${def.values.join(', ')}); если это другое написание, добавьте синоним в методику (dimensions → aliases)`,
  };
}

/** The dimensions of a dataset in the methodology's order of `dimensions`. */
export function datasetDimensions(m: Methodology, ds: DatasetDef): string[] {
  const own = Object.keys(ds.dimensions ?? {});
  return Object.keys(m.dimensions ?? {}).filter((d) => own.includes(d));
}

/** The entity key of an organisation × dimension values: «МБОУ СОШ № 4 · Математика · 5». */
export function dimensionalKey(name: string, values: Record<string, string>, order: readonly string[]): string {
  return [name, ...order.map((d) => values[d] ?? '')].join(' · ');
}

/** Dimension values as the contract prints them: integers as numbers. */
export function dimensionOutput(m: Methodology, values: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const d in values) {
    const v = values[d] as string;
    out[d] = m.dimensions?.[d]?.type === 'integer' ? Number(v) : v;
  }
  return out;
}
