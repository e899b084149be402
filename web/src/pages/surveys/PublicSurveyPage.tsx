/** The respondent's page `/s/:token`: no account, one column, large tap targets. Nothing about the respondent is
 * asked or sent — only the answers (and a single-use code when the survey requires one). */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { SURVEY_AUDIENCE_LABELS, type PublicSurvey } from '../../../../src/core/surveys/schema.ts';
import { ApiError, api } from '../../api.ts';
import { LowVisionPanel } from '../../components/LowVision.tsx';
import { usePageTitle } from '../../pageTitle.ts';
import './surveys.css';

type Value = number | number[] | string;

export function PublicSurveyPage() {
  const { token = '' } = useParams();
  const [survey, setSurvey] = useState<PublicSurvey | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, Value>>({});
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  usePageTitle(survey?.title, 'анонимный опрос');
  useEffect(() => {
    api
      .get<PublicSurvey>(`/api/public/surveys/${encodeURIComponent(token)}`)
      .then(setSurvey)
      .catch((err: unknown) => setLoadError(err instanceof ApiError ? err.message : 'Сервер недоступен. Проверьте подключение к интернету.'));
  }, [token]);

  if (loadError) return <Shell><div className="alert alert-error" role="alert">{loadError}</div></Shell>;
  if (!survey) return <Shell><p role="status">Загрузка анкеты…</p></Shell>;
  if (done) {
    return (
      <Shell>
        <h1>Спасибо!</h1>
        <div className="alert alert-success" role="status">
          Ваш ответ принят. Он анонимен: мы не знаем, кто его отправил.
        </div>
      </Shell>
    );
  }
  if (survey.state !== 'open') {
    return (
      <Shell>
        <h1>{survey.title}</h1>
        <p className="org">{survey.organisationName}</p>
        <div className="alert alert-info" role="status">
          {survey.message}
        </div>
      </Shell>
    );
  }

  const set = (id: string, v: Value) => setAnswers((a) => ({ ...a, [id]: v }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    survey.questions.forEach((q, i) => {
      const v = answers[q.id];
      const empty = v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'string' && v.trim() === '');
      if (q.required && empty) fe[q.id] = `Ответьте на вопрос ${i + 1}`;
    });
    if (survey.requiresCode && !code.trim()) fe.code = 'Введите код участника';
    setErrors(fe);
    if (Object.keys(fe).length) {
      setError('Ответьте на обязательные вопросы.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/public/surveys/${encodeURIComponent(token)}/responses`, { code: survey.requiresCode ? code.trim() : null, answers });
      setDone(true);
      window.scrollTo(0, 0);
    } catch (err) {
      if (err instanceof ApiError) {
        const map: Record<string, string> = {};
        for (const f of err.fields) map[f.path.replace(/^answers\./, '')] = f.message;
        setErrors(map);
        setError(err.message);
      } else setError('Сервер недоступен. Проверьте подключение и отправьте ещё раз.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Shell>
      <h1>{survey.title}</h1>
      <p className="org">
        {survey.organisationName} · {SURVEY_AUDIENCE_LABELS[survey.audience]}
      </p>
      <p className="privacy muted">Опрос анонимный: не указывайте имя, телефон и другие личные данные, в том числе в свободных ответах.</p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        {survey.questions.map((q, i) => {
          const name = `q-${q.id}`;
          const err = errors[q.id];
          return (
            <fieldset className="survey-q" key={q.id} aria-describedby={err ? `${name}-err` : undefined}>
              <legend>
                {i + 1}. {q.text} {!q.required && <span className="optional">(необязательно)</span>}
              </legend>
              {q.kind === 'scale' && (
                <>
                  <div className="scale">
                    {Array.from({ length: 11 }, (_, s) => (
                      <label className="tap" key={s}>
                        <input type="radio" name={name} value={s} checked={answers[q.id] === s} onChange={() => set(q.id, s)} aria-label={`${s} из 10`} />
                        {s}
                      </label>
                    ))}
                  </div>
                  <div className="scale-ends" aria-hidden="true">
                    <span>0 — совсем не удовлетворён</span>
                    <span>10 — полностью</span>
                  </div>
                </>
              )}
              {q.kind === 'single' &&
                q.options.map((o, k) => (
                  <label className="tap" key={k}>
                    <input type="radio" name={name} checked={answers[q.id] === k} onChange={() => set(q.id, k)} />
                    {o}
                  </label>
                ))}
              {q.kind === 'multiple' &&
                q.options.map((o, k) => {
                  const cur = Array.isArray(answers[q.id]) ? (answers[q.id] as number[]) : [];
                  return (
                    <label className="tap" key={k}>
                      <input type="checkbox" checked={cur.includes(k)} onChange={(e) => set(q.id, e.target.checked ? [...cur, k] : cur.filter((x) => x !== k))} />
                      {o}
                    </label>
                  );
                })}
              {q.kind === 'text' && (
                <textarea rows={4} maxLength={2000} aria-label={q.text} value={typeof answers[q.id] === 'string' ? (answers[q.id] as string) : ''} onChange={(e) => set(q.id, e.target.value)} />
              )}
              {err && (
                <div className="field-error" id={`${name}-err`}>
                  {err}
                </div>
              )}
            </fieldset>
          );
        })}
        {survey.requiresCode && (
          <div className="survey-q">
            <label htmlFor="survey-code">Код участника (выдан организацией)</label>
            <input id="survey-code" type="text" autoComplete="off" autoCapitalize="characters" value={code} onChange={(e) => setCode(e.target.value)} />
            {errors.code && <div className="field-error">{errors.code}</div>}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary btn-big" disabled={busy}>
          {busy ? 'Отправка…' : 'Отправить ответ'}
        </button>
      </form>
    </Shell>
  );
}

function Shell({ children }: { children: ReactNode }) {
  return (
    <main className="survey-public" id="main">
      <div className="public-top">
        <p className="muted small">МСОКО · анонимный опрос</p>
        <LowVisionPanel />
      </div>
      {children}
    </main>
  );
}
