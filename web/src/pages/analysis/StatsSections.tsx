/** Sections of the campaign analysis that read the server's model: municipal values against targets and regional
 * values, level distribution (counts and shares by type, chart), descriptive statistics, correlation (n, p),
 * clusters with the choice of k explained, breakdown tables (programme focus) with a chart, and the conclusions. */
import { useState } from 'react';
import type { AnalysisModel, ClusterAnalysis, CorrelationResult } from '../../../../src/core/analysis/index.ts';
import { typeName } from '../../../../src/core/analysis/index.ts';
import { formatNumber, formatPercent } from '../../../../src/core/format.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { Chart, type ChartOption } from './Chart.tsx';
import { fmt } from './ResultsSection.tsx';

const COMPARE: Record<string, string> = { above: 'выше', below: 'ниже', equal: 'равно' };
const LEVEL_COLORS = ['#2e7d32', '#7cb342', '#fbc02d', '#fb8c00', '#c62828'];

export function MunicipalSection({ model }: { model: AnalysisModel }) {
  if (!model.municipal.length) return null;
  return (
    <section aria-labelledby="municipal-title">
      <h2 id="municipal-title">Значения по муниципалитету</h2>
      <div className="table-wrap">
        <table className="table" data-testid="municipal-table">
          <thead>
            <tr>
              <th scope="col">Показатель</th>
              <th scope="col" className="num">Значение</th>
              <th scope="col">Уровень</th>
              <th scope="col" className="num">Целевой показатель</th>
              <th scope="col" className="num">Региональное значение</th>
            </tr>
          </thead>
          <tbody>
            {model.municipal.map((m) => (
              <tr key={m.indicator.id}>
                <td title={m.explanation}>
                  {m.indicator.code ? `${m.indicator.code}. ` : ''}
                  {m.indicator.title}
                  <div className="small muted">{m.kind === 'mean' ? 'среднее по организациям' : m.source}</div>
                </td>
                <td className="num">
                  {fmt(m.value, m.indicator.unit, m.indicator.round)}
                  {m.printed?.map((t) => (
                    <div key={t} className="printed-note" data-testid="printed-note">
                      {t}
                    </div>
                  ))}
                </td>
                <td>{m.level ?? '—'}</td>
                <td className="num">{m.target ? `${fmt(m.target.value, m.indicator.unit, null)} (${COMPARE[m.target.comparison]})` : '—'}</td>
                <td className="num">{m.regional ? `${fmt(m.regional.value, m.indicator.unit, null)} (${COMPARE[m.regional.comparison]})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function DistributionSection({ model }: { model: AnalysisModel }) {
  return (
    <section aria-labelledby="dist-title">
      <h2 id="dist-title">Распределение по уровням</h2>
      {model.distributions.length === 0 && <p className="muted">Нет показателей с уровнями.</p>}
      {model.distributions.map((d) => {
        const t = d.byType;
        const option: ChartOption = {
          tooltip: { trigger: 'axis' },
          legend: { bottom: 0 },
          grid: { left: 40, right: 20, top: 20, bottom: 50 },
          xAxis: { type: 'category', data: [...t.cols.map((c) => typeName(c, 'short')), 'Всего'] },
          yAxis: { type: 'value', name: 'организаций' },
          series: t.body.map((r, i) => ({ name: r.category, type: 'bar', stack: 'levels', itemStyle: { color: LEVEL_COLORS[i] }, data: [...r.cells.map((c) => c.count), r.total.count] })),
        };
        return (
          <div key={d.indicator.id} className="card">
            <h3>
              {d.indicator.code ? `${d.indicator.code}. ` : ''}
              {d.indicator.title}
            </h3>
            <div className="table-wrap">
              <table className="table" data-testid={`distribution-${d.indicator.id}`}>
                <caption className="small muted">Доля — от числа организаций данного типа; в столбце «Всего» — от всех организаций. Доли в каждом столбце в сумме дают 100 %.</caption>
                <thead>
                  <tr>
                    <th scope="col">Уровень</th>
                    {t.cols.map((c) => (
                      <th key={c} scope="col" className="num">
                        {typeName(c, 'short')}
                      </th>
                    ))}
                    <th scope="col" className="num">Всего</th>
                  </tr>
                </thead>
                <tbody>
                  {[...t.body, t.totals].map((r, k) => (
                    <tr key={r.category} className={k === t.body.length ? 'section-row' : undefined}>
                      <th scope="row">{r.category}</th>
                      {r.cells.map((c) => (
                        <td key={c.category} className="num">
                          {formatNumber(c.count)} ({formatPercent(c.share)})
                        </td>
                      ))}
                      <td className="num">
                        {formatNumber(r.total.count)} ({formatPercent(r.total.share)})
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Chart option={option} height={300} label={`Распределение организаций по уровням: ${d.indicator.title}`} />
          </div>
        );
      })}
    </section>
  );
}

export function StatisticsSection({ model }: { model: AnalysisModel }) {
  const f = (v: number | null, d = 2) => (v === null ? '—' : formatNumber(v, d));
  return (
    <section aria-labelledby="stats-title">
      <h2 id="stats-title">Описательная статистика</h2>
      <div className="table-wrap">
        <table className="table" data-testid="statistics-table">
          <thead>
            <tr>
              <th scope="col">Показатель, группа</th>
              {['n', 'Среднее', 'Медиана', 'Q1', 'Q3', 'Мин.', 'Макс.', 'Ст. откл.'].map((h) => (
                <th key={h} scope="col" className="num">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {model.statistics.flatMap((s) =>
              [{ label: `${s.indicator.code ?? s.indicator.id}: все организации`, st: s.all }, ...s.byType.map((b) => ({ label: `   ${typeName(b.type)}`, st: b.stats }))].map((x) => (
                <tr key={`${s.indicator.id}${x.label}`}>
                  <td>{x.label}</td>
                  <td className="num">{formatNumber(x.st.n)}</td>
                  <td className="num">{f(x.st.mean)}</td>
                  <td className="num">{f(x.st.median)}</td>
                  <td className="num">{f(x.st.q1)}</td>
                  <td className="num">{f(x.st.q3)}</td>
                  <td className="num">{f(x.st.min, 1)}</td>
                  <td className="num">{f(x.st.max, 1)}</td>
                  <td className="num">{f(x.st.sd)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

type CorrelationMethod = 'pearson' | 'spearman';
const CORRELATION_METHODS: { key: CorrelationMethod; label: string }[] = [
  { key: 'pearson', label: 'Пирсон' },
  { key: 'spearman', label: 'Спирмен' },
];

export function CorrelationSection({ correlation }: { correlation: { pearson: CorrelationResult; spearman: CorrelationResult } }) {
  const [method, setMethod] = useState<CorrelationMethod>('pearson');
  const c = correlation[method];
  const title = (code: string) => c.variables.find((v) => v.code === code)?.title ?? code;
  return (
    <section aria-labelledby="corr-title">
      <h2 id="corr-title">Корреляционный анализ</h2>
      <Tabs<CorrelationMethod> items={CORRELATION_METHODS} value={method} onChange={setMethod} label="Коэффициент корреляции">
      {c.note ? (
        <p className="muted">{c.note}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="correlation-table">
            <caption className="small muted">Связь между показателями и исходными данными организаций; уровень значимости α = {formatNumber(c.alpha)}.</caption>
            <thead>
              <tr>
                <th scope="col">Переменные</th>
                <th scope="col" className="num">{method === 'pearson' ? 'r' : 'ρ'}</th>
                <th scope="col" className="num">n</th>
                <th scope="col" className="num">p</th>
                <th scope="col">Вывод</th>
              </tr>
            </thead>
            <tbody>
              {c.pairs.map((p) => (
                <tr key={`${p.a}-${p.b}`} className={p.significant ? undefined : 'muted'}>
                  <td>
                    {title(p.a)} — {title(p.b)}
                  </td>
                  <td className="num">{p.correlation?.r === null || !p.correlation ? '—' : formatNumber(p.correlation.r, 2)}</td>
                  <td className="num">{p.correlation?.n ?? '—'}</td>
                  <td className="num">{p.correlation?.p === null || !p.correlation ? '—' : p.correlation.p < 0.001 ? '< 0,001' : formatNumber(p.correlation.p, 3)}</td>
                  <td>{p.interpretation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      </Tabs>
    </section>
  );
}

export function ClusterSection({ clusters }: { clusters: ClusterAnalysis }) {
  const r = clusters.result;
  return (
    <section aria-labelledby="cluster-title">
      <h2 id="cluster-title">Кластерный анализ</h2>
      <p data-testid="cluster-explanation">{clusters.explanation}</p>
      {r && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Группа</th>
                <th scope="col" className="num">Организаций</th>
                {clusters.indicators.map((i) => (
                  <th key={i.id} scope="col" className="num">
                    Среднее {i.code ?? i.id}
                  </th>
                ))}
                <th scope="col">Организации</th>
              </tr>
            </thead>
            <tbody>
              {r.clusters.map((c) => (
                <tr key={c.number}>
                  <td>{c.number}</td>
                  <td className="num">{formatNumber(c.members.length)}</td>
                  {c.centroid.map((x, j) => (
                    <td key={j} className="num">
                      {formatNumber(x, 1)}
                    </td>
                  ))}
                  <td className="small">{c.members.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function BreakdownSection({ model }: { model: AnalysisModel }) {
  const tables = model.groupTables.filter((g) => g.breakdown && g.inputTotals.length >= 2);
  if (!tables.length) return null;
  return (
    <section aria-labelledby="breakdown-title">
      <h2 id="breakdown-title">Структура</h2>
      {tables.map((g) => (
        <div key={g.datasetId} className="card">
          <h3>{g.datasetTitle}</h3>
          <Chart
            label={g.datasetTitle}
            height={280}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 50, right: 20, top: 20, bottom: 60 },
              xAxis: { type: 'category', data: g.inputs.map((i) => i.title.replace(/ направленность$/, '')), axisLabel: { interval: 0, rotate: 20, fontSize: 10 } },
              yAxis: { type: 'value' },
              series: g.rows.filter((r) => !r.isTotal).map((r) => ({ name: r.label, type: 'bar', stack: 'x', data: g.inputs.map((i) => r.inputs[i.id] ?? 0) })),
            }}
          />
          <ul className="small">
            {g.inputTotals.map((t) => (
              <li key={t.id}>
                {t.title}: {formatNumber(t.sum)} ({formatPercent(t.share)})
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** Figures the source documents printed that the recomputation does not confirm (the same list as the справка's
 * section «Расхождения с опубликованными данными»). */
export function DiscrepancySection({ model }: { model: AnalysisModel }) {
  if (!model.discrepancies.length) return null;
  return (
    <section aria-labelledby="discrepancy-title">
      <h2 id="discrepancy-title">Расхождения с опубликованными данными</h2>
      <div className="table-wrap">
        <table className="table" data-testid="discrepancies">
          <thead>
            <tr>
              <th scope="col">Строка</th>
              <th scope="col">Показатель</th>
              <th scope="col" className="num">Напечатано</th>
              <th scope="col" className="num">Вычислено</th>
              <th scope="col">Пояснение</th>
              {model.discrepancies.some((d) => d.cause) && <th scope="col">Как могло получиться</th>}
            </tr>
          </thead>
          <tbody>
            {model.discrepancies.map((d, i) => (
              <tr key={i}>
                <td>{d.label}</td>
                <td>{d.indicatorTitle}</td>
                <td className="num">{typeof d.published === 'number' ? formatNumber(d.published) : d.published}</td>
                <td className="num">{d.computed === null ? '—' : typeof d.computed === 'number' ? formatNumber(d.computed) : d.computed}</td>
                <td className="small">{d.explanation}</td>
                {model.discrepancies.some((x) => x.cause) && <td className="small">{d.cause ?? '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ConclusionsSection({ model }: { model: AnalysisModel }) {
  return (
    <section aria-labelledby="conclusions-title">
      <h2 id="conclusions-title">Выводы (сформированы по данным)</h2>
      <ol data-testid="conclusions">
        {model.conclusions.map((c) => (
          <li key={c.id}>{c.text}</li>
        ))}
      </ol>
    </section>
  );
}
