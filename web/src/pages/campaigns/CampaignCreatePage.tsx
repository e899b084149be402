/** «Создать мониторинг»: methodology version, period, participants (all, by type, a list), dates and a title. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Campaign, Participants } from '../../../../src/core/collection/schema.ts';
import { parsePeriod, periodLabel } from '../../../../src/core/calendar/periods.ts';
import { ApiError, api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { ORG_TYPE_LABELS } from '../../labels.ts';
import type { Organisation, OrgType } from '../../types.ts';
import type { MethodologySummary } from '../../methodologyTypes.ts';
import { useFetch } from '../../useFetch.ts';
import { checkCampaignBasics } from './campaignBasics.ts';

const TYPES: OrgType[] = ['school', 'preschool', 'supplementary'];

export function CampaignCreatePage() {
  const navigate = useNavigate();
  const methodologies = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const organisations = useFetch<{ items: Organisation[] }>('/api/organisations');
  const [title, setTitle] = useState('');
  const [methodology, setMethodology] = useState('');
  const [period, setPeriod] = useState('');
  const [mode, setMode] = useState<Participants['mode']>('all');
  const [types, setTypes] = useState<OrgType[]>([]);
  const [orgIds, setOrgIds] = useState<string[]>([]);
  const [opensOn, setOpensOn] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  if (methodologies.error) return <PageError error={methodologies.error} />;
  if (!methodologies.data || !organisations.data) return <Loading />;
  const list = methodologies.data.items;
  const parsedPeriod = period.trim() ? parsePeriod(period) : null;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const basics = checkCampaignBasics({ title, methodology, period, dates: { opensOn, dueOn, closesOn } });
    const fe: Record<string, string> = basics.ok ? {} : { ...basics.errors };
    if (mode === 'types' && types.length === 0) fe.participants = 'Выберите хотя бы один тип';
    if (mode === 'list' && orgIds.length === 0) fe.participants = 'Выберите хотя бы одну организацию';
    setErrors(fe);
    if (!basics.ok || Object.keys(fe).length) {
      setError('Исправьте ошибки в полях формы.');
      return;
    }
    const participants: Participants = mode === 'all' ? { mode } : mode === 'types' ? { mode, types } : { mode, organisationIds: orgIds };
    setBusy(true);
    setError(null);
    try {
      const c = await api.post<Campaign>('/api/campaigns', { ...basics.body, participants });
      navigate(`/campaigns/${c.id}`);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      setErrors(apiErr.fieldMap());
      setError(apiErr);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="campaign-new-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / Новый мониторинг
      </p>
      <h1 id="campaign-new-title">Создать мониторинг</h1>
      <form className="card form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <ErrorBox error={error} />
        <Field label="Название" error={errors.title}>
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Методика" error={errors.methodologyId} hint="Форма для организаций строится из входных данных методики">
          <select value={methodology} onChange={(e) => setMethodology(e.target.value)}>
            <option value="">— выберите —</option>
            {list.map((m) => (
              <option key={`${m.id}@${m.version}`} value={JSON.stringify([m.id, m.version])}>
                {m.title} ({m.id}, версия {m.version})
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Период"
          error={errors.period}
          hint={parsedPeriod?.ok ? `Период: ${periodLabel(parsedPeriod.value)}` : 'Учебный год 2021/2022, год 2022, 1 полугодие 2022, 3 квартал 2022, март 2022'}
        >
          <input value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
        <fieldset className="fieldset">
          <legend>Участники</legend>
          {(
            [
              ['all', 'Все действующие организации'],
              ['types', 'По типу организации'],
              ['list', 'Выбранные организации'],
            ] as const
          ).map(([value, label]) => (
            <div className="checkbox" key={value}>
              <input id={`mode-${value}`} type="radio" name="mode" checked={mode === value} onChange={() => setMode(value)} />
              <label htmlFor={`mode-${value}`}>{label}</label>
            </div>
          ))}
          {mode === 'types' &&
            TYPES.map((t) => (
              <div className="checkbox nested" key={t}>
                <input
                  id={`type-${t}`}
                  type="checkbox"
                  checked={types.includes(t)}
                  onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, t] : ts.filter((x) => x !== t)))}
                />
                <label htmlFor={`type-${t}`}>{ORG_TYPE_LABELS[t]}</label>
              </div>
            ))}
          {mode === 'list' && (
            <Field label="Организации" hint="Несколько — с Ctrl или Shift">
              <select multiple size={10} value={orgIds} onChange={(e) => setOrgIds([...e.target.selectedOptions].map((o) => o.value))}>
                {organisations.data.items.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.no}. {o.shortName}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {errors.participants && <div className="field-error">{errors.participants}</div>}
        </fieldset>
        <div className="form-row form-row-3">
          <Field label="Начало сбора" error={errors.opensOn} hint="дд.мм.гггг">
            <input inputMode="numeric" value={opensOn} onChange={(e) => setOpensOn(e.target.value)} />
          </Field>
          <Field label="Срок сдачи" error={errors.dueOn} hint="дд.мм.гггг">
            <input inputMode="numeric" value={dueOn} onChange={(e) => setDueOn(e.target.value)} />
          </Field>
          <Field label="Окончание сбора" error={errors.closesOn} hint="дд.мм.гггг">
            <input inputMode="numeric" value={closesOn} onChange={(e) => setClosesOn(e.target.value)} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Создание…' : 'Создать'}
          </button>
          <Link className="btn" to="/campaigns">
            Отмена
          </Link>
        </div>
      </form>
    </section>
  );
}
