/** «Опросы»: anonymous surveys, their status and number of answers. */
import { Link } from 'react-router';
import { formatNumber } from '../../../../src/core/format.ts';
import { SURVEY_AUDIENCE_LABELS, SURVEY_STATUS_LABELS, type Survey } from '../../../../src/core/surveys/schema.ts';
import { useAuth } from '../../auth.tsx';
import { Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { canManageSurveys } from './access.ts';
import { ruDate } from './format.ts';

export function SurveysPage() {
  const { user } = useAuth();
  const { data, error } = useFetch<{ items: Survey[] }>('/api/surveys');
  if (error) return <PageError error={error} />;
  if (!data || !user) return <Loading />;
  return (
    <section aria-labelledby="surveys-title">
      <div className="page-head">
        <h1 id="surveys-title">Опросы</h1>
        {canManageSurveys(user.role) && (
          <div className="actions">
            <Link className="btn btn-primary" to="/surveys/new">
              Создать опрос
            </Link>
          </div>
        )}
      </div>
      <p className="muted">Анонимные анкеты для родителей, обучающихся и педагогов: ответы без входа в систему по ссылке или QR-коду организации.</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Опросы</caption>
          <thead>
            <tr>
              <th scope="col">Опрос</th>
              <th scope="col">Респонденты</th>
              <th scope="col">Сроки</th>
              <th scope="col">Статус</th>
              <th scope="col" className="num">Ответов</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/surveys/${s.id}`}>{s.title}</Link>
                  <div className="muted">{s.campaignTitle ? `Мониторинг: ${s.campaignTitle}` : `Период ${s.period}`}</div>
                </td>
                <td>{SURVEY_AUDIENCE_LABELS[s.audience]}</td>
                <td className="nowrap">
                  {ruDate(s.opensOn)} – {ruDate(s.closesOn)}
                </td>
                <td>{SURVEY_STATUS_LABELS[s.status]}</td>
                <td className="num">{formatNumber(s.respondents)}</td>
              </tr>
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  Опросов пока нет
                  <p className="empty-hint">
                    {canManageSurveys(user.role)
                      ? 'Создайте опрос: выберите мониторинг, аудиторию и вопросы (для индекса лояльности — шкала 0–10), откройте его и раздайте организациям ссылки и QR-коды.'
                      : 'Здесь появятся опросы, в которых участвует ваша организация, со ссылкой и QR-кодом для родителей.'}{' '}
                    <a href="/docs/guide/analyst.md#опросы">Справка</a>
                  </p>
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
