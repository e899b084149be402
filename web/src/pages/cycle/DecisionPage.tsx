/** «Управленческое решение»: what motivated it (campaign, recommendations), its document files, and its effect —
 * before/after of each indicator it names, per organisation and overall, against the next campaign of the same
 * methodology («нет данных следующего мониторинга» until there is one). */
import { Link, useParams } from 'react-router';
import { DECISION_KIND_LABELS, RECOMMENDATION_STATUS_LABELS } from '../../../../src/core/cycle/api-schema.ts';
import { DESIRED_DIRECTION_LABELS, TREND_LABELS, type EffectLine, type IndicatorEffect } from '../../../../src/core/cycle/effect.ts';
import { formatDate, formatNumber } from '../../../../src/core/format.ts';
import type { DecisionEffectDto } from '../../../../src/services/cycle/decision-effect.ts';
import type { RecommendationDto } from '../../../../src/services/cycle/recommendations.ts';
import { useAuth } from '../../auth.tsx';
import { Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { canEditCycle } from './access.ts';
import { EvidenceFiles } from './EvidenceFiles.tsx';

type Detail = DecisionEffectDto & { recommendations: RecommendationDto[] };

const num = (v: number | null, unit: string | null) => (v === null ? '—' : `${formatNumber(v)}${unit === '%' ? ' %' : unit ? ` ${unit}` : ''}`);

function EffectRow({ l, unit }: { l: EffectLine; unit: string | null }) {
  return (
    <tr>
      <th scope="row">{l.organisation}</th>
      <td className="num">{num(l.before, unit)}</td>
      <td className="num">{num(l.after, unit)}</td>
      <td className="num">{l.change === null ? '—' : `${l.change > 0 ? '+' : l.change < 0 ? '−' : '±'}${formatNumber(Math.abs(l.change))}`}</td>
      <td>
        {l.trend === null ? <span className="muted">нет данных</span> : <span className={l.improved ? 'badge badge-done' : 'badge badge-overdue'}>{TREND_LABELS[l.trend]}</span>}
      </td>
      <td>{l.targetReached === null ? '—' : l.targetReached ? 'достигнута' : <span className="overdue-text">не достигнута</span>}</td>
    </tr>
  );
}

function IndicatorEffectView({ e }: { e: IndicatorEffect }) {
  return (
    <section className="card" aria-label={`Показатель ${e.title}`}>
      <h3>
        {e.title} <span className="muted small">({e.methodologyId}: {e.indicator})</span>
      </h3>
      <p className="small">
        Ожидается: {DESIRED_DIRECTION_LABELS[e.direction]}
        {e.target !== null ? `, цель ${num(e.target, e.unit)}` : ''}. До: {e.before ? `«${e.before.title}»` : '—'}; после: {e.after ? `«${e.after.title}»` : '—'}.
      </p>
      {e.message ? (
        <p className="alert alert-info" role="status">
          {e.message}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table effect-table">
            <caption className="visually-hidden">До и после: {e.title}</caption>
            <thead>
              <tr>
                <th scope="col">Организация</th>
                <th scope="col">До</th>
                <th scope="col">После</th>
                <th scope="col">Изменение</th>
                <th scope="col">Направление</th>
                <th scope="col">Цель</th>
              </tr>
            </thead>
            <tbody>
              {e.organisations.map((l) => (
                <EffectRow key={l.organisationId ?? 'all'} l={l} unit={e.unit} />
              ))}
              {e.overall && <EffectRow l={e.overall} unit={e.unit} />}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DecisionPage() {
  const { id } = useParams();
  const { user } = useAuth();
  const { data, error, loading } = useFetch<Detail>(`/api/decisions/${id ?? ''}`);
  if (error) return <PageError error={error} />;
  if (loading || !data) return <Loading />;
  const d = data.decision;
  return (
    <section aria-labelledby="decision-title">
      <p>
        <Link to={`/recommendations?direction=${d.direction}`}>← Рекомендации и решения</Link>
      </p>
      <h1 id="decision-title">{d.title}</h1>
      <p>
        {DECISION_KIND_LABELS[d.kind]}
        {d.number ? ` № ${d.number}` : ''} от {formatDate(d.date)}; ответственный: {d.responsible}
        {d.documentUrl && (
          <>
            {' '}·{' '}
            <a href={d.documentUrl} target="_blank" rel="noreferrer">
              документ
            </a>
          </>
        )}
      </p>
      <p>Основание: {data.campaign ? `результаты мониторинга «${data.campaign.title}» (${data.campaign.periodCode})` : 'мониторинг не указан'}.</p>
      <h2>Рекомендации ({data.recommendations.length})</h2>
      {data.recommendations.length === 0 ? (
        <p className="muted">Решение не связано с рекомендациями.</p>
      ) : (
        <ul>
          {data.recommendations.map((r) => (
            <li key={r.id}>
              <strong>{r.organisationName ?? 'муниципальный уровень'}</strong>: {r.text}{' '}
              <span className="muted small">
                ({RECOMMENDATION_STATUS_LABELS[r.status]}
                {r.indicator ? `; показатель ${r.indicator}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>Эффективность решения</h2>
      <p className={data.effect.measurable ? 'alert alert-success' : 'alert alert-info'} role="status">
        {data.effect.measurable ? 'Эффект измерен: ' : ''}
        {data.effect.summary}
      </p>
      {d.effectEvaluatedAt && (
        <p className="small">
          Оценка аналитика от {formatDate(d.effectEvaluatedAt)}
          {d.effectNote ? `: ${d.effectNote}` : ''}
        </p>
      )}
      {data.effect.indicators.map((e) => (
        <IndicatorEffectView key={`${e.methodologyId}:${e.indicator}`} e={e} />
      ))}
      <EvidenceFiles url={`/api/decisions/${d.id}/evidence`} canUpload={user ? canEditCycle(user.role) : false} title="Документы решения" />
    </section>
  );
}
