/** «Создать опрос»: title, campaign (or period), audience, participants, dates, the minimum number of answers for
 * showing results, single-use codes, and the questions (0–10 scale, one or several options, free text). */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Campaign, Participants } from '../../../../src/core/collection/schema.ts';
import { parseRussianDate } from '../../../../src/core/format.ts';
import {
  QUESTION_KIND_LABELS,
  SURVEY_AUDIENCE_LABELS,
  SURVEY_AUDIENCES,
  type QuestionKind,
  type SurveyAudience,
  type SurveyDetail,
} from '../../../../src/core/surveys/schema.ts';
import { ApiError, api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { ORG_TYPE_LABELS } from '../../labels.ts';
import type { Organisation, OrgType } from '../../types.ts';
import { useFetch } from '../../useFetch.ts';
import './surveys.css';

const TYPES: OrgType[] = ['school', 'preschool', 'supplementary'];

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

export function SurveyCreatePage() {
  const navigate = useNavigate();
  const campaigns = useFetch<{ items: Campaign[] }>('/api/campaigns');
  const organisations = useFetch<{ items: Organisation[] }>('/api/organisations');
  const [title, setTitle] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [period, setPeriod] = useState('');
  const [enrolmentInput, setEnrolmentInput] = useState('');
  const [audience, setAudience] = useState<SurveyAudience>('parents');
  const [mode, setMode] = useState<Participants['mode']>('all');
  const [types, setTypes] = useState<OrgType[]>([]);
  const [orgIds, setOrgIds] = useState<string[]>([]);
  const [opensOn, setOpensOn] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const [minRespondents, setMinRespondents] = useState('5');
  const [requiresCodes, setRequiresCodes] = useState(false);
  const [questions, setQuestions] = useState<Draft[]>(() => [
    { ...newQuestion('scale'), text: 'Насколько вы удовлетворены результатами обучения вашего ребёнка? Оцените от 0 до 10', loyalty: true },
  ]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!organisations.data) return <Loading />;
  const campaignList = campaigns.data?.items ?? [];

  const update = (key: number, patch: Partial<Draft>) => setQuestions((qs) => qs.map((q) => (q.key === key ? { ...q, ...patch } : q)));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!title.trim()) fe.title = 'Введите название';
    if (!campaignId && !period.trim()) fe.period = 'Укажите период (или выберите мониторинг)';
    const dates = { opensOn: parseRussianDate(opensOn), closesOn: parseRussianDate(closesOn) };
    for (const [k, v] of Object.entries(dates)) if (!v) fe[k] = 'Укажите дату в формате дд.мм.гггг';
    if (mode === 'types' && types.length === 0) fe.participants = 'Выберите хотя бы один тип';
    if (mode === 'list' && orgIds.length === 0) fe.participants = 'Выберите хотя бы одну организацию';
    const min = Number(minRespondents);
    if (!Number.isInteger(min) || min < 1) fe.minRespondents = 'Целое число не меньше 1';
    setErrors(fe);
    if (Object.keys(fe).length) {
      setError('Исправьте ошибки в полях формы.');
      return;
    }
    const participants: Participants = mode === 'all' ? { mode } : mode === 'types' ? { mode, types } : { mode, organisationIds: orgIds };
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<SurveyDetail>('/api/surveys', {
        title: title.trim(),
        campaignId: campaignId || null,
        period: campaignId ? null : period.trim(),
        enrolmentInput: campaignId && enrolmentInput.trim() ? enrolmentInput.trim() : null,
        audience,
        participants,
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
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      const map: Record<string, string> = {};
      for (const f of apiErr.fields) {
        const key = /^questions\.\d+/.exec(f.path)?.[0] ?? f.path.split('.')[0] ?? '';
        if (!(key in map)) map[key] = f.message;
      }
      setErrors(map);
      setError(apiErr);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="survey-new-title">
      <p className="breadcrumbs">
        <Link to="/surveys">Опросы</Link> / Новый опрос
      </p>
      <h1 id="survey-new-title">Создать опрос</h1>
      <form className="card form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <ErrorBox error={error} />
        <Field label="Название" error={errors.title}>
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Мониторинг" hint="Необязательно: опрос в рамках мониторинга берёт из него период">
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">— без мониторинга —</option>
            {campaignList.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title} ({c.periodLabel})
              </option>
            ))}
          </select>
        </Field>
        {campaignId ? (
          <Field label="Поле формы с количеством детей" error={errors.enrolmentInput} hint="Например children_5_17 или students; иначе количество вводится в опросе">
            <input value={enrolmentInput} onChange={(e) => setEnrolmentInput(e.target.value)} />
          </Field>
        ) : (
          <Field label="Период" error={errors.period} hint="Учебный год 2021/2022, год 2022, 1 полугодие 2022">
            <input value={period} onChange={(e) => setPeriod(e.target.value)} />
          </Field>
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
        <fieldset className="fieldset">
          <legend>Организации</legend>
          {(
            [
              ['all', 'Все действующие организации'],
              ['types', 'По типу организации'],
              ['list', 'Выбранные организации'],
            ] as const
          ).map(([value, label]) => (
            <div className="checkbox" key={value}>
              <input id={`smode-${value}`} type="radio" name="smode" checked={mode === value} onChange={() => setMode(value)} />
              <label htmlFor={`smode-${value}`}>{label}</label>
            </div>
          ))}
          {mode === 'types' &&
            TYPES.map((t) => (
              <div className="checkbox nested" key={t}>
                <input id={`stype-${t}`} type="checkbox" checked={types.includes(t)} onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, t] : ts.filter((x) => x !== t)))} />
                <label htmlFor={`stype-${t}`}>{ORG_TYPE_LABELS[t]}</label>
              </div>
            ))}
          {mode === 'list' && (
            <Field label="Список организаций" hint="Несколько — с Ctrl или Shift">
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
        <div className="form-row">
          <Field label="Начало опроса" error={errors.opensOn} hint="дд.мм.гггг">
            <input inputMode="numeric" value={opensOn} onChange={(e) => setOpensOn(e.target.value)} />
          </Field>
          <Field label="Окончание опроса" error={errors.closesOn} hint="дд.мм.гггг">
            <input inputMode="numeric" value={closesOn} onChange={(e) => setClosesOn(e.target.value)} />
          </Field>
        </div>
        <Field label="Минимум ответов для показа результатов" error={errors.minRespondents} hint="Меньше — результаты организации не показываются">
          <input inputMode="numeric" value={minRespondents} onChange={(e) => setMinRespondents(e.target.value)} />
        </Field>
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
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Создание…' : 'Создать опрос'}
          </button>
          <Link className="btn" to="/surveys">
            Отмена
          </Link>
        </div>
      </form>
    </section>
  );
}
