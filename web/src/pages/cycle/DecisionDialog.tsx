/** «Управленческое решение»: kind, document, responsible, the recommendations and the campaign that motivated it, and
 * the indicators it should move («методика: показатель[: цель][: снижение]») — its effect is measured against the
 * next campaign of the same methodology. */
import { useState } from 'react';
import { DECISION_KINDS, DECISION_KIND_LABELS } from '../../../../src/core/cycle/api-schema.ts';
import type { DirectionCode } from '../../../../src/core/cycle/roadmap-schema.ts';
import type { DecisionDto, RecommendationDto } from '../../../../src/services/cycle/recommendations.ts';
import { api } from '../../api.ts';
import { DialogButtons } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { CampaignOptions } from '../../components/FormFields.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { useSubmit } from '../../useSubmit.ts';
import { localToday } from './access.ts';
import { useDirectionCampaigns } from './campaigns.ts';

type Ref = DecisionDto['indicators'][number];

/** Parses the indicator lines; null with a message when a line is malformed. */
export function parseIndicatorLines(text: string): { refs: Ref[] } | { error: string } {
  const refs: Ref[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [methodology_id, indicator, target, dir] = line.split(':').map((p) => p.trim());
    if (!methodology_id || !indicator) return { error: 'Каждая строка: «методика: показатель[: цель][: снижение]», например «talents-2021: diversity_index: 2,6»' };
    const ref: Ref = { methodology_id, indicator };
    if (target) {
      const n = Number(target.replace(',', '.').replace(/\s/g, ''));
      if (!Number.isFinite(n)) return { error: `Цель «${target}» — не число` };
      ref.target = n;
    }
    if (dir) {
      if (!/^(рост|снижение)$/i.test(dir)) return { error: `Направление «${dir}»: укажите «рост» или «снижение»` };
      ref.direction = /^снижение$/i.test(dir) ? 'decrease' : 'increase';
    }
    refs.push(ref);
  }
  return { refs };
}

export function DecisionDialog({ direction, recs, onClose, onSaved }: { direction: DirectionCode; recs: RecommendationDto[]; onClose(): void; onSaved(): void }) {
  const { campaigns } = useDirectionCampaigns(direction);
  const [kind, setKind] = useState<DecisionDto['kind']>('order');
  const [number, setNumber] = useState('');
  const [date, setDate] = useState(localToday());
  const [title, setTitle] = useState('');
  const [responsible, setResponsible] = useState('');
  const [documentUrl, setDocumentUrl] = useState('');
  const [recIds, setRecIds] = useState<string[]>(recs.filter((r) => r.decisionIds.length === 0).map((r) => r.id));
  const picked = recs.filter((r) => recIds.includes(r.id));
  const suggestedCampaign = picked.find((r) => r.campaignId)?.campaignId ?? '';
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const campaign = campaignId ?? suggestedCampaign;
  const suggestedIndicators = [...new Set(picked.filter((r) => r.indicator && r.methodologyId).map((r) => `${r.methodologyId}: ${r.indicator}`))].join('\n');
  const [indicators, setIndicators] = useState<string | null>(null);
  const indicatorText = indicators ?? suggestedIndicators;
  const [indicatorError, setIndicatorError] = useState<string | undefined>();
  const parsed = parseIndicatorLines(indicatorText);
  const s = useSubmit(
    async () => {
      if ('error' in parsed) return;
      await api.post('/api/decisions', {
        direction, kind, date, title, responsible, recommendationIds: recIds, indicators: parsed.refs,
        ...(campaign ? { campaignId: campaign } : {}),
        ...(number.trim() ? { number: number.trim() } : {}),
        ...(documentUrl.trim() ? { documentUrl: documentUrl.trim() } : {}),
      });
      onSaved();
    },
    () => {
      setIndicatorError('error' in parsed ? parsed.error : undefined);
      return !('error' in parsed);
    },
  );
  const fields = s.fields;

  return (
    <Modal title="Управленческое решение" onClose={onClose}>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        <Field label="Вид решения" error={fields.kind}>
          <select value={kind} onChange={(e) => setKind(e.target.value as DecisionDto['kind'])}>
            {DECISION_KINDS.map((k) => (
              <option key={k} value={k}>
                {DECISION_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Номер документа" error={fields.number}>
          <input value={number} onChange={(e) => setNumber(e.target.value)} />
        </Field>
        <Field label="Дата" error={fields.date}>
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </Field>
        <Field label="Название (о чём решение)" error={fields.title}>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required />
        </Field>
        <Field label="Ответственный" error={fields.responsible}>
          <input value={responsible} onChange={(e) => setResponsible(e.target.value)} required />
        </Field>
        <Field label="Ссылка на документ" error={fields.documentUrl} hint="Файл документа можно загрузить на странице решения.">
          <input type="url" value={documentUrl} onChange={(e) => setDocumentUrl(e.target.value)} placeholder="https://" />
        </Field>
        <fieldset className="fieldset">
          <legend>Рекомендации, по которым принято решение</legend>
          {recs.length === 0 && <p className="muted small">Рекомендаций по направлению нет.</p>}
          {recs.map((r) => (
            <label key={r.id} className="checkbox">
              <input type="checkbox" checked={recIds.includes(r.id)} onChange={(e) => setRecIds(e.target.checked ? [...recIds, r.id] : recIds.filter((x) => x !== r.id))} />{' '}
              {r.organisationName ?? 'муниципальный уровень'}: {r.text.length > 80 ? `${r.text.slice(0, 77)}…` : r.text}
            </label>
          ))}
        </fieldset>
        <Field label="Мониторинг, по результатам которого принято решение" error={fields.campaignId} hint="Эффект сравнивает его со следующим мониторингом той же методики.">
          <select value={campaign} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">— не указан —</option>
            <CampaignOptions campaigns={campaigns} />
          </select>
        </Field>
        <Field
          label="Показатели, на которые должно повлиять решение"
          error={indicatorError ?? fields.indicators}
          hint="По одному в строке: «методика: показатель», при желании «: цель» и «: снижение», например «talents-2021: diversity_index: 2,6»."
        >
          <textarea value={indicatorText} onChange={(e) => setIndicators(e.target.value)} rows={3} />
        </Field>
        {s.error && !Object.keys(fields).length && <ErrorBox error={s.error} />}
        <DialogButtons busy={s.busy} onClose={onClose} />
      </form>
    </Modal>
  );
}
