/** The methodology editor's municipal figures (`aggregates`): title, how it is computed (mean of the organisations'
 * values, ratio of sums, median, min, max, counts or shares by level), of which indicator (or numerator and
 * denominator), rounded or unrounded values, rounding, the scale it is judged by. Grouping and printed values are kept
 * as they were. */
import type { AggregateDef, Methodology } from '../../../src/core/methodology/schema.ts';
import { AGGREGATE_METHOD_NAMES } from '../../../src/core/methodology/schema.ts';
import { Field } from '../components/Field.tsx';
import { numberText, parseNumber } from './BandsEditor.tsx';

export interface AggregateDraft {
  title: string;
  method: AggregateDef['method'];
  of: string;
  values: '' | 'rounded' | 'unrounded';
  numerator: string;
  denominator: string;
  multiplier: string;
  round: string;
  scale: string;
  /** group_by, published: kept. */
  rest: Partial<AggregateDef>;
}

export function aggregateDraft(a: AggregateDef): AggregateDraft {
  const { title, method, of, values, numerator, denominator, multiplier, round, scale, ...rest } = a;
  return { title, method, of: of ?? '', values: values ?? '', numerator: numerator ?? '', denominator: denominator ?? '', multiplier: numberText(multiplier), round: numberText(round), scale: scale ?? '', rest };
}

export function aggregateOf(id: string, d: AggregateDraft): { ok: true; def: AggregateDef } | { ok: false; message: string } {
  const where = `итоговый показатель «${d.title || id}»`;
  if (!d.title.trim()) return { ok: false, message: `${where}: нет названия` };
  const round = parseNumber(d.round);
  if (round === null || (round !== undefined && (!Number.isInteger(round) || round < 0 || round > 6))) return { ok: false, message: `${where}: знаков после запятой — целое от 0 до 6` };
  const multiplier = parseNumber(d.multiplier);
  if (multiplier === null) return { ok: false, message: `${where}: множитель — число` };
  const def: AggregateDef = { ...d.rest, title: d.title.trim(), method: d.method };
  if (d.method === 'ratio_of_sums') {
    if (!d.numerator || !d.denominator) return { ok: false, message: `${where}: для отношения сумм выберите числитель и знаменатель` };
    def.numerator = d.numerator;
    def.denominator = d.denominator;
    if (multiplier !== undefined) def.multiplier = multiplier;
  } else {
    if (!d.of) return { ok: false, message: `${where}: выберите показатель` };
    def.of = d.of;
    if (d.values) def.values = d.values;
  }
  if (round !== undefined) def.round = round;
  if (d.scale) def.scale = d.scale;
  return { ok: true, def };
}

export function AggregatesEditor({ m, drafts, onChange }: { m: Methodology; drafts: Record<string, AggregateDraft>; onChange: (d: Record<string, AggregateDraft>) => void }) {
  const ids = Object.keys(drafts);
  if (ids.length === 0) return null;
  const indicators = Object.entries(m.indicators);
  const names = [...Object.entries(m.inputs).map(([id, d]) => [id, `вход: ${d.title}`] as const), ...indicators.map(([id, d]) => [id, `показатель ${d.code ?? ''} ${d.title}`] as const)];
  return (
    <section aria-labelledby="aggregates-title">
      <h2 id="aggregates-title">Итоги по муниципалитету</h2>
      {ids.map((id) => {
        const d = drafts[id] as AggregateDraft;
        const set = (patch: Partial<AggregateDraft>) => onChange({ ...drafts, [id]: { ...d, ...patch } });
        const check = aggregateOf(id, d);
        const name = `Итог «${d.title || id}»`;
        return (
          <details key={id} className="card">
            <summary>{d.title || id}{d.rest.group_by ? ` (по группам: ${d.rest.group_by})` : ''}</summary>
            {!check.ok && <p className="field-error">{check.message}</p>}
            <Field label={`${name}: название`}>
              <input value={d.title} onChange={(e) => set({ title: e.target.value })} />
            </Field>
            <div className="form-row">
              <Field label={`${name}: как считается`}>
                <select value={d.method} onChange={(e) => set({ method: e.target.value as AggregateDef['method'] })}>
                  {Object.entries(AGGREGATE_METHOD_NAMES).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
                </select>
              </Field>
              {d.method === 'ratio_of_sums' ? (
                <Field label={`${name}: множитель`} hint="100 — проценты">
                  <input inputMode="decimal" value={d.multiplier} onChange={(e) => set({ multiplier: e.target.value })} />
                </Field>
              ) : (
                <Field label={`${name}: значения организаций`}>
                  <select value={d.values} onChange={(e) => set({ values: e.target.value as AggregateDraft['values'] })}>
                    <option value="">округлённые (по умолчанию)</option>
                    <option value="rounded">округлённые</option>
                    <option value="unrounded">неокруглённые</option>
                  </select>
                </Field>
              )}
            </div>
            {d.method === 'ratio_of_sums' ? (
              <div className="form-row">
                {(['numerator', 'denominator'] as const).map((k) => (
                  <Field key={k} label={`${name}: ${k === 'numerator' ? 'числитель' : 'знаменатель'}`}>
                    <select value={d[k]} onChange={(e) => set({ [k]: e.target.value })}>
                      <option value="">—</option>
                      {names.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
                    </select>
                  </Field>
                ))}
              </div>
            ) : (
              <Field label={`${name}: показатель`}>
                <select value={d.of} onChange={(e) => set({ of: e.target.value })}>
                  <option value="">—</option>
                  {indicators.map(([v, def]) => <option key={v} value={v}>{def.code ? `${def.code} ` : ''}{def.title}</option>)}
                </select>
              </Field>
            )}
            <div className="form-row">
              <Field label={`${name}: знаков после запятой`}>
                <input inputMode="numeric" value={d.round} onChange={(e) => set({ round: e.target.value })} />
              </Field>
              <Field label={`${name}: шкала`}>
                <select value={d.scale} onChange={(e) => set({ scale: e.target.value })}>
                  <option value="">без шкалы</option>
                  {Object.entries(m.scales ?? {}).map(([k, s]) => <option key={k} value={k}>{s.title ?? k}</option>)}
                </select>
              </Field>
            </div>
          </details>
        );
      })}
    </section>
  );
}
