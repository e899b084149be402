/** «Мониторинги»: the list of campaigns (org representatives: those their organisation takes part in). */
import { Link } from 'react-router';
import type { Campaign } from '../../../../src/core/collection/schema.ts';
import { CAMPAIGN_STATUS_LABELS } from '../../../../src/core/collection/schema.ts';
import { formatDate, formatNumber } from '../../../../src/core/format.ts';
import { useAuth } from '../../auth.tsx';
import { Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { canManageCampaigns } from './access.ts';

export function CampaignsPage() {
  const { user } = useAuth();
  const { data, error, loading } = useFetch<{ items: Campaign[] }>('/api/campaigns');
  if (!user) return null;
  const items = data?.items ?? [];
  return (
    <section aria-labelledby="campaigns-title">
      <div className="page-head">
        <h1 id="campaigns-title">Мониторинги</h1>
        {canManageCampaigns(user.role) && (
          <Link className="btn btn-primary" to="/campaigns/new">
            Создать мониторинг
          </Link>
        )}
      </div>
      {error ? (
        <PageError error={error} />
      ) : loading && !data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Мониторинги</caption>
            <thead>
              <tr>
                <th scope="col">Название</th>
                <th scope="col">Период</th>
                <th scope="col">Методика</th>
                <th scope="col">Сроки</th>
                <th scope="col" className="num">Организаций</th>
                <th scope="col">Статус</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr>
                  <td colSpan={6} className="empty">
                    Мониторингов пока нет
                    <p className="empty-hint">
                      {canManageCampaigns(user.role)
                        ? 'Нажмите «Создать мониторинг»: выберите методику, период, участников и сроки, затем откройте сбор данных — организации увидят свои формы.'
                        : 'Мониторинг появится здесь, когда управление образования откроет сбор данных с участием вашей организации.'}{' '}
                      <a href="/docs/guide/index.md">Справка</a>
                    </p>
                  </td>
                </tr>
              ) : (
                items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/campaigns/${c.id}`}>{c.title}</Link>
                    </td>
                    <td>{c.periodLabel}</td>
                    <td>
                      {c.methodologyTitle ?? c.methodologyId} <span className="muted small">({c.methodologyId}, версия {c.methodologyVersion})</span>
                    </td>
                    <td className="nowrap">
                      {formatDate(c.opensOn)} — {formatDate(c.closesOn)}
                      <div className="muted small">сдать до {formatDate(c.dueOn)}</div>
                    </td>
                    <td className="num">{formatNumber(c.organisationCount)}</td>
                    <td>
                      <span className={`badge badge-campaign-${c.status}`}>{CAMPAIGN_STATUS_LABELS[c.status]}</span>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
