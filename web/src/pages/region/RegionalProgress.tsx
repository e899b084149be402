/** Participation in a regional campaign per municipality: forms in each state and overdue forms. */
import { SUBMISSION_STATUS_LABELS } from '../../../../src/core/collection/schema.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import type { RegionalProgress as Progress } from '../../../../src/core/region/campaign-schema.ts';
import { Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';

const STATES = ['not_started', 'draft', 'submitted', 'returned', 'accepted'] as const;

/** Remount (change `key`) to load again after a status change. */
export function RegionalProgress({ campaignId }: { campaignId: string }) {
  const progress = useFetch<Progress>(`/api/region/regional-campaigns/${campaignId}`);
  if (progress.error) return <PageError error={progress.error} />;
  if (!progress.data) return <Loading />;
  const { rows, totals, campaign } = progress.data;
  const line = (name: string, r: Progress['totals'], key: string) => (
    <tr key={key}>
      <td>{name}</td>
      <td className="num">{formatNumber(r.organisations)}</td>
      {STATES.map((s) => <td key={s} className="num">{formatNumber(r.counts[s])}</td>)}
      <td className="num">{r.overdue ? <span className="badge badge-overdue">{formatNumber(r.overdue)}</span> : 0}</td>
    </tr>
  );
  return (
    <div className="table-wrap">
      <table className="table" data-testid="regional-progress">
        <caption>Участие по муниципалитетам: {campaign.title}, срок сдачи {campaign.dueOn}</caption>
        <thead>
          <tr>
            <th scope="col">Муниципалитет</th>
            <th scope="col" className="num">Организаций</th>
            {STATES.map((s) => <th key={s} scope="col" className="num">{SUBMISSION_STATUS_LABELS[s]}</th>)}
            <th scope="col" className="num">Просрочено</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => line(r.municipality, r, r.municipalityId))}
          {line('Всего', totals, 'total')}
        </tbody>
      </table>
    </div>
  );
}
