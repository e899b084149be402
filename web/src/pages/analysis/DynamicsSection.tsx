/** Dynamics: this campaign against the previous one of the same methodology id — municipal values over the
 * campaigns (lines), the change per organisation with its direction, and the organisations that moved down a level. */
import type { Dynamics } from '../../../../src/core/analysis/index.ts';
import { DIRECTION_NAMES } from '../../../../src/core/analysis/index.ts';
import type { CampaignAnalysis } from '../../../../src/services/analysis/campaign-analysis.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { Chart } from './Chart.tsx';
import { fmt } from './ResultsSection.tsx';

const ARROW = { up: '▲', down: '▼', same: '=' } as const;

function change(v: number | null, d: Dynamics['rows'][number]['cells'][string]['direction']): string {
  if (v === null || d === null) return '—';
  return `${ARROW[d]} ${v > 0 ? '+' : ''}${formatNumber(v)}`;
}

export function DynamicsSection({ a }: { a: CampaignAnalysis }) {
  const d = a.dynamics;
  if (!a.previous || !d) {
    return (
      <section aria-labelledby="dyn-title">
        <h2 id="dyn-title">Динамика</h2>
        <p className="muted">Нет предыдущего мониторинга по методике «{a.methodology.id}» — сравнивать не с чем.</p>
      </section>
    );
  }
  const ids = [...new Set(a.series.flatMap((s) => Object.keys(s.values)))];
  const titles = new Map(a.model.municipal.map((m) => [m.indicator.id, m.indicator.code ?? m.indicator.title]));
  return (
    <section aria-labelledby="dyn-title">
      <h2 id="dyn-title">Динамика: {a.previous.periodLabel} → {a.campaign.periodLabel}</h2>
      <div className="table-wrap">
        <table className="table" data-testid="dynamics-municipal">
          <thead>
            <tr>
              <th scope="col">Показатель (муниципалитет)</th>
              <th scope="col" className="num">{a.previous.periodLabel}</th>
              <th scope="col" className="num">{a.campaign.periodLabel}</th>
              <th scope="col" className="num">Изменение</th>
              <th scope="col">Направление</th>
            </tr>
          </thead>
          <tbody>
            {d.municipal.map((m) => (
              <tr key={m.indicator.id}>
                <td>
                  {m.indicator.code ? `${m.indicator.code}. ` : ''}
                  {m.indicator.title}
                </td>
                <td className="num">{fmt(m.previous, m.indicator.unit, m.indicator.round)}</td>
                <td className="num">{fmt(m.current, m.indicator.unit, m.indicator.round)}</td>
                <td className="num">{change(m.change, m.direction)}</td>
                <td>{m.direction ? DIRECTION_NAMES[m.direction] : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {a.series.length > 1 && (
        <Chart
          label="Динамика значений по муниципалитету"
          height={260}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0 },
            grid: { left: 50, right: 20, top: 20, bottom: 50 },
            xAxis: { type: 'category', data: a.series.map((s) => s.campaign.periodLabel) },
            yAxis: { type: 'value' },
            series: ids.map((id) => ({ name: titles.get(id) ?? id, type: 'line', data: a.series.map((s) => s.values[id] ?? null) })),
          }}
        />
      )}

      <h3>Понизили уровень ({d.movedDown.length})</h3>
      {d.movedDown.length === 0 ? (
        <p className="muted">Ни одна организация не перешла на более низкий уровень.</p>
      ) : (
        <ul data-testid="moved-down">
          {d.movedDown.map((m) => (
            <li key={`${m.name}-${m.indicator}`}>
              {m.name} — {m.indicatorTitle}: «{m.from}» → «{m.to}»
            </li>
          ))}
        </ul>
      )}

      <h3>По организациям</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Организация</th>
              {d.indicators.map((i) => (
                <th key={i.id} scope="col" className="num" title={i.title}>
                  {i.code ?? i.id}: было → стало (изменение)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                {d.indicators.map((i) => {
                  const c = r.cells[i.id];
                  return (
                    <td key={i.id} className={`num${c?.levelChange === 'down' ? ' overdue-text' : ''}`}>
                      {fmt(c?.previous, i.unit, i.round)} → {fmt(c?.current, i.unit, i.round)} ({change(c?.change ?? null, c?.direction ?? null)})
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(d.onlyCurrent.length > 0 || d.onlyPrevious.length > 0) && (
        <p className="small muted">
          {d.onlyCurrent.length > 0 && `Только в этом мониторинге: ${d.onlyCurrent.join(', ')}. `}
          {d.onlyPrevious.length > 0 && `Только в предыдущем: ${d.onlyPrevious.join(', ')}.`}
        </p>
      )}
    </section>
  );
}
