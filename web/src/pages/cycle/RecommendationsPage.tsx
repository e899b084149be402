/** «Рекомендации и решения»: addressed recommendations (the analyst issues and edits them, an organisation
 * representative sees only their organisation's and reports what was done, the analyst verifies) and management
 * decisions linked to recommendations, with the evaluation of their effect. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ADDRESSEE_LABELS, DECISION_KIND_LABELS, RECOMMENDATION_STATUS_LABELS } from '../../../../src/core/cycle/api-schema.ts';
import type { DirectionCode } from '../../../../src/core/cycle/roadmap-schema.ts';
import { formatDate } from '../../../../src/core/format.ts';
import type { DecisionDto, RecommendationDto } from '../../../../src/services/cycle/recommendations.ts';
import { query } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { canEditCycle, canViewDecisions } from './access.ts';
import { DirectionTabs, isDirection } from './DirectionTabs.tsx';
import { CampaignProposeDialog } from './CampaignProposeDialog.tsx';
import { DecisionDialog } from './DecisionDialog.tsx';
import { ProposeDialog } from './ProposeDialog.tsx';
import { EffectDialog, HistoryDialog, RecommendationDialog, StatusDialog } from './RecommendationDialogs.tsx';

type Rec = RecommendationDto;
const STATUS_CLASS: Record<Rec['status'], string> = { issued: 'badge-planned', in_progress: 'badge-soon', done: 'badge-done-late', verified: 'badge-done' };

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; rec: Rec }
  | { kind: 'status'; rec: Rec; to: Rec['status'] }
  | { kind: 'history'; rec: Rec }
  | { kind: 'decision' }
  | { kind: 'propose' }
  | { kind: 'proposeCampaign' }
  | { kind: 'effect'; decision: DecisionDto };

export function RecommendationsPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const direction: DirectionCode = isDirection(params.get('direction')) ? (params.get('direction') as DirectionCode) : 'preparation';
  const recs = useFetch<{ items: Rec[] }>(`/api/recommendations${query({ direction })}`);
  const showDecisions = user ? canViewDecisions(user.role) : false;
  const decisions = useFetch<{ items: DecisionDto[] }>(showDecisions ? `/api/decisions${query({ direction })}` : null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (!user) return null;
  const editor = canEditCycle(user.role);
  const isOrg = user.role === 'org_rep';
  const items = recs.data?.items ?? [];
  const closeAndReload = (text: string) => {
    setDialog(null);
    setMessage(text);
    recs.reload();
    decisions.reload();
  };

  return (
    <section aria-labelledby="recs-title">
      <div className="page-head">
        <h1 id="recs-title">{isOrg ? 'Рекомендации моей организации' : 'Рекомендации и решения'}</h1>
        {editor && (
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })}>
              Выдать рекомендацию
            </button>
            <button type="button" className="btn" onClick={() => setDialog({ kind: 'proposeCampaign' })}>
              Предложить по результатам мониторинга
            </button>
            <button type="button" className="btn" onClick={() => setDialog({ kind: 'propose' })}>
              Предложить по правилам методики
            </button>
            <button type="button" className="btn" onClick={() => setDialog({ kind: 'decision' })}>
              Принять управленческое решение
            </button>
          </div>
        )}
      </div>
      <DirectionTabs value={direction} onChange={(d) => { setMessage(null); setParams({ direction: d }); }} label="Направления">
      {message && (
        <div className="alert alert-success" role="status">
          {message}
        </div>
      )}
      <h2>Адресные рекомендации</h2>
      {recs.error ? (
        <PageError error={recs.error} />
      ) : recs.loading && !recs.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Адресные рекомендации</caption>
            <thead>
              <tr>
                <th scope="col">Адресат</th>
                <th scope="col">Рекомендация</th>
                <th scope="col">Срок</th>
                <th scope="col">Статус</th>
                <th scope="col">Решения</th>
                <th scope="col">Действия</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr>
                  <td colSpan={6} className="empty">
                    Рекомендаций по направлению нет
                    <p className="empty-hint">
                      {isOrg
                        ? 'Когда управление образования адресует вашей организации рекомендацию, она появится здесь: отметьте ход выполнения и приложите подтверждение.'
                        : 'Рекомендации выдаются по результатам мониторинга: откройте мониторинг → «Анализ» → предложенные рекомендации, или добавьте рекомендацию вручную.'}{' '}
                      <a href={isOrg ? '/docs/guide/org-rep.md#рекомендации' : '/docs/guide/analyst.md#рекомендации-и-решения'}>Справка</a>
                    </p>
                  </td>
                </tr>
              ) : (
                items.map((r) => (
                  <tr key={r.id}>
                    <td>
                      {r.organisationName ?? 'муниципальный уровень'}
                      <div className="muted small">{ADDRESSEE_LABELS[r.addresseeKind]}</div>
                    </td>
                    <td>
                      {r.text}
                      {r.campaignTitle && <div className="muted small">по мониторингу «{r.campaignTitle}»</div>}
                    </td>
                    <td className="nowrap">{r.dueDate ? formatDate(r.dueDate) : '—'}</td>
                    <td>
                      <span className={`badge ${STATUS_CLASS[r.status]}`}>{RECOMMENDATION_STATUS_LABELS[r.status]}</span>
                    </td>
                    <td>{r.decisionIds.length ? r.decisionIds.length : <span className="overdue-text">нет решения</span>}</td>
                    <td>
                      <div className="row-actions">
                        <button type="button" className="link-button" onClick={() => setDialog({ kind: 'history', rec: r })}>
                          История
                        </button>
                        {(isOrg || editor) && r.status === 'issued' && (
                          <button type="button" className="link-button" onClick={() => setDialog({ kind: 'status', rec: r, to: 'in_progress' })}>
                            Взять в работу
                          </button>
                        )}
                        {(isOrg || editor) && (r.status === 'issued' || r.status === 'in_progress') && (
                          <button type="button" className="link-button" onClick={() => setDialog({ kind: 'status', rec: r, to: 'done' })}>
                            Отчитаться о выполнении
                          </button>
                        )}
                        {editor && r.status === 'done' && (
                          <>
                            <button type="button" className="link-button" onClick={() => setDialog({ kind: 'status', rec: r, to: 'verified' })}>
                              Подтвердить выполнение
                            </button>
                            <button type="button" className="link-button" onClick={() => setDialog({ kind: 'status', rec: r, to: 'in_progress' })}>
                              Вернуть на доработку
                            </button>
                          </>
                        )}
                        {editor && r.status !== 'verified' && (
                          <button type="button" className="link-button" onClick={() => setDialog({ kind: 'edit', rec: r })}>
                            Изменить
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}

      {showDecisions && (
        <>
          <h2>Управленческие решения</h2>
          {decisions.error ? (
            <ErrorBox error={decisions.error} />
          ) : decisions.loading && !decisions.data ? (
            <Loading />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Управленческие решения</caption>
                <thead>
                  <tr>
                    <th scope="col">Решение</th>
                    <th scope="col">Вид</th>
                    <th scope="col">Ответственный</th>
                    <th scope="col">Рекомендаций</th>
                    <th scope="col">Показатели</th>
                    <th scope="col">Оценка эффективности</th>
                  </tr>
                </thead>
                <tbody>
                  {(decisions.data?.items ?? []).length === 0 ? (
                    <tr>
                      <td colSpan={6} className="empty">
                        Решений по направлению нет
                        <p className="empty-hint">
                          Запишите управленческое решение (приказ, совещание, обучение) и свяжите его с рекомендациями и показателем — тогда его эффект
                          измерит следующий мониторинг. <a href="/docs/guide/analyst.md#рекомендации-и-решения">Справка</a>
                        </p>
                      </td>
                    </tr>
                  ) : (
                    (decisions.data?.items ?? []).map((d) => (
                      <tr key={d.id}>
                        <td>
                          <Link to={`/decisions/${d.id}`}>{d.title}</Link>
                          <div className="muted small">
                            {d.number ? `№ ${d.number} ` : ''}от {formatDate(d.date)}
                          </div>
                        </td>
                        <td>{DECISION_KIND_LABELS[d.kind]}</td>
                        <td>{d.responsible}</td>
                        <td className="num">{d.recommendationIds.length}</td>
                        <td className="small">{d.indicators.map((i) => `${i.methodology_id}: ${i.indicator}`).join('; ') || '—'}</td>
                        <td>
                          {d.effectEvaluatedAt ? (
                            <>
                              {formatDate(d.effectEvaluatedAt)}
                              {d.effectNote && <div className="muted small">{d.effectNote}</div>}
                            </>
                          ) : (
                            <span className="overdue-text">не оценена</span>
                          )}
                          {editor && (
                            <div>
                              <button type="button" className="link-button" onClick={() => setDialog({ kind: 'effect', decision: d })}>
                                {d.effectEvaluatedAt ? 'Изменить оценку' : 'Отметить оценку эффективности'}
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      </DirectionTabs>

      {dialog?.kind === 'create' && <RecommendationDialog direction={direction} onClose={() => setDialog(null)} onSaved={(n) => closeAndReload(`Выдано рекомендаций: ${n}.`)} />}
      {dialog?.kind === 'edit' && <RecommendationDialog direction={direction} rec={dialog.rec} onClose={() => setDialog(null)} onSaved={() => closeAndReload('Рекомендация изменена.')} />}
      {dialog?.kind === 'status' && <StatusDialog rec={dialog.rec} to={dialog.to} onClose={() => setDialog(null)} onSaved={() => closeAndReload(`Статус: ${RECOMMENDATION_STATUS_LABELS[dialog.to]}.`)} />}
      {dialog?.kind === 'history' && <HistoryDialog rec={dialog.rec} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'decision' && <DecisionDialog direction={direction} recs={items} onClose={() => setDialog(null)} onSaved={() => closeAndReload('Решение сохранено.')} />}
      {dialog?.kind === 'proposeCampaign' && <CampaignProposeDialog direction={direction} onClose={() => setDialog(null)} onIssued={(n) => closeAndReload(`Выдано рекомендаций: ${n}.`)} />}
      {dialog?.kind === 'propose' && <ProposeDialog direction={direction} onClose={() => setDialog(null)} onIssued={(n) => closeAndReload(`Выдано рекомендаций: ${n}.`)} />}
      {dialog?.kind === 'effect' && <EffectDialog decision={dialog.decision} onClose={() => setDialog(null)} onSaved={() => closeAndReload('Оценка эффективности сохранена.')} />}
    </section>
  );
}
