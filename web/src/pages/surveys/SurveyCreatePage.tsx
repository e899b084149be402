/** «Создать опрос»: title, campaign (or period), audience, participants, dates, the minimum number of answers for
 * showing results, single-use codes, and the questions (0–10 scale, one or several options, free text). */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Campaign } from '../../../../src/core/collection/schema.ts';
import { parseRussianDate } from '../../../../src/core/format.ts';
import {
  QUESTION_KIND_LABELS,
  SURVEY_AUDIENCE_LABELS,
  SURVEY_AUDIENCES,
  type QuestionKind,
  type SurveyAudience,
  type SurveyDetail,
} from '../../../../src/core/surveys/schema.ts';
import { type ApiError, api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { CampaignOptions, CreateActions, DateTextField, TextField } from '../../components/FormFields.tsx';
import { ParticipantsFieldset, useParticipants } from '../../components/ParticipantsFieldset.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import type { Organisation } from '../../types.ts';
import { useFetch } from '../../useFetch.ts';
import { useCheckedSubmit } from '../../useSubmit.ts';
import './surveys.css';

interface Draft {
  key: number;
  kind: QuestionKind;
  text: string;
  options: string;
  required: boolean;
  loyalty: boolean;
}

let seq = 0;
const newQuestion = (kind: QuestionKind = 'single'): Draft => ({ key: ++seq, kind, text: '', options: '', required: kind !== 'text', loyalty: false });

/** The server's field errors keyed by question (`questions.2`) or by the first segment of the path. */
function questionFieldErrors(apiErr: ApiError): Record<string, string> {
  const map: Record<string, string> = {};
  for (const f of apiErr.fields) {
    const key = /^questions\.\d+/.exec(f.path)?.[0] ?? f.path.split('.')[0] ?? '';
    if (!(key in map)) map[key] = f.message;
  }
  return map;
}

export function SurveyCreatePage() {
  const navigate = useNavigate();
  const campaigns = useFetch<{ items: Campaign[] }>('/api/campaigns');
  const organisations = useFetch<{ items: Organisation[] }>('/api/organisations');
  const [title, setTitle] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [period, setPeriod] = useState('');
  const [enrolmentInput, setEnrolmentInput] = useState('');
  const [audience, setAudience] = useState<SurveyAudience>('parents');
  const participants = useParticipants();
  const [opensOn, setOpensOn] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const [minRespondents, setMinRespondents] = useState('5');
  const [requiresCodes, setRequiresCodes] = useState(false);
  const [questions, setQuestions] = useState<Draft[]>(() => [
    { ...newQuestion('scale'), text: 'Насколько вы удовлетворены результатами обучения вашего ребёнка? Оцените от 0 до 10', loyalty: true },
  ]);
  const { errors, error, busy, submit } = useCheckedSubmit(questionFieldErrors);

  if (!organisations.data) return <Loading />;
  const campaignList = campaigns.data?.items ?? [];

  const update = (key: number, patch: Partial<Draft>) => setQuestions((qs) => qs.map((q) => (q.key === key ? { ...q, ...patch } : q)));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!title.trim()) fe.title = 'Введите название';
    if (!campaignId && !period.trim()) fe.period = 'Укажите период (или выберите мониторинг)';
    const dates = { opensOn: parseRussianDate(opensOn), closesOn: parseRussianDate(closesOn) };
    for (const [k, v] of Object.entries(dates)) if (!v) fe[k] = 'Укажите дату в формате дд.мм.гггг';
    if (participants.error) fe.participants = participants.error;
    const min = Number(minRespondents);
    if (!Number.isInteger(min) || min < 1) fe.minRespondents = 'Целое число не меньше 1';
    void submit(fe, async () => {
      const s = await api.post<SurveyDetail>('/api/surveys', {
        title: title.trim(),
        campaignId: campaignId || null,
        period: campaignId ? null : period.trim(),
        enrolmentInput: campaignId && enrolmentInput.trim() ? enrolmentInput.trim() : null,
        audience,
        participants: participants.value,
        ...dates,
        minRespondents: min,
        requiresCodes,
        questions: questions.map((q) => ({
          kind: q.kind,
          text: q.text,
          options: q.kind === 'single' || q.kind === 'multiple' ? q.options.split('\n').map((o) => o.trim()).filter(Boolean) : [],
          required: q.loyalty ? true : q.required,
          loyalty: q.kind === 'scale' && q.loyalty,
        })),
      });
      navigate(`/surveys/${s.id}`);
    });
  };

  return (
    <section aria-labelledby="survey-new-title">
      <p className="breadcrumbs">
        <Link to="/surveys">Опросы</Link> / Новый опрос
      </p>
      <h1 id="survey-new-title">Создать опрос</h1>
      <form className="card form" onSubmit={onSubmit} noValidate>
        <ErrorBox error={error} />
        <TextField label="Название" error={errors.title} value={title} onChange={setTitle} />
        <Field label="Мониторинг" hint="Необязательно: опрос в рамках мониторинга берёт из него период">
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">— без мониторинга —</option>
            <CampaignOptions campaigns={campaignList} />
          </select>
        </Field>
        {campaignId ? (
          <TextField
            label="Поле формы с количеством детей"
            error={errors.enrolmentInput}
            hint="Например children_5_17 или students; иначе количество вводится в опросе"
            value={enrolmentInput}
            onChange={setEnrolmentInput}
          />
        ) : (
          <TextField label="Период" error={errors.period} hint="Учебный год 2021/2022, год 2022, 1 полугодие 2022" value={period} onChange={setPeriod} />
        )}
        <Field label="Кого опрашиваем">
          <select value={audience} onChange={(e) => setAudience(e.target.value as SurveyAudience)}>
            {SURVEY_AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {SURVEY_AUDIENCE_LABELS[a]}
              </option>
            ))}
          </select>
        </Field>
        <ParticipantsFieldset state={participants} organisations={organisations.data.items} legend="Организации" idPrefix="s" listLabel="Список организаций" error={errors.participants} />
        <div className="form-row">
          <DateTextField label="Начало опроса" error={errors.opensOn} value={opensOn} onChange={setOpensOn} />
          <DateTextField label="Окончание опроса" error={errors.closesOn} value={closesOn} onChange={setClosesOn} />
        </div>
        <TextField
          label="Минимум ответов для показа результатов"
          error={errors.minRespondents}
          hint="Меньше — результаты организации не показываются"
          inputMode="numeric"
          value={minRespondents}
          onChange={setMinRespondents}
        />
        <div className="checkbox">
          <input id="requires-codes" type="checkbox" checked={requiresCodes} onChange={(e) => setRequiresCodes(e.target.checked)} />
          <label htmlFor="requires-codes">Отвечать только по одноразовым кодам (коды раздаёт организация)</label>
        </div>

        <h2>Вопросы</h2>
        {errors.questions && <div className="field-error">{errors.questions}</div>}
        {questions.map((q, i) => (
          <fieldset className="fieldset" key={q.key}>
            <legend>Вопрос {i + 1}</legend>
            <Field label={`Вопрос ${i + 1}: тип`}>
              <select value={q.kind} onChange={(e) => update(q.key, { kind: e.target.value as QuestionKind, loyalty: false })}>
                {(Object.keys(QUESTION_KIND_LABELS) as QuestionKind[]).map((k) => (
                  <option key={k} value={k}>
                    {QUESTION_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={`Вопрос ${i + 1}: текст`} error={errors[`questions.${i}`]}>
              <textarea rows={2} value={q.text} onChange={(e) => update(q.key, { text: e.target.value })} />
            </Field>
            {(q.kind === 'single' || q.kind === 'multiple') && (
              <Field label={`Вопрос ${i + 1}: варианты ответа`} hint="Каждый вариант — с новой строки">
                <textarea rows={4} value={q.options} onChange={(e) => update(q.key, { options: e.target.value })} />
              </Field>
            )}
            <div className="checkbox">
              <input id={`req-${q.key}`} type="checkbox" checked={q.required || q.loyalty} disabled={q.loyalty} onChange={(e) => update(q.key, { required: e.target.checked })} />
              <label htmlFor={`req-${q.key}`}>Обязательный</label>
            </div>
            {q.kind === 'scale' && (
              <div className="checkbox">
                <input
                  id={`loy-${q.key}`}
                  type="checkbox"
                  checked={q.loyalty}
                  onChange={(e) => setQuestions((qs) => qs.map((x) => (x.key === q.key ? { ...x, loyalty: e.target.checked } : { ...x, loyalty: e.target.checked ? false : x.loyalty })))}
                />
                <label htmlFor={`loy-${q.key}`}>По этому вопросу считать индекс лояльности (9–10 — сторонники, 7–8 — нейтралы, 0–6 — критики)</label>
              </div>
            )}
            {questions.length > 1 && (
              <button type="button" className="btn" onClick={() => setQuestions((qs) => qs.filter((x) => x.key !== q.key))}>
                Удалить вопрос {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" className="btn" onClick={() => setQuestions((qs) => [...qs, newQuestion()])}>
            Добавить вопрос
          </button>
        </div>
        <CreateActions busy={busy} label="Создать опрос" cancelTo="/surveys" />
      </form>
    </section>
  );
}
