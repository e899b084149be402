/** The bands of one scale as an editable table: lower and upper bound (each «включительно» or not, empty = open),
 * level, points and the text as the document prints it; bands can be added and removed. Numbers are typed the
 * Russian way («2,6»); a cell that is not a number is named under the table and keeps the band from being sent. */
import type { Band, LevelCode } from '../../../src/core/methodology/schema.ts';
import { LEVEL_NAMES } from '../../../src/core/methodology/schema.ts';

/** A band as the form holds it: numbers as typed text. */
export interface BandDraft {
  from: string;
  fromExclusive: boolean;
  to: string;
  toExclusive: boolean;
  level: LevelCode | '';
  points: string;
  label: string;
  /** Fields of the band the form does not edit (nominal_from/nominal_to), kept as they were. */
  rest: Partial<Band>;
}

/** A number as the form shows it for editing: «2,6», empty when absent. */
export const numberText = (n: number | undefined) => (n === undefined ? '' : String(n).replace('.', ','));

export function bandDraft(b: Band): BandDraft {
  const { from, from_exclusive, to, to_exclusive, level, points, label, ...rest } = b;
  return { from: numberText(from), fromExclusive: from_exclusive === true, to: numberText(to), toExclusive: to_exclusive === true, level: level ?? '', points: numberText(points), label: label ?? '', rest };
}

/** The number typed, `undefined` for an empty cell, `null` for one that is not a number. */
export function parseNumber(s: string): number | undefined | null {
  const t = s.trim().replace(/\s/g, '').replace(',', '.').replace('−', '-');
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : null;
}

/** The band to save, or the Russian message about a cell that is not a number. */
export function bandOf(d: BandDraft, n: number): { ok: true; band: Band } | { ok: false; message: string } {
  const from = parseNumber(d.from);
  const to = parseNumber(d.to);
  const points = parseNumber(d.points);
  for (const [v, name, raw] of [[from, 'от', d.from], [to, 'до', d.to], [points, 'баллы', d.points]] as const)
    if (v === null) return { ok: false, message: `полоса ${n + 1}, «${name}»: «${raw}» — не число` };
  const band: Band = { ...d.rest };
  if (d.level) band.level = d.level;
  if (from !== undefined && from !== null) {
    band.from = from;
    if (d.fromExclusive) band.from_exclusive = true;
  }
  if (to !== undefined && to !== null) {
    band.to = to;
    if (d.toExclusive) band.to_exclusive = true;
  }
  if (points !== undefined && points !== null) band.points = points;
  if (d.label.trim()) band.label = d.label.trim();
  return { ok: true, band };
}

const EMPTY: BandDraft = { from: '', fromExclusive: false, to: '', toExclusive: false, level: '', points: '', label: '', rest: {} };

export function BandsEditor({ caption, bands, onChange }: { caption: string; bands: BandDraft[]; onChange: (b: BandDraft[]) => void }) {
  const set = (i: number, patch: Partial<BandDraft>) => onChange(bands.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const problems = bands.map((b, i) => bandOf(b, i)).filter((r): r is { ok: false; message: string } => !r.ok);
  return (
    <div className="table-wrap">
      <table className="table bands-editor" aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">№</th>
            <th scope="col">От</th>
            <th scope="col">Не включая «от»</th>
            <th scope="col">До</th>
            <th scope="col">Не включая «до»</th>
            <th scope="col">Уровень</th>
            <th scope="col">Баллы</th>
            <th scope="col">Как в документе</th>
            <th scope="col"><span className="visually-hidden">Действия</span></th>
          </tr>
        </thead>
        <tbody>
          {bands.map((b, i) => {
            const n = `${caption}, полоса ${i + 1}`;
            return (
              <tr key={i}>
                <td>{i + 1}</td>
                <td><input inputMode="decimal" size={6} aria-label={`${n}: от`} value={b.from} onChange={(e) => set(i, { from: e.target.value })} /></td>
                <td><input type="checkbox" aria-label={`${n}: граница «от» не входит`} checked={b.fromExclusive} onChange={(e) => set(i, { fromExclusive: e.target.checked })} /></td>
                <td><input inputMode="decimal" size={6} aria-label={`${n}: до`} value={b.to} onChange={(e) => set(i, { to: e.target.value })} /></td>
                <td><input type="checkbox" aria-label={`${n}: граница «до» не входит`} checked={b.toExclusive} onChange={(e) => set(i, { toExclusive: e.target.checked })} /></td>
                <td>
                  <select aria-label={`${n}: уровень`} value={b.level} onChange={(e) => set(i, { level: e.target.value as LevelCode | '' })}>
                    <option value="">—</option>
                    {Object.entries(LEVEL_NAMES).map(([code, name]) => <option key={code} value={code}>{name}</option>)}
                  </select>
                </td>
                <td><input inputMode="decimal" size={4} aria-label={`${n}: баллы`} value={b.points} onChange={(e) => set(i, { points: e.target.value })} /></td>
                <td><input size={16} aria-label={`${n}: как в документе`} value={b.label} onChange={(e) => set(i, { label: e.target.value })} /></td>
                <td>
                  <button type="button" className="btn" disabled={bands.length <= 1} onClick={() => onChange(bands.filter((_, j) => j !== i))} aria-label={`Удалить: ${n}`}>
                    Удалить
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" className="btn" onClick={() => onChange([...bands, { ...EMPTY }])}>
        Добавить полосу
      </button>
      {problems.length > 0 && (
        <ul className="field-error">
          {problems.map((p) => <li key={p.message}>{p.message}</li>)}
        </ul>
      )}
    </div>
  );
}
