/** Per-subject results of a dimensional methodology (issue 22, ВПР per subject × grade): the ranking of the schools
 * within a chosen subject and grade by an indicator (or over every subject / grade by an aggregate the methodology
 * states), with the municipality's and the region's figures, and the table of signs of non-objectivity. The choices
 * come from the analysis model's `dimensional` view. The ranking of one work (every dimension chosen) and its change
 * against the previous campaign come from the server, computed from that work's rows alone for the chosen indicator
 * (`GET /api/campaigns/:id/analysis/work`, useWorkAnalysis.ts); an open selection («по всем предметам») — and an
 * indicator with no row in the work — is ranked here from the view by the same pure functions as the XLSX, except in a
 * compact view (a large campaign, `omittedRows`: dimensional-compact.ts), where every selection is ranked on the
 * server. The table of signs lists every work's, from the view (a compact view keeps every row with a sign). */
import { useMemo, useState } from 'react';
import type { DimensionalDynamics, DimensionalRanking, DimensionalView, DimensionSelection } from '../../../../src/core/analysis/index.ts';
import { dimensionalDynamics, dimensionsText, objectivitySigns, rankableMeasures, rankDimensional } from '../../../../src/core/analysis/index.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from './ResultsSection.tsx';
import { useWorkAnalysis } from './useWorkAnalysis.ts';

const ALL = '';

/** «+10,0 (было 80,0 %)», «нет данных» when the school had no value then. */
function changeText(x: { previous: number | null; change: number | null } | undefined, unit: string | null, round: number | null): string {
  if (!x || x.previous === null || x.change === null) return 'нет данных';
  return `${x.change > 0 ? '+' : ''}${formatNumber(x.change, round ?? 1)} (было ${fmt(x.previous, unit, round)})`;
}

/** The subject × grade of the first row (the first school in the methodology’s order of subjects), as the initial choice. */
function initialSelection(view: DimensionalView): DimensionSelection {
  const first = view.rows[0];
  return Object.fromEntries(view.dimensions.map((d) => [d.id, first?.dimensions[d.id] ?? d.values[0]?.value ?? null]));
}

/** `previous`: the previous campaign's view and its period, for the change of each school's value. */
export function DimensionalRankingSection({ view, previous }: { view: DimensionalView; previous?: { view: DimensionalView; label: string } | null }) {
  const [sel, setSel] = useState<DimensionSelection>(() => initialSelection(view));
  const measures = useMemo(() => rankableMeasures(view, sel), [view, sel]);
  const [wanted, setWanted] = useState('');
  const measure = measures.find((x) => x.id === wanted) ?? measures[0];
  // A compact view (a large campaign: only the first row and the signs came) ranks nothing itself: every selection,
  // an open one too, comes from the server.
  const compact = (view.omittedRows ?? 0) > 0;
  // One work: its ranking from the server (the view stays for the choices and the open selections).
  const work = useMemo(() => {
    if (!view.dimensions.length) return null;
    if (view.dimensions.every((d) => sel[d.id])) return sel as Record<string, string>;
    return compact ? (Object.fromEntries(Object.entries(sel).filter(([, v]) => v)) as Record<string, string>) : null;
  }, [view, sel, compact]);
  const fetched = useWorkAnalysis(work, measure?.id ?? null);
  const served = measure && fetched.data ? fetched.data.rankings.find((x) => x.ranking.measure.id === measure.id) : undefined;
  let ranking: DimensionalRanking | null;
  let dyn: DimensionalDynamics | null;
  if (served) {
    ranking = served.ranking;
    dyn = previous ? served.dynamics : null;
  } else if (compact) {
    ranking = null;
    dyn = null;
  } else {
    ranking = measure && (!work || fetched.data) ? rankDimensional(view, sel, measure.id) : null;
    dyn = ranking && measure && previous ? dimensionalDynamics(view, previous.view, sel, measure.id) : null;
  }
  const before = new Map(dyn?.rows.map((x) => [x.name, x]) ?? []);
  const canOpen = view.aggregates.length > 0;
  const label = dimensionsText(view, sel);
  const unit = ranking?.measure.unit ?? null;
  const round = ranking?.measure.round ?? null;

  return (
    <section aria-labelledby="dimensional-title">
      <h2 id="dimensional-title">Рейтинг по предметам</h2>
      <div className="filters">
        {view.dimensions.map((d) => (
          <label key={d.id} className="inline-field">
            {d.title}{' '}
            <select value={sel[d.id] ?? ALL} onChange={(e) => setSel({ ...sel, [d.id]: e.target.value || null })} aria-label={d.title}>
              {canOpen && <option value={ALL}>{d.id === 'subject' ? 'по всем предметам' : `все (${d.title.toLowerCase()})`}</option>}
              {d.values.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className="inline-field">
          Показатель{' '}
          <select value={measure?.id ?? ''} onChange={(e) => setWanted(e.target.value)} aria-label="Показатель рейтинга">
            {measures.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      {compact && (
        <p className="small muted" data-testid="dimensional-compact">
          Строк по предметам и классам: {formatNumber(view.rows.length + (view.omittedRows ?? 0), 0)} — рейтинг каждого выбора вычисляется на сервере по строкам этого выбора.
        </p>
      )}
      {work && fetched.loading ? (
        <Loading />
      ) : work && fetched.error ? (
        <ErrorBox error={`Рейтинг по работе не загружен: ${fetched.error.message}`} />
      ) : !ranking || ranking.entries.length === 0 ? (
        <p className="muted">Нет значений для выбранных предмета и класса{measures.length ? '' : ': методика не задаёт сводного показателя для такого выбора'}.</p>
      ) : (
        <>
          <p className="small" data-testid="dimensional-comparison">
            {ranking.municipality ? `Муниципалитет: ${fmt(ranking.municipality.value, unit, round)} (${ranking.municipality.source})` : 'Муниципалитет: —'}
            {' · '}
            {ranking.region ? `Регион: ${fmt(ranking.region.value, unit, round)} (${ranking.region.source})` : 'Регион: —'}
            {dyn?.municipality && previous && dyn.municipality.previous !== null && ` · Муниципалитет в ${previous.label}: ${fmt(dyn.municipality.previous, unit, round)}`}
          </p>
          <div className="table-wrap" role="region" aria-label={`Рейтинг: ${label}`} tabIndex={0}>
            <table className="table" data-testid="dimensional-ranking">
              <caption>
                {ranking.measure.title} — {label}
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="num">Место</th>
                  <th scope="col">Организация</th>
                  <th scope="col" className="num">Значение</th>
                  <th scope="col" className="num">К муниципалитету</th>
                  <th scope="col" className="num">К региону</th>
                  {dyn && previous && <th scope="col" className="num">Изменение ({previous.label})</th>}
                  {ranking.measure.hasLevels && <th scope="col">Уровень</th>}
                </tr>
              </thead>
              <tbody>
                {ranking.entries.map((e) => {
                  const diff = (ref: { value: number } | null) => {
                    if (!ref || e.value === null) return '—';
                    const d = e.value - ref.value;
                    return `${d > 0 ? '+' : ''}${formatNumber(d, round ?? 1)}`;
                  };
                  return (
                    <tr key={e.name}>
                      <td className="num">{e.rank === null ? '—' : `${e.rank}${e.tied ? '*' : ''}`}</td>
                      <td>{e.name}</td>
                      <td className="num" title={e.explanation}>
                        {fmt(e.value, unit, round)}
                      </td>
                      <td className="num">{diff(ranking.municipality)}</td>
                      <td className="num">{diff(ranking.region)}</td>
                      {dyn && <td className="num">{changeText(before.get(e.name), unit, round)}</td>}
                      {ranking.measure.hasLevels && <td>{e.level ?? '—'}</td>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="small muted">
            Разность — в единицах показателя{unit === '%' ? ' (процентные пункты)' : ''}; * — то же значение у нескольких организаций. Наведите на значение, чтобы увидеть расчёт.
          </p>
        </>
      )}
    </section>
  );
}

export function ObjectivitySection({ view }: { view: DimensionalView }) {
  const o = view.objectivity;
  if (!o) return null;
  const signs = objectivitySigns(view);
  return (
    <section aria-labelledby="objectivity-title">
      <h2 id="objectivity-title">Признаки необъективности</h2>
      <p className="small muted">{o.indicator.title}: «да» по формуле методики. Порог задан методикой; показаны значения, по которым признак вычислен.</p>
      {signs.length === 0 ? (
        <p>Признаков необъективности не выявлено.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Признаки необъективности" tabIndex={0}>
          <table className="table" data-testid="objectivity-signs">
            <caption className="visually-hidden">Организации, предметы и классы с признаком необъективности</caption>
            <thead>
              <tr>
                <th scope="col">Организация</th>
                {view.dimensions.map((d) => (
                  <th key={d.id} scope="col">
                    {d.title}
                  </th>
                ))}
                {o.inputs.map((i) => (
                  <th key={i.id} scope="col" className="num">
                    {i.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {signs.map((s) => (
                <tr key={`${s.organisation}|${Object.values(s.dimensions).join('|')}`} title={s.explanation}>
                  <td>{s.organisation}</td>
                  {view.dimensions.map((d) => (
                    <td key={d.id}>{d.values.find((v) => v.value === s.dimensions[d.id])?.label ?? s.dimensions[d.id]}</td>
                  ))}
                  {s.figures.map((f) => {
                    // The school's share beside the report's region and municipality rows (e.g. «повысили»), as a hint.
                    const c = s.compared.find((x) => x.id === f.id);
                    const hint = c && (c.region !== null || c.municipality !== null) ? `регион: ${fmt(c.region, c.unit, 1)}; муниципалитет: ${fmt(c.municipality, c.unit, 1)}` : undefined;
                    return (
                      <td key={f.id} className="num" title={hint}>
                        {fmt(f.value, f.unit, 1)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
