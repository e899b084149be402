/** «Предложить по правилам методики»: compute a data file by a methodology version, see the recommendations its
 * `recommendation_rules` propose (with the reason), issue the selected ones. Nothing is stored until «Выдать». */
import { useState } from 'react';
import { ADDRESSEE_LABELS } from '../../../../src/core/cycle/api-schema.ts';
import { addDays } from '../../../../src/core/calendar/dates.ts';
import type { ProposalDto } from '../../../../src/services/cycle/recommendations.ts';
import { api } from '../../api.ts';
import { CloseButton } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import type { MethodologySummary } from '../../methodologyTypes.ts';
import { useFetch } from '../../useFetch.ts';
import { useSubmit } from '../../useSubmit.ts';
import { localToday } from './access.ts';
import { IssueSelectedButton, ProposalCheckbox, registeredPicks } from './ProposalPicks.tsx';

interface Proposed { methodologyId: string; direction: string; rules: number; proposals: ProposalDto[]; skipped: unknown[]; unmatched: string[] }

export function ProposeDialog({ direction, onClose, onIssued }: { direction: string; onClose(): void; onIssued(n: number): void }) {
  const list = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const options = (list.data?.items ?? []).filter((m) => m.direction === direction);
  const [choice, setChoice] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Proposed | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const chosen = choice || (options[0] ? `${options[0].id}@${options[0].version}` : '');

  const s = useSubmit(
    async () => {
      const [id, version] = chosen.split('@');
      const form = new FormData();
      form.set('methodology', id ?? '');
      form.set('version', version ?? '');
      if (file) form.set('file', file);
      const r = await api.post<Proposed>('/api/recommendations/propose', form);
      setResult(r);
      setSelected(registeredPicks(r.proposals));
    },
    () => Boolean(file && chosen),
  );

  const issue = () => {
    if (!result) return;
    const picked = result.proposals.filter((p, i) => selected.has(i) && p.organisationId);
    const groups = new Map<string, ProposalDto[]>();
    for (const p of picked) groups.set(p.rule, [...(groups.get(p.rule) ?? []), p]);
    void s.run(async () => {
      let n = 0;
      for (const ps of groups.values()) {
        const first = ps[0]!;
        const r = await api.post<{ items: unknown[] }>('/api/recommendations', {
          direction, methodologyId: result.methodologyId, addresseeKind: first.addressee, text: first.text,
          organisationIds: ps.map((p) => p.organisationId),
          ...(first.dueDays ? { dueDate: addDays(localToday(), first.dueDays) } : {}),
        });
        n += r.items.length;
      }
      onIssued(n);
    });
  };

  return (
    <Modal title="Предложить рекомендации по правилам методики" onClose={onClose}>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        <Field label="Методика" hint={options.length === 0 ? 'Нет методик этого направления.' : undefined}>
          <select value={chosen} onChange={(e) => setChoice(e.target.value)}>
            {options.map((m) => (
              <option key={`${m.id}@${m.version}`} value={`${m.id}@${m.version}`}>
                {m.title} ({m.id}, версия {m.version})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Файл данных (CSV или XLSX)">
          <input type="file" accept=".csv,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
        <div className="actions">
          <button type="submit" className="btn" disabled={s.busy || !file || !chosen}>
            Рассчитать и предложить
          </button>
        </div>
      </form>
      <ErrorBox error={s.error} />
      {result && (
        <>
          {result.rules === 0 && <p className="muted">В методике нет правил адресных рекомендаций (recommendation_rules).</p>}
          {result.unmatched.length > 0 && <p className="overdue-text small">Нет в реестре: {result.unmatched.join(', ')}</p>}
          {result.proposals.length === 0 ? (
            <p className="muted">Правила ничего не предлагают по этим данным.</p>
          ) : (
            <fieldset className="fieldset">
              <legend>Предложения ({result.proposals.length})</legend>
              {result.proposals.map((p, i) => (
                <ProposalCheckbox key={i} proposal={p} index={i} picked={selected} onPick={setSelected}>
                  {' '}({ADDRESSEE_LABELS[p.addressee]}): {p.text}
                </ProposalCheckbox>
              ))}
            </fieldset>
          )}
          <IssueSelectedButton busy={s.busy} count={selected.size} onIssue={issue} />
        </>
      )}
      <CloseButton onClose={onClose} />
    </Modal>
  );
}
