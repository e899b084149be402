/** «Методики»: built-in library and uploaded versions. */
import { Link } from 'react-router';
import { can, useAuth } from '../auth.tsx';
import { Loading, PageError } from '../components/Status.tsx';
import { DIRECTION_LABELS, type MethodologySummary } from '../methodologyTypes.ts';
import { useFetch } from '../useFetch.ts';
import { formatDateTime } from '../dateTime.ts';

export function MethodologiesPage() {
  const { user } = useAuth();
  const { data, error, loading } = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  if (error) return <PageError error={error} />;
  if (loading || !data || !user) return <Loading />;
  const editor = can.editMethodologies(user.role);

  return (
    <section aria-labelledby="meth-title">
      <div className="page-head">
        <h1 id="meth-title">Методики</h1>
        {editor && (
          <div className="actions">
            <Link className="btn btn-primary" to="/methodologies/new">
              Загрузить новую версию
            </Link>
            <Link className="btn" to="/methodologies/criteria-import">
              Импорт таблицы критериев
            </Link>
            <Link className="btn" to="/compute">
              Расчёт по файлу
            </Link>
          </div>
        )}
      </div>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Методики и их версии</caption>
          <thead>
            <tr>
              <th scope="col">Методика</th>
              <th scope="col">Версия</th>
              <th scope="col">Направление</th>
              <th scope="col">Источник</th>
              <th scope="col">Загружена</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((m) => (
              <tr key={`${m.id}/${m.version}`}>
                <td>
                  <Link to={`/methodologies/${encodeURIComponent(m.id)}/${encodeURIComponent(m.version)}`}>{m.title}</Link>
                  <div className="muted">{m.id}</div>
                </td>
                <td>{m.version}</td>
                <td>{DIRECTION_LABELS[m.direction] ?? m.direction}</td>
                <td>{m.source === 'library' ? 'Встроенная библиотека' : 'Загружена пользователем'}</td>
                <td>{m.createdAt ? `${formatDateTime(m.createdAt)}${m.createdBy ? `, ${m.createdBy}` : ''}` : '—'}</td>
              </tr>
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  Методик нет
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
