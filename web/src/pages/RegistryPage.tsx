/** Registry of organisations: filters by type and status, search; an org representative sees only their own. */
import { useState } from 'react';
import { Link } from 'react-router';
import { query } from '../api.ts';
import { can, useAuth } from '../auth.tsx';
import { Loading, PageError } from '../components/Status.tsx';
import { ORG_STATUS_LABELS, ORG_TYPE_LABELS } from '../labels.ts';
import type { Organisation } from '../types.ts';
import { useFetch } from '../useFetch.ts';
import { useDebounced } from '../useDebounced.ts';

export function RegistryPage() {
  const { user } = useAuth();
  const [type, setType] = useState('');
  const [status, setStatus] = useState('active');
  const [q, setQ] = useState('');
  const debouncedQ = useDebounced(q.trim(), 250);
  const { data, error, loading } = useFetch<{ items: Organisation[] }>(
    `/api/organisations${query({ status, type, q: debouncedQ })}`,
  );
  if (!user) return null;
  const isRep = user.role === 'org_rep';
  const items = (data?.items ?? []).filter((o) => !isRep || String(o.id) === String(user.organisationId));

  return (
    <section aria-labelledby="registry-title">
      <div className="page-head">
        <h1 id="registry-title">{isRep ? 'Моя организация' : 'Реестр организаций'}</h1>
        {can.manageOrganisations(user.role) && (
          <Link className="btn btn-primary" to="/organisations/new">
            Добавить организацию
          </Link>
        )}
      </div>

      {!isRep && (
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="f-type">Тип</label>
            <select id="f-type" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="">Все типы</option>
              <option value="school">Школа</option>
              <option value="preschool">ДОУ</option>
              <option value="supplementary">УДО</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-status">Статус</label>
            <select id="f-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="active">Действующие</option>
              <option value="closed">Закрытые</option>
              <option value="all">Все</option>
            </select>
          </div>
          <div className="field field-grow">
            <label htmlFor="f-q">Поиск</label>
            <input
              id="f-q"
              type="search"
              placeholder="Наименование, ИНН или логин ФИС ОКО"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </div>
        </form>
      )}

      {error ? (
        <PageError error={error} />
      ) : loading && !data ? (
        <Loading />
      ) : (
        <>
          <p className="muted" aria-live="polite">
            Найдено организаций: {items.length}
          </p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Организации</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    №
                  </th>
                  <th scope="col">Краткое наименование</th>
                  <th scope="col">Тип</th>
                  <th scope="col">ИНН</th>
                  <th scope="col">Точка роста</th>
                  <th scope="col">Статус</th>
                </tr>
              </thead>
              <tbody>
                {items.map((o) => (
                  <tr key={o.id}>
                    <td className="num">{o.no ?? '—'}</td>
                    <td>
                      <Link to={`/organisations/${o.id}`}>{o.shortName}</Link>
                    </td>
                    <td>{ORG_TYPE_LABELS[o.type]}</td>
                    <td>{o.inn ?? '—'}</td>
                    <td>{o.growthPoint ? 'Да' : 'Нет'}</td>
                    <td>
                      <span className={`badge badge-${o.status}`}>{ORG_STATUS_LABELS[o.status]}</span>
                    </td>
                  </tr>
                ))}
                {items.length === 0 && (
                  <tr>
                    <td colSpan={6} className="empty">
                      Организаций не найдено
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
