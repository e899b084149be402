/** Public results of published campaigns (no sign-in): aggregates by organisation type, level distribution, survey
 * groups only at or above the survey minimum. The server sends nothing else. */
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { PublicCampaign, PublicCampaignSummary } from '../../../../src/services/analysis/campaign-public.ts';
import { formatNumber, formatPercent } from '../../../../src/core/format.ts';
import { LowVisionPanel } from '../../components/LowVision.tsx';
import { Loading, PageError } from '../../components/Status.tsx';
import { usePageTitle } from '../../pageTitle.ts';
import { useFetch } from '../../useFetch.ts';
import { Chart } from './Chart.tsx';
import { fmt } from './ResultsSection.tsx';

function Frame({ children }: { children: ReactNode }) {
  return (
    <div className="login-screen public-page">
      <main className="app-main" id="main">
        <div className="public-top">
          <p className="brand-name">МСОКО — результаты мониторингов</p>
          <LowVisionPanel />
        </div>
        {children}
      </main>
    </div>
  );
}

/** A data table in its own scroll box (the page itself never scrolls sideways, WCAG 1.4.10): focusable and named, so
 * a keyboard can scroll it. */
function TableBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function PublicCampaignsPage() {
  const { data, error } = useFetch<{ items: PublicCampaignSummary[] }>('/api/public/campaigns');
  if (error) return <PageError error={error} />;
  if (!data) return <Loading />;
  return (
    <Frame>
      <h1>Опубликованные результаты мониторингов</h1>
      {data.items.length === 0 ? (
        <p className="muted">Опубликованных мониторингов пока нет.</p>
      ) : (
        <ul>
          {data.items.map((c) => (
            <li key={c.id}>
              <Link to={`/public/campaigns/${c.id}`}>{c.title}</Link> — {c.periodLabel}
            </li>
          ))}
        </ul>
      )}
    </Frame>
  );
}

export function PublicCampaignPage() {
  const { id = '' } = useParams();
  const { data: p, error } = useFetch<PublicCampaign>(`/api/public/campaigns/${encodeURIComponent(id)}`);
  usePageTitle(p?.campaign.title, 'результаты мониторинга');
  if (error) return <PageError error={error} />;
  if (!p) return <Loading />;
  return (
    <Frame>
      <p className="breadcrumbs">
        <Link to="/public/campaigns">Результаты мониторингов</Link>
      </p>
      <h1>{p.campaign.title}</h1>
      <p>
        {p.campaign.periodLabel}. Участники: {p.organisations.map((o) => `${o.label.toLowerCase()} — ${formatNumber(o.count)}`).join(', ')}.
      </p>
      {p.municipal.length > 0 && (
        <TableBox label="Значения по муниципалитету">
        <table className="table" data-testid="public-municipal">
          <caption>Значения по муниципалитету</caption>
          <thead>
            <tr>
              <th scope="col">Показатель</th>
              <th scope="col" className="num">Значение</th>
              <th scope="col">Уровень</th>
              <th scope="col" className="num">Цель</th>
            </tr>
          </thead>
          <tbody>
            {p.municipal.map((m) => (
              <tr key={m.title}>
                <td>{m.title}</td>
                <td className="num">{fmt(m.value, m.unit, 1)}</td>
                <td>{m.level ?? '—'}</td>
                <td className="num">{m.target === null ? '—' : fmt(m.target, m.unit, null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      )}
      {p.distributions.map((d) => (
        <section key={d.indicator.id}>
          <h2>
            {d.indicator.code ? `${d.indicator.code}. ` : ''}
            {d.indicator.title}: распределение по уровням
          </h2>
          <TableBox label={`${d.indicator.title}: распределение по уровням`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Уровень</th>
                {d.columns.map((c) => (
                  <th key={c.key} scope="col" className="num">
                    {c.label} ({c.total})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.levels.map((lv, i) => (
                <tr key={lv}>
                  <th scope="row">{lv}</th>
                  {d.columns.map((c) => (
                    <td key={c.key} className="num">
                      {c.cells[i]?.count ?? 0} ({formatPercent(c.cells[i]?.share ?? 0)})
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
          <Chart
            label={`Распределение по уровням: ${d.indicator.title}`}
            height={260}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 40, right: 20, top: 20, bottom: 50 },
              xAxis: { type: 'category', data: d.columns.map((c) => c.label) },
              yAxis: { type: 'value', max: 100, name: '%' },
              series: d.levels.map((lv, i) => ({ name: lv, type: 'bar', stack: 's', data: d.columns.map((c) => c.cells[i]?.share ?? 0) })),
            }}
          />
        </section>
      ))}
      {p.byType.map((b) => (
        <section key={b.indicator.id}>
          <h2>
            {b.indicator.code ? `${b.indicator.code}. ` : ''}
            {b.indicator.title}: по типам организаций
          </h2>
          <TableBox label={`${b.indicator.title}: по типам организаций`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Тип</th>
                <th scope="col" className="num">Организаций</th>
                <th scope="col" className="num">Среднее</th>
                <th scope="col" className="num">Медиана</th>
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => (
                <tr key={r.type}>
                  <td>{r.label}</td>
                  <td className="num">{formatNumber(r.organisations)}</td>
                  <td className="num">{fmt(r.mean, b.indicator.unit, b.indicator.round)}</td>
                  <td className="num">{fmt(r.median, b.indicator.unit, b.indicator.round)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        </section>
      ))}
      {p.groups.map((g) => (
        <section key={g.title}>
          <h2>{g.title}</h2>
          <TableBox label={g.title}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Группа</th>
                {g.indicators.map((i) => (
                  <th key={i.id} scope="col" className="num">
                    {i.code ?? ''} {i.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {g.rows.map((r) => (
                <tr key={r.label}>
                  <td>{r.label}</td>
                  {g.indicators.map((i) => (
                    <td key={i.id} className="num">
                      {r.suppressed ? 'недостаточно ответов' : r.values[i.id] === null || r.values[i.id] === undefined ? '—' : `${formatNumber(r.values[i.id] as number)}${i.unit === '%' ? '\u00A0%' : ''}`}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
          {g.note && <p className="small muted">{g.note}</p>}
        </section>
      ))}
      {p.conclusions.length > 0 && (
        <section>
          <h2>Выводы</h2>
          <ul>
            {p.conclusions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </section>
      )}
    </Frame>
  );
}
