/** «Регион» (issue 9): the regional analyst compares the municipalities that ran the same methodology — ranking by
 * a chosen figure, level distribution per municipality, dynamics across years — and downloads the regional report. */
import { useEffect, useState } from 'react';
import type { RegionDistributionDto, RegionDynamicsDto, RegionOverviewDto, RegionRankingDto } from '../../../../src/core/region/api-schema.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { RegionalCampaigns } from './RegionalCampaigns.tsx';
import { RegionSubjects } from './RegionSubjects.tsx';

const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(v, 1));
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

export function RegionPage() {
  const overview = useFetch<RegionOverviewDto>('/api/region');
  const [methodologyId, setMethodologyId] = useState('');
  const [period, setPeriod] = useState('');
  const [metric, setMetric] = useState('');
  const methodologies = overview.data?.methodologies ?? [];
  const m = methodologies.find((x) => x.id === methodologyId);

  useEffect(() => {
    // Prefer a methodology with a level scale (talents-2021): its comparison has all three views.
    const first = methodologies.find((x) => x.levelIndicators.length > 0 && x.metrics.length > 0) ?? methodologies.find((x) => x.metrics.length > 0);
    if (!methodologyId && first) setMethodologyId(first.id);
  }, [methodologies, methodologyId]);
  useEffect(() => {
    if (!m) return;
    if (!m.periods.some((p) => p.code === period)) setPeriod(m.periods[m.periods.length - 1]?.code ?? '');
    if (!m.metrics.some((x) => x.metric === metric)) setMetric(m.metrics[0]?.metric ?? '');
  }, [m, period, metric]);

  const ready = !!m && !!period && !!metric && m.metrics.some((x) => x.metric === metric) && m.periods.some((p) => p.code === period);
  const indicator = m?.levelIndicators[0]?.id;
  const ranking = useFetch<RegionRankingDto>(ready ? `/api/region/ranking?${q({ methodologyId, period, metric })}` : null);
  const distribution = useFetch<RegionDistributionDto>(ready && indicator ? `/api/region/distribution?${q({ methodologyId, period, indicator })}` : null);
  const dynamics = useFetch<RegionDynamicsDto>(ready ? `/api/region/dynamics?${q({ methodologyId, metric })}` : null);

  if (overview.error) return <PageError error={overview.error} />;
  if (!overview.data) return <Loading />;
  const { region, municipalities } = overview.data;
  return (
    <section aria-labelledby="region-title">
      <div className="page-head">
        <h1 id="region-title">Регион: {region.name}</h1>
      </div>
      {region.synthetic && <p className="notice">Данные синтетические: созданы командой <code>msoko generate</code> и не описывают реальные организации.</p>}
      <p className="muted">
        Муниципалитетов: {municipalities.length}; организаций: {municipalities.reduce((s, x) => s + x.organisations, 0)}. В сравнении участвуют только опубликованные мониторинги.
      </p>
      <RegionalCampaigns municipalities={municipalities} />
      <h2>Сравнение муниципалитетов</h2>
      {methodologies.length === 0 ? (
        <p className="empty">В муниципалитетах региона пока нет опубликованных мониторингов.</p>
      ) : (
        <form className="form-row" aria-label="Что сравнивать" onSubmit={(e) => e.preventDefault()}>
          <label>
            Методика{' '}
            <select value={methodologyId} onChange={(e) => setMethodologyId(e.target.value)}>
              {methodologies.map((x) => (
                <option key={x.id} value={x.id} disabled={x.metrics.length === 0}>
                  {x.title}
                  {x.metrics.length === 0 ? ' — нет числовых показателей' : ''}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Период{' '}
            <select value={period} onChange={(e) => setPeriod(e.target.value)}>
              {m?.periods.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Показатель{' '}
            <select value={metric} onChange={(e) => setMetric(e.target.value)}>
              {m?.metrics.map((x) => (
                <option key={x.metric} value={x.metric}>
                  {x.title}
                </option>
              ))}
            </select>
          </label>{' '}
          {ready && (
            <p>
              <a href={`/api/region/report.docx?${q({ methodologyId, period, metric })}`}>Скачать аналитическую справку (DOCX)</a>
            </p>
          )}
        </form>
      )}

      {ranking.error ? <PageError error={ranking.error} /> : ranking.data && (
        <div className="table-wrap">
          <table className="table">
            <caption>Рейтинг муниципалитетов: {ranking.data.metric.title}, {ranking.data.periodLabel}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">Место</th>
                <th scope="col">Муниципалитет</th>
                <th scope="col" className="num">Значение{ranking.data.metric.unit ? `, ${ranking.data.metric.unit}` : ''}</th>
                <th scope="col" className="num">Организаций</th>
              </tr>
            </thead>
            <tbody>
              {ranking.data.rows.map((r) => (
                <tr key={r.municipalityId}>
                  <td className="num">{r.rank ?? '—'}</td>
                  <td>{r.municipality}</td>
                  <td className="num">{num(r.value)}</td>
                  <td className="num">{formatNumber(r.organisations)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {distribution.data && (
        <div className="table-wrap">
          <table className="table">
            <caption>Распределение организаций по уровням: {distribution.data.indicator.title} (число и доля, %)</caption>
            <thead>
              <tr>
                <th scope="col">Муниципалитет</th>
                <th scope="col" className="num">Оценено</th>
                {distribution.data.levels.map((l) => (
                  <th key={l.code} scope="col" className="num">{l.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {distribution.data.rows.map((r) => (
                <tr key={r.municipalityId}>
                  <td>{r.municipality}</td>
                  <td className="num">{formatNumber(r.rated)}</td>
                  {distribution.data?.levels.map((l) => (
                    <td key={l.code} className="num">
                      {r.counts[l.code]} <span className="muted small">({num(r.shares[l.code])} %)</span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dynamics.data && (
        <div className="table-wrap">
          <table className="table">
            <caption>Динамика: {dynamics.data.metric.title}</caption>
            <thead>
              <tr>
                <th scope="col">Муниципалитет</th>
                {dynamics.data.periods.map((p) => (
                  <th key={p.code} scope="col" className="num">{p.label}</th>
                ))}
                <th scope="col" className="num">Изменение</th>
              </tr>
            </thead>
            <tbody>
              {dynamics.data.rows.map((r) => (
                <tr key={r.municipalityId}>
                  <td>{r.municipality}</td>
                  {r.values.map((v, i) => (
                    <td key={i} className="num">{num(v)}</td>
                  ))}
                  <td className="num">{r.change === null ? '—' : `${r.change > 0 ? '+' : ''}${num(r.change)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {m?.dimensional && period && m.periods.some((p) => p.code === period) && <RegionSubjects methodologyId={m.id} period={period} />}

      <div className="table-wrap">
        <table className="table">
          <caption>Муниципалитеты региона</caption>
          <thead>
            <tr>
              <th scope="col">Муниципалитет</th>
              <th scope="col" className="num">Организаций</th>
              <th scope="col" className="num">Опубликованных мониторингов</th>
            </tr>
          </thead>
          <tbody>
            {municipalities.map((x) => (
              <tr key={x.id}>
                <td>{x.name}</td>
                <td className="num">{formatNumber(x.organisations)}</td>
                <td className="num">{formatNumber(x.publishedCampaigns)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
