/** «Предложить по результатам мониторинга»: the methodology's recommendation rules over a campaign's computed results
 * (submitted forms); the analyst picks the organisations, edits each rule's wording and due date, and issues them. Each
 * issued recommendation remembers the campaign, the indicator and the reason. Nothing is stored until «Выдать». */
import { useState } from 'react';
import { ADDRESSEE_LABELS } from '../../../../src/core/cycle/api-schema.ts';
import { addDays } from '../../../../src/core/calendar/dates.ts';
import type { CampaignProposals } from '../../../../src/services/cycle/campaign-proposals.ts';
import { api } from '../../api.ts';
import { CloseButton } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { CampaignOptions } from '../../components/FormFields.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { useAction } from '../../useSubmit.ts';
import { localToday } from './access.ts';
import { useDirectionCampaigns } from './campaigns.ts';
import { IssueSelectedButton, ProposalCheckbox, registeredPicks } from './ProposalPicks.tsx';

export function CampaignProposeDialog({ direction, onClose, onIssued }: { direction: string; onClose(): void; onIssued(n: number): void }) {
  const { campaigns, loading } = useDirectionCampaigns(direction);
  const [choice, setChoice] = useState('');
  const campaignId = choice || campaigns[0]?.id || '';
  const result = useFetch<CampaignProposals>(campaignId ? `/api/campaigns/${campaignId}/recommendation-proposals` : null);
  const [selected, setSelected] = useState<Set<number> | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [dues, setDues] = useState<Record<string, string>>({});
  const action = useAction();
  const data = result.data;
  const proposals = data?.proposals ?? [];
  const picked = selected ?? registeredPicks(proposals);
  const rules = [...new Set(proposals.map((p) => p.rule))];
  const first = (rule: string) => proposals.find((p) => p.rule === rule)!;
  const textOf = (rule: string) => texts[rule] ?? first(rule).text;
  const dueOf = (rule: string) => dues[rule] ?? (first(rule).dueDays ? addDays(localToday(), first(rule).dueDays!) : '');

  const issue = () => {
    if (!data) return;
    void action.run(async () => {
      let n = 0;
      for (const [i, p] of proposals.entries()) {
        if (!picked.has(i) || !p.organisationId) continue;
        const due = dueOf(p.rule);
        const r = await api.post<{ items: unknown[] }>('/api/recommendations', {
          direction, campaignId: data.campaignId, methodologyId: data.methodologyId, addresseeKind: p.addressee, organisationIds: [p.organisationId],
          text: textOf(p.rule), ruleId: p.rule, basis: p.because, ...(p.indicator ? { indicator: p.indicator } : {}), ...(due ? { dueDate: due } : {}),
        });
        n += r.items.length;
      }
      onIssued(n);
    });
  };

  return (
    <Modal title="Предложить рекомендации по результатам мониторинга" onClose={onClose}>
      {loading ? (
        <Loading />
      ) : campaigns.length === 0 ? (
        <p className="muted">По направлению нет открытых или завершённых мониторингов.</p>
      ) : (
        <Field label="Мониторинг">
          <select value={campaignId} onChange={(e) => { setChoice(e.target.value); setSelected(null); setTexts({}); setDues({}); }}>
            <CampaignOptions campaigns={campaigns} />
          </select>
        </Field>
      )}
      {result.error && <ErrorBox error={result.error} />}
      {result.loading && campaignId && <Loading />}
      {data && (
        <>
          <p className="muted small">
            Методика {data.methodologyId}, правил: {data.rules}; учтены отправленные и принятые формы.
          </p>
          {data.warnings.map((w) => (
            <p key={w} className="overdue-text small">
              {w}
            </p>
          ))}
          {proposals.length === 0 ? (
            <p className="muted">Правила методики ничего не предлагают по результатам этого мониторинга.</p>
          ) : (
            rules.map((rule) => (
              <fieldset key={rule} className="fieldset">
                <legend>
                  Правило {rule}
                  {first(rule).indicatorTitle ? ` — показатель «${first(rule).indicatorTitle}»` : ''} ({ADDRESSEE_LABELS[first(rule).addressee]})
                </legend>
                <Field label={`Текст рекомендации (${rule})`}>
                  <textarea rows={3} value={textOf(rule)} onChange={(e) => setTexts({ ...texts, [rule]: e.target.value })} />
                </Field>
                <Field label={`Срок выполнения (${rule})`}>
                  <input type="date" value={dueOf(rule)} onChange={(e) => setDues({ ...dues, [rule]: e.target.value })} />
                </Field>
                {proposals.map((p, i) =>
                  p.rule !== rule ? null : (
                    <ProposalCheckbox key={i} proposal={p} index={i} picked={picked} onPick={setSelected} />
                  ),
                )}
              </fieldset>
            ))
          )}
          <IssueSelectedButton busy={action.busy} count={picked.size} onIssue={issue} />
        </>
      )}
      <ErrorBox error={action.error} />
      <CloseButton onClose={onClose} />
    </Modal>
  );
}
