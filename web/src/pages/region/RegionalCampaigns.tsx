/** The region's own campaigns on the «Регион» page: list, status actions (open, close, publish), the create dialog and
 * the participation per municipality of the chosen campaign. */
import { useState } from 'react';
import { formatNumber } from '../../../../src/core/format.ts';
import { CAMPAIGN_STATUS_LABELS } from '../../../../src/core/collection/schema.ts';
import type { RegionalCampaign } from '../../../../src/core/region/campaign-schema.ts';
import { ApiError, api } from '../../api.ts';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { ORG_TYPE_LABELS } from '../../labels.ts';
import type { OrgType } from '../../types.ts';
import { useFetch } from '../../useFetch.ts';
import { RegionalCampaignDialog } from './RegionalCampaignDialog.tsx';
import { RegionalProgress } from './RegionalProgress.tsx';

const NEXT: Partial<Record<RegionalCampaign['status'], { action: 'open' | 'close' | 'publish'; label: string }>> = {
  draft: { action: 'open', label: 'Открыть сбор' },
  open: { action: 'close', label: 'Закрыть сбор' },
  closed: { action: 'publish', label: 'Опубликовать' },
};

function participantsText(c: RegionalCampaign): string {
  const who = c.wholeRegion ? 'весь регион' : c.municipalities.join(', ');
  return c.types ? `${who}; ${c.types.map((t) => ORG_TYPE_LABELS[t as OrgType] ?? t).join(', ')}` : who;
}

export function RegionalCampaigns({ municipalities }: { municipalities: { id: string; name: string }[] }) {
  const list = useFetch<{ items: RegionalCampaign[] }>('/api/region/regional-campaigns');
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);

  const act = async (c: RegionalCampaign, action: 'open' | 'close' | 'publish') => {
    setError(null);
    try {
      await api.post(`/api/region/regional-campaigns/${c.id}/${action}`);
      list.reload();
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
    }
  };

  if (list.error) return <PageError error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <section aria-labelledby="regional-campaigns-title">
      <div className="page-head">
        <h2 id="regional-campaigns-title">Региональные мониторинги</h2>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>Новый региональный мониторинг</button>
      </div>
      <ErrorBox error={error} />
      {list.data.items.length === 0 ? (
        <p className="empty">Региональных мониторингов пока нет. Участники — выбранные муниципалитеты или все организации региона.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="regional-campaigns">
            <thead>
              <tr>
                <th scope="col">Мониторинг</th>
                <th scope="col">Период</th>
                <th scope="col">Участники</th>
                <th scope="col" className="num">Организаций</th>
                <th scope="col">Статус</th>
                <th scope="col">Действия</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.title}</td>
                  <td>{c.periodLabel}</td>
                  <td>{participantsText(c)}</td>
                  <td className="num">{formatNumber(c.organisationCount)}</td>
                  <td><span className={`badge badge-campaign-${c.status}`}>{CAMPAIGN_STATUS_LABELS[c.status]}</span></td>
                  <td>
                    <button type="button" className="btn" aria-pressed={selected === c.id} onClick={() => setSelected(selected === c.id ? null : c.id)}>Участие</button>{' '}
                    {NEXT[c.status] && <button type="button" className="btn" onClick={() => void act(c, NEXT[c.status]!.action)}>{NEXT[c.status]!.label}</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <RegionalProgress key={`${selected}-${version}`} campaignId={selected} />}
      {creating && (
        <RegionalCampaignDialog
          municipalities={municipalities}
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setSelected(c.id);
            list.reload();
          }}
        />
      )}
    </section>
  );
}
