/** A survey: status and actions, results by type and organisation (suppressed below the minimum), the number of
 * children per organisation, single-use codes, links to the printable sheet of QR codes and to the CSV export. */
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  QUESTION_KIND_LABELS,
  SURVEY_AUDIENCE_LABELS,
  SURVEY_STATUS_LABELS,
  type GroupResult,
  type SurveyDetail,
  type SurveyLink,
  type SurveyResults,
} from '../../../../src/core/surveys/schema.ts';
import { ApiError, api, request } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Field } from '../../components/Field.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { ORG_TYPE_LABELS } from '../../labels.ts';
import { useFetch } from '../../useFetch.ts';
import { canManageSurveys } from './access.ts';
import { num, ruDate } from './format.ts';
import './surveys.css';

export function SurveyPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const survey = useFetch<SurveyDetail>(`/api/surveys/${id}`);
  const results = useFetch<SurveyResults>(`/api/surveys/${id}/results`);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  if (survey.error) return <PageError error={survey.error} />;
  if (!survey.data || !user) return <Loading />;
  const s = survey.data;
  const manager = canManageSurveys(user.role);

  const act = async (action: 'open' | 'close') => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/surveys/${s.id}/${action}`);
      survey.reload();
      results.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="survey-title">
      <p className="breadcrumbs">
        <Link to="/surveys">Опросы</Link> / {s.title}
      </p>
      <div className="page-head">
        <h1 id="survey-title">{s.title}</h1>
        {manager && (
          <div className="actions no-print">
            {s.status === 'draft' && (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('open')}>
                Открыть опрос
              </button>
            )}
            {s.status === 'open' && (
              <button type="button" className="btn" disabled={busy} onClick={() => void act('close')}>
                Завершить опрос
              </button>
            )}
            <Link className="btn" to={`/surveys/${s.id}/print`}>
              Ссылки и QR-коды для печати
            </Link>
            <a className="btn" href={`/api/surveys/${s.id}/satisfaction.csv`} download>
              Выгрузить CSV (satisfaction.csv)
            </a>
          </div>
        )}
      </div>
      <ErrorBox error={error} />
      <dl className="details">
        <dt>Статус</dt>
        <dd>{SURVEY_STATUS_LABELS[s.status]}</dd>
        <dt>Респонденты</dt>
        <dd>{SURVEY_AUDIENCE_LABELS[s.audience]}</dd>
        <dt>{s.campaignId ? 'Мониторинг' : 'Период'}</dt>
        <dd>{s.campaignId ? <Link to={`/campaigns/${s.campaignId}`}>{s.campaignTitle}</Link> : s.period}</dd>
        <dt>Сроки</dt>
        <dd>
          {ruDate(s.opensOn)} – {ruDate(s.closesOn)}
        </dd>
        <dt>Организаций</dt>
        <dd>{num(s.organisationCount)}</dd>
        <dt>Ответов</dt>
        <dd>{num(s.respondents)}</dd>
        <dt>Минимум ответов</dt>
        <dd>{num(s.minRespondents)} (меньше — результаты не показываются)</dd>
        <dt>Одноразовые коды</dt>
        <dd>{s.requiresCodes ? 'обязательны' : 'не требуются'}</dd>
      </dl>

      <h2>Результаты</h2>
      {results.error ? <ErrorBox error={results.error} /> : !results.data ? <Loading /> : <ResultsView r={results.data} />}

      <details className="card no-print">
        <summary>Вопросы анкеты ({s.questions.length})</summary>
        <ol>
          {s.questions.map((q) => (
            <li key={q.id}>
              {q.text} <span className="muted">— {QUESTION_KIND_LABELS[q.kind]}{q.required ? '' : ', необязательный'}{q.loyalty ? ', индекс лояльности' : ''}</span>
              {q.options.length > 0 && <div className="muted small">{q.options.join(' · ')}</div>}
            </li>
          ))}
        </ol>
      </details>
      {manager && <EnrolmentEditor surveyId={s.id} onSaved={results.reload} />}
      {manager && s.status !== 'closed' && <CodesGenerator surveyId={s.id} />}
    </section>
  );
}

function Row({ g, head }: { g: GroupResult; head?: boolean }) {
  const loyalty = g.questions.find((q) => q.loyalty)?.loyalty ?? null;
  const Cell = head ? 'th' : 'td';
  return (
    <tr>
      <Cell scope={head ? 'row' : undefined}>
        {g.label}
        {g.type && g.key !== g.type ? <span className="muted"> ({ORG_TYPE_LABELS[g.type]})</span> : null}
      </Cell>
      <td className="num" title={g.childrenNote ?? undefined}>
        {num(g.children)}
      </td>
      <td className="num">{num(g.respondents)}</td>
      <td className="num" title={g.participation.explanation}>
        {num(g.participation.value, 1)}
      </td>
      {g.suppressed ? (
        <td colSpan={4} className="suppressed">
          {g.suppressionNote}
        </td>
      ) : (
        <>
          <td className="num">{loyalty ? num(loyalty.promoters) : '—'}</td>
          <td className="num">{loyalty ? num(loyalty.neutrals) : '—'}</td>
          <td className="num">{loyalty ? num(loyalty.critics) : '—'}</td>
          <td className="num" title={loyalty?.explanation}>
            {loyalty ? num(loyalty.value, 1) : '—'}
          </td>
        </>
      )}
    </tr>
  );
}

function Table({ caption, groups, total }: { caption: string; groups: GroupResult[]; total?: GroupResult | null }) {
  return (
    <div className="table-wrap survey-results">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Группа</th>
            <th scope="col" className="num">Детей</th>
            <th scope="col" className="num">Ответов</th>
            <th scope="col" className="num">Доля участия, %</th>
            <th scope="col" className="num">Сторонники (9–10)</th>
            <th scope="col" className="num">Нейтралы (7–8)</th>
            <th scope="col" className="num">Критики (0–6)</th>
            <th scope="col" className="num">Индекс лояльности</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <Row key={g.key} g={g} />
          ))}
          {total && <Row g={total} head />}
        </tbody>
      </table>
    </div>
  );
}

function ResultsView({ r }: { r: SurveyResults }) {
  return (
    <>
      <p className="muted small">
        Результаты группы меньше чем из {r.minRespondents} ответов не показываются. Наведите на долю или индекс, чтобы увидеть расчёт.
      </p>
      {r.scope === 'all' && <Table caption="По типам организаций" groups={r.byType} total={r.total} />}
      <Table caption={r.scope === 'all' ? 'По организациям' : 'Ваша организация'} groups={r.byOrganisation} />
      {r.total && !r.total.suppressed && (
        <div className="card">
          <h3>Ответы на вопросы (итого)</h3>
          {r.total.questions.map((q) => (
            <div key={q.questionId}>
              <h4>{q.text}</h4>
              {q.distribution && (
                <table className="table">
                  <caption className="visually-hidden">Распределение оценок</caption>
                  <thead>
                    <tr>
                      {q.distribution.map((_, i) => (
                        <th key={i} scope="col" className="num">
                          {i}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      {q.distribution.map((n, i) => (
                        <td key={i} className="num">
                          {num(n)}
                        </td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              )}
              {q.options && (
                <ul>
                  {q.options.map((o) => (
                    <li key={o.label}>
                      {o.label}: {num(o.count)}
                    </li>
                  ))}
                </ul>
              )}
              {q.texts && (q.texts.length ? <ul>{q.texts.map((t, i) => <li key={i}>{t}</li>)}</ul> : <p className="muted">Ответов нет</p>)}
            </div>
          ))}
        </div>
      )}
    </>
  );
}

function EnrolmentEditor({ surveyId, onSaved }: { surveyId: string; onSaved: () => void }) {
  const links = useFetch<{ items: SurveyLink[] }>(`/api/surveys/${surveyId}/links`);
  const [values, setValues] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  if (!links.data) return null;
  const value = (l: SurveyLink) => values[l.organisationId] ?? (l.children === null ? '' : String(l.children));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    setError(null);
    const items = links.data?.items.map((l) => ({ organisationId: l.organisationId, children: value(l).trim() === '' ? null : Number(value(l)) })) ?? [];
    if (items.some((i) => i.children !== null && (!Number.isInteger(i.children) || i.children < 0))) {
      setError('Количество детей — целое неотрицательное число');
      return;
    }
    try {
      await request('PUT', `/api/surveys/${surveyId}/enrolment`, { items });
      setMsg('Сохранено');
      links.reload();
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    }
  };
  return (
    <details className="card no-print">
      <summary>Количество детей по организациям</summary>
      <p className="muted small">Если в опросе указано поле мониторинга, количество берётся из отправленной формы организации; иначе — отсюда.</p>
      <form onSubmit={(e) => void onSubmit(e)}>
        <ErrorBox error={error} />
        {msg && (
          <div className="alert alert-success" role="status">
            {msg}
          </div>
        )}
        <table className="table">
          <caption className="visually-hidden">Количество детей</caption>
          <tbody>
            {links.data.items.map((l) => (
              <tr key={l.organisationId}>
                <th scope="row">
                  <label htmlFor={`ch-${l.organisationId}`}>{l.shortName}</label>
                </th>
                <td>
                  <input id={`ch-${l.organisationId}`} inputMode="numeric" value={value(l)} onChange={(e) => setValues((v) => ({ ...v, [l.organisationId]: e.target.value }))} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Сохранить количество детей
          </button>
        </div>
      </form>
    </details>
  );
}

function CodesGenerator({ surveyId }: { surveyId: string }) {
  const links = useFetch<{ items: SurveyLink[] }>(`/api/surveys/${surveyId}/links`);
  const [org, setOrg] = useState('');
  const [count, setCount] = useState('30');
  const [codes, setCodes] = useState<{ organisationId: string; shortName: string; codes: string[] }[] | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  if (!links.data) return null;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1) {
      setError('Количество кодов — целое число не меньше 1');
      return;
    }
    try {
      const r = await api.post<{ items: { organisationId: string; shortName: string; codes: string[] }[] }>(`/api/surveys/${surveyId}/codes`, { organisationId: org || null, count: n });
      setCodes(r.items);
      links.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    }
  };
  return (
    <details className="card">
      <summary>Одноразовые коды участников</summary>
      <p className="muted small">Коды показываются только сейчас — в системе хранятся лишь их хэши. Распечатайте и раздайте: каждый код принимает один ответ.</p>
      <form className="no-print" onSubmit={(e) => void onSubmit(e)}>
        <ErrorBox error={error} />
        <div className="form-row">
          <Field label="Организация">
            <select value={org} onChange={(e) => setOrg(e.target.value)}>
              <option value="">Все организации опроса</option>
              {links.data.items.map((l) => (
                <option key={l.organisationId} value={l.organisationId}>
                  {l.shortName} (выдано {l.codesTotal}, использовано {l.codesUsed})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Кодов на организацию">
            <input inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Создать коды
          </button>
          {codes && (
            <button type="button" className="btn" onClick={() => window.print()}>
              Печать
            </button>
          )}
        </div>
      </form>
      {codes?.map((c) => (
        <div key={c.organisationId}>
          <h3>{c.shortName}</h3>
          <ul className="codes-list" aria-label={`Коды: ${c.shortName}`}>
            {c.codes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
        </div>
      ))}
    </details>
  );
}
