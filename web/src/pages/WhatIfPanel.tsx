/** «Что если» in the methodology editor: the draft (the form's edits) computed over a chosen campaign of the same
 * methodology beside that campaign's own computation (POST /api/campaigns/:id/what-if) — which organisations would
 * change level or points, and how the municipal figures move — before anyone saves the version. */
import { useState } from 'react';
import type { Campaign } from '../../../src/core/collection/schema.ts';
import { formatNumber } from '../../../src/core/format.ts';
import type { Figure } from '../../../src/core/methodology/what-if.ts';
import type { WhatIfAnswer } from '../../../src/services/methodology/methodology-what-if.ts';
import { ApiError, api } from '../api.ts';
import { ErrorBox } from '../components/Status.tsx';
import { ORG_TYPE_LABELS } from '../labels.ts';
import { useFetch } from '../useFetch.ts';

const BASIS = [
  ['submitted', 'отправленные и принятые формы'],
  ['accepted', 'только принятые формы'],
  ['all', 'все формы, включая черновики'],
] as const;
type Basis = (typeof BASIS)[number][0];

const fig = (f: Figure | null) =>
  f === null ? '—' : [f.value === null ? '—' : formatNumber(f.value), f.level, f.points === null ? null : `${formatNumber(f.points)} б.`].filter(Boolean).join(' · ');
const dims = (d: Record<string, string | number> | undefined) => (d ? ` (${Object.values(d).join(', ')})` : '');

export function WhatIfPanel({ methodologyId, methodologyVersion, body, problems }: {
  methodologyId: string;
  methodologyVersion: string;
  body: { version: string; edits: unknown[] };
  problems: number;
}) {
  const campaigns = useFetch<{ items: Campaign[] }>('/api/campaigns');
  const own = (campaigns.data?.items ?? []).filter((c) => c.methodologyId === methodologyId && c.status !== 'draft');
  const [campaignId, setCampaignId] = useState('');
  const [basis, setBasis] = useState<Basis>('submitted');
  const [answer, setAnswer] = useState<{ key: string; w: WhatIfAnswer } | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = campaignId || own[0]?.id || '';
  const key = JSON.stringify([chosen, basis, body]);

  const run = async () => {
    setError(null);
    if (problems) return setError('Сначала исправьте поля формы.');
    setBusy(true);
    try {
      setAnswer({ key, w: await api.post<WhatIfAnswer>(`/api/campaigns/${encodeURIComponent(chosen)}/what-if`, { ...body, methodologyId, methodologyVersion, basis }) });
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    } finally {
      setBusy(false);
    }
  };

  if (campaigns.loading) return null;
  return (
    <section className="card form" aria-labelledby="what-if-title">
      <h2 id="what-if-title">Что если: черновик на данных мониторинга</h2>
      {own.length === 0 ? (
        <p className="muted">Мониторингов по этой методике нет — проверить черновик на данных пока не на чем.</p>
      ) : (
        <>
          <div className="form-row">
            <div className="field">
              <label htmlFor="what-if-campaign">Мониторинг</label>
              <select id="what-if-campaign" value={chosen} onChange={(e) => setCampaignId(e.target.value)}>
                {own.map((c) => <option key={c.id} value={c.id}>{c.title} (версия {c.methodologyVersion})</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="what-if-basis">Какие данные</label>
              <select id="what-if-basis" value={basis} onChange={(e) => setBasis(e.target.value as Basis)}>
                {BASIS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
              </select>
            </div>
          </div>
          <ErrorBox error={error} />
          <div className="actions">
            <button type="button" className="btn" disabled={busy || !chosen} onClick={() => void run()}>
              {busy ? 'Считается…' : 'Рассчитать «что если»'}
            </button>
          </div>
          {answer && <WhatIfResult w={answer.w} stale={answer.key !== key} />}
        </>
      )}
    </section>
  );
}

function WhatIfResult({ w, stale }: { w: WhatIfAnswer; stale: boolean }) {
  const c = w.counts;
  return (
    <div role="status">
      {stale && <p className="alert alert-info">Форма изменилась после расчёта — рассчитайте снова.</p>}
      <p>
        «{w.campaign.title}»: сравнение версии {w.campaign.methodologyVersion} (как рассчитан мониторинг) с черновиком {w.draft.version}. Организаций в расчёте: {c.organisations}; меняют
        уровень: {c.changedLevel}, баллы: {c.changedPoints}, сумму баллов: {c.changedTotal}.
      </p>
      {w.warnings.length > 0 && (
        <div className="alert alert-error">
          Черновик не вычисляет того, что вычислялось:
          <ul className="lint-list">{w.warnings.map((x) => <li key={x}>{x}</li>)}</ul>
        </div>
      )}
      {w.results.length === 0 && w.aggregates.length === 0 ? (
        <p>Ни один результат не меняется.</p>
      ) : (
        <>
          {w.results.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Что если: изменения результатов организаций">
                <thead>
                  <tr><th scope="col">Организация</th><th scope="col">Показатель</th><th scope="col">Было</th><th scope="col">Станет</th></tr>
                </thead>
                <tbody>
                  {w.results.map((r) => (
                    <tr key={`${r.organisation}${dims(r.dimensions)}${r.indicator}`}>
                      <th scope="row">{r.organisation}{dims(r.dimensions)}</th>
                      <td>{r.code ? `${r.code} ` : ''}{r.title}</td>
                      <td>{fig(r.before)}</td>
                      <td>{fig(r.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {w.totals.length > 0 && (
            <>
              <h3>Сумма баллов</h3>
              <ul className="lint-list" aria-label="Что если: суммы баллов">
                {w.totals.map((t) => (
                  <li key={`${t.organisation}${dims(t.dimensions)}`}>
                    {t.organisation}{dims(t.dimensions)}: {t.before === null ? '—' : formatNumber(t.before)} → {t.after === null ? '—' : formatNumber(t.after)}
                    {t.beforeLevel !== t.afterLevel ? ` (уровень: ${t.beforeLevel ?? '—'} → ${t.afterLevel ?? '—'})` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {w.aggregates.length > 0 && (
            <>
              <h3>Итоги по муниципалитету</h3>
              <ul className="lint-list" aria-label="Что если: итоги по муниципалитету">
                {w.aggregates.map((a) => {
                  // A count by level names its level; a figure by type names the type.
                  const level = a.before?.level ?? a.after?.level;
                  const parts = [a.group ? (ORG_TYPE_LABELS as Record<string, string>)[a.group] ?? a.group : null, a.text.includes('уровень:') ? null : level].filter(Boolean);
                  return <li key={a.id}>{a.title}{parts.length ? ` (${parts.join(', ')})` : ''}: {a.text}</li>;
                })}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
