/** A campaign: its dates and status, the analyst's actions (open, close, re-open with a reason, publish) and the
 * per-organisation table of submission status and completeness, overdue rows highlighted (derived, not stored). */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Campaign, CampaignDetail } from '../../../../src/core/collection/schema.ts';
import { CAMPAIGN_STATUS_LABELS, SUBMISSION_STATUS_LABELS } from '../../../../src/core/collection/schema.ts';
import { formatDate, formatNumber } from '../../../../src/core/format.ts';
import { ApiError, api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { ORG_TYPE_LABELS } from '../../labels.ts';
import { usePageTitle } from '../../pageTitle.ts';
import { useFetch } from '../../useFetch.ts';
import { canManageCampaigns, canViewAnalysis } from './access.ts';
import { CampaignDocuments } from '../documents/CampaignDocuments.tsx';

export function CampaignPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { data, error, reload } = useFetch<CampaignDetail>(`/api/campaigns/${encodeURIComponent(id)}`);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  usePageTitle(data?.title);

  if (error) return <PageError error={error} />;
  if (!data || !user) return <Loading />;
  const manage = canManageCampaigns(user.role);

  const act = async (action: 'open' | 'close' | 'publish' | 'reopen', body?: unknown): Promise<boolean> => {
    setBusy(true);
    setActionError(null);
    try {
      await api.post<Campaign>(`/api/campaigns/${data.id}/${action}`, body);
      reload();
      return true;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      setActionError(e);
      setReasonError(e.fieldMap().reason);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const overdue = data.rows.filter((r) => r.overdue).length;
  const done = data.rows.filter((r) => r.status === 'submitted' || r.status === 'accepted').length;

  return (
    <section aria-labelledby="campaign-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / {data.title}
      </p>
      <div className="page-head">
        <h1 id="campaign-title">{data.title}</h1>
        {canViewAnalysis(user.role) && (
          <div className="actions">
            <Link className="btn" to={`/campaigns/${data.id}/analysis`}>
              Анализ и отчёты
            </Link>
            {data.status === 'published' && (
              <Link className="btn" to={`/public/campaigns/${data.id}`}>
                Публичная страница
              </Link>
            )}
          </div>
        )}
        {manage && (
          <div className="actions">
            {(data.status === 'draft' || data.status === 'open') && (
              <Link className="btn" to={`/campaigns/${data.id}/imports`}>
                Импорт из файла
              </Link>
            )}
            {data.regional && <span className="muted" data-testid="regional-note">Региональный мониторинг: статус меняет региональный аналитик</span>}
            {!data.regional && data.status === 'draft' && (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('open')}>
                Открыть сбор
              </button>
            )}
            {!data.regional && data.status === 'open' && (
              <button type="button" className="btn" disabled={busy} onClick={() => void act('close')}>
                Закрыть сбор
              </button>
            )}
            {!data.regional && data.status === 'closed' && (
              <>
                <button type="button" className="btn" disabled={busy} onClick={() => setReopening(true)}>
                  Открыть повторно
                </button>
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('publish')}>
                  Опубликовать
                </button>
              </>
            )}
          </div>
        )}
      </div>
      <ErrorBox error={actionError} />
      <dl className="details card">
        <dt>Статус</dt>
        <dd>
          <span className={`badge badge-campaign-${data.status}`}>{CAMPAIGN_STATUS_LABELS[data.status]}</span>
        </dd>
        <dt>Методика</dt>
        <dd>
          {data.methodologyTitle ?? data.methodologyId} ({data.methodologyId}, версия {data.methodologyVersion})
        </dd>
        <dt>Период</dt>
        <dd>{data.periodLabel}</dd>
        <dt>Сбор данных</dt>
        <dd>
          с {formatDate(data.opensOn)} по {formatDate(data.closesOn)}, срок сдачи — {formatDate(data.dueOn)}
        </dd>
        {manage && (
          <>
            <dt>Сдано</dt>
            <dd>
              {formatNumber(done)} из {formatNumber(data.organisationCount)}
              {overdue > 0 && <span className="overdue-text"> · просрочено: {overdue}</span>}
            </dd>
          </>
        )}
      </dl>

      <h2>Организации</h2>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Статус форм по организациям</caption>
          <thead>
            <tr>
              <th scope="col" className="num">№</th>
              <th scope="col">Организация</th>
              <th scope="col">Тип</th>
              <th scope="col">Статус формы</th>
              <th scope="col" className="num">Заполнено</th>
              <th scope="col">Изменена</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.organisationId} className={r.overdue ? 'row-overdue' : undefined}>
                <td className="num">{r.no}</td>
                <td>
                  <Link to={`/campaigns/${data.id}/organisations/${r.organisationId}`}>{r.shortName}</Link>
                </td>
                <td>{ORG_TYPE_LABELS[r.type]}</td>
                <td>
                  {SUBMISSION_STATUS_LABELS[r.status]}
                  {r.overdue && <span className="overdue-text"> · просрочено</span>}
                </td>
                <td className="num">
                  {r.percent}% <span className="muted small">({r.filled} из {r.required})</span>
                </td>
                <td className="nowrap">{r.updatedAt ? formatDateTime(r.updatedAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {manage && <CampaignDocuments campaignId={data.id} />}

      {manage && data.events.length > 0 && (
        <>
          <h2>Журнал мониторинга</h2>
          <ul className="event-list">
            {data.events.map((e, i) => (
              <li key={i}>
                {formatDateTime(e.at)} — {e.fromStatus ? `${CAMPAIGN_STATUS_LABELS[e.fromStatus]} → ` : 'создан: '}
                {CAMPAIGN_STATUS_LABELS[e.toStatus]} ({e.actorLogin ?? 'система'}){e.reason ? `. Причина: ${e.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}

      {reopening && (
        <Modal title="Повторно открыть мониторинг" onClose={() => setReopening(false)}>
          <p>Данные закрытого мониторинга можно изменить только после повторного открытия. Причина попадёт в журнал.</p>
          <Field label="Причина" error={reasonError}>
            <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() =>
                void act('reopen', { reason: reason.trim() }).then((ok) => {
                  if (ok) {
                    setReopening(false);
                    setReason('');
                  }
                })
              }
            >
              Открыть повторно
            </button>
            <button type="button" className="btn" onClick={() => setReopening(false)}>
              Отмена
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
