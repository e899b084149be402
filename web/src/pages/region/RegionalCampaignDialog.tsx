/** «Новый региональный мониторинг»: methodology version, period, dates, title, participants (chosen municipalities or
 * the whole region) and optionally organisation types. The server validates again (Russian messages per field). */
import { useState, type FormEvent } from 'react';
import { parsePeriod, periodLabel } from '../../../../src/core/calendar/periods.ts';
import type { RegionalCampaign, RegionalParticipants } from '../../../../src/core/region/campaign-schema.ts';
import { api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { DateTextField, MethodologyVersionOptions, TextField } from '../../components/FormFields.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { ORG_TYPE_LABELS } from '../../labels.ts';
import type { MethodologySummary } from '../../methodologyTypes.ts';
import type { OrgType } from '../../types.ts';
import { useFetch } from '../../useFetch.ts';
import { useCheckedSubmit } from '../../useSubmit.ts';
import { checkCampaignBasics } from '../campaigns/campaignBasics.ts';

const TYPES: OrgType[] = ['school', 'preschool', 'supplementary'];

interface Props {
  municipalities: { id: string; name: string }[];
  onClose(): void;
  onCreated(c: RegionalCampaign): void;
}

export function RegionalCampaignDialog({ municipalities, onClose, onCreated }: Props) {
  const methodologies = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const [title, setTitle] = useState('');
  const [methodology, setMethodology] = useState('');
  const [period, setPeriod] = useState('');
  const [mode, setMode] = useState<RegionalParticipants['mode']>('municipalities');
  const [chosen, setChosen] = useState<string[]>([]);
  const [types, setTypes] = useState<OrgType[]>([]);
  const [dates, setDates] = useState({ opensOn: '', dueOn: '', closesOn: '' });
  const { errors, error, busy, submit } = useCheckedSubmit();
  const parsedPeriod = period.trim() ? parsePeriod(period) : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const basics = checkCampaignBasics({ title, methodology, period, dates });
    const fe: Record<string, string> = basics.ok ? {} : { ...basics.errors };
    if (mode === 'municipalities' && chosen.length === 0) fe.participants = 'Выберите хотя бы один муниципалитет';
    void submit(fe, async () => {
      if (!basics.ok) return;
      const participants: RegionalParticipants = mode === 'region' ? { mode } : { mode, municipalityIds: chosen };
      const body = { ...basics.body, participants, ...(types.length ? { types } : {}) };
      onCreated(await api.post<RegionalCampaign>('/api/region/regional-campaigns', body));
    });
  };

  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));
  return (
    <Modal title="Новый региональный мониторинг" onClose={onClose}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <ErrorBox error={error ?? (methodologies.error ? methodologies.error.message : null)} />
        <TextField label="Название" error={errors.title} value={title} onChange={setTitle} />
        <Field label="Методика" error={errors.methodologyId}>
          <select value={methodology} onChange={(e) => setMethodology(e.target.value)}>
            <option value="">— выберите —</option>
            <MethodologyVersionOptions items={methodologies.data?.items ?? []} />
          </select>
        </Field>
        <TextField label="Период" error={errors.period} hint={parsedPeriod?.ok ? `Период: ${periodLabel(parsedPeriod.value)}` : 'Например, 2021/2022 или 2022'} value={period} onChange={setPeriod} />
        <fieldset className="fieldset">
          <legend>Участники</legend>
          {([['municipalities', 'Выбранные муниципалитеты'], ['region', 'Все организации региона']] as const).map(([value, label]) => (
            <div className="checkbox" key={value}>
              <input id={`rmode-${value}`} type="radio" name="rmode" checked={mode === value} onChange={() => setMode(value)} />
              <label htmlFor={`rmode-${value}`}>{label}</label>
            </div>
          ))}
          {mode === 'municipalities' && municipalities.map((m) => (
            <div className="checkbox nested" key={m.id}>
              <input id={`mun-${m.id}`} type="checkbox" checked={chosen.includes(m.id)} onChange={(e) => setChosen((c) => toggle(c, m.id, e.target.checked))} />
              <label htmlFor={`mun-${m.id}`}>{m.name}</label>
            </div>
          ))}
          {errors.participants && <div className="field-error">{errors.participants}</div>}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Типы организаций (не отмечено — все)</legend>
          {TYPES.map((t) => (
            <div className="checkbox" key={t}>
              <input id={`rtype-${t}`} type="checkbox" checked={types.includes(t)} onChange={(e) => setTypes((ts) => toggle(ts, t, e.target.checked))} />
              <label htmlFor={`rtype-${t}`}>{ORG_TYPE_LABELS[t]}</label>
            </div>
          ))}
          {errors.types && <div className="field-error">{errors.types}</div>}
        </fieldset>
        <div className="form-row form-row-3">
          {([['opensOn', 'Начало сбора'], ['dueOn', 'Срок сдачи'], ['closesOn', 'Окончание сбора']] as const).map(([k, label]) => (
            <DateTextField key={k} label={label} error={errors[k]} value={dates[k]} onChange={(v) => setDates((d) => ({ ...d, [k]: v }))} />
          ))}
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Создание…' : 'Создать'}</button>
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
        </div>
      </form>
    </Modal>
  );
}
