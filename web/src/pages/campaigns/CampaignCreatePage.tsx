/** «Создать мониторинг»: methodology version, period, participants (all, by type, a list), dates and a title. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Campaign } from '../../../../src/core/collection/schema.ts';
import { parsePeriod, periodLabel } from '../../../../src/core/calendar/periods.ts';
import { api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { CreateActions, DateTextField, MethodologyVersionOptions, TextField } from '../../components/FormFields.tsx';
import { ParticipantsFieldset, useParticipants } from '../../components/ParticipantsFieldset.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import type { Organisation } from '../../types.ts';
import type { MethodologySummary } from '../../methodologyTypes.ts';
import { useFetch } from '../../useFetch.ts';
import { useCheckedSubmit } from '../../useSubmit.ts';
import { checkCampaignBasics } from './campaignBasics.ts';

export function CampaignCreatePage() {
  const navigate = useNavigate();
  const methodologies = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const organisations = useFetch<{ items: Organisation[] }>('/api/organisations');
  const [title, setTitle] = useState('');
  const [methodology, setMethodology] = useState('');
  const [period, setPeriod] = useState('');
  const participants = useParticipants();
  const [opensOn, setOpensOn] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const { errors, error, busy, submit } = useCheckedSubmit();

  if (methodologies.error) return <PageError error={methodologies.error} />;
  if (!methodologies.data || !organisations.data) return <Loading />;
  const list = methodologies.data.items;
  const parsedPeriod = period.trim() ? parsePeriod(period) : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const basics = checkCampaignBasics({ title, methodology, period, dates: { opensOn, dueOn, closesOn } });
    const fe: Record<string, string> = basics.ok ? {} : { ...basics.errors };
    if (participants.error) fe.participants = participants.error;
    void submit(fe, async () => {
      if (!basics.ok) return;
      const c = await api.post<Campaign>('/api/campaigns', { ...basics.body, participants: participants.value });
      navigate(`/campaigns/${c.id}`);
    });
  };

  return (
    <section aria-labelledby="campaign-new-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / Новый мониторинг
      </p>
      <h1 id="campaign-new-title">Создать мониторинг</h1>
      <form className="card form" onSubmit={onSubmit} noValidate>
        <ErrorBox error={error} />
        <TextField label="Название" error={errors.title} value={title} onChange={setTitle} />
        <Field label="Методика" error={errors.methodologyId} hint="Форма для организаций строится из входных данных методики">
          <select value={methodology} onChange={(e) => setMethodology(e.target.value)}>
            <option value="">— выберите —</option>
            <MethodologyVersionOptions items={list} />
          </select>
        </Field>
        <TextField
          label="Период"
          error={errors.period}
          hint={parsedPeriod?.ok ? `Период: ${periodLabel(parsedPeriod.value)}` : 'Учебный год 2021/2022, год 2022, 1 полугодие 2022, 3 квартал 2022, март 2022'}
          value={period}
          onChange={setPeriod}
        />
        <ParticipantsFieldset state={participants} organisations={organisations.data.items} legend="Участники" idPrefix="" listLabel="Организации" error={errors.participants} />
        <div className="form-row form-row-3">
          <DateTextField label="Начало сбора" error={errors.opensOn} value={opensOn} onChange={setOpensOn} />
          <DateTextField label="Срок сдачи" error={errors.dueOn} value={dueOn} onChange={setDueOn} />
          <DateTextField label="Окончание сбора" error={errors.closesOn} value={closesOn} onChange={setClosesOn} />
        </div>
        <CreateActions busy={busy} label="Создать" cancelTo="/campaigns" />
      </form>
    </section>
  );
}
