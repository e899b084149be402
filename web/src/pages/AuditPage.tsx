/** Журнал аудита (administrator): who did what, when and from where; paged. */
import { useState } from 'react';
import { query } from '../api.ts';
import { Loading, PageError } from '../components/Status.tsx';
import { formatDateTime } from '../dateTime.ts';
import { auditActionLabel, auditTargetLabel } from '../labels.ts';
import type { AuditEntry } from '../types.ts';
import { useFetch } from '../useFetch.ts';

const PAGE_SIZE = 25;

export function AuditPage() {
  const [page, setPage] = useState(0);
  const { data, error, loading } = useFetch<{ items: AuditEntry[]; total: number }>(
    `/api/audit${query({ limit: PAGE_SIZE, offset: page * PAGE_SIZE })}`,
  );
  if (error) return <PageError error={error} />;
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Журнал аудита</h1>
      {loading && !data ? (
        <Loading />
      ) : (
        <>
          <p className="muted">Всего записей: {total}</p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Записи журнала аудита</caption>
              <thead>
                <tr>
                  <th scope="col" className="nowrap">
                    Время
                  </th>
                  <th scope="col">Пользователь</th>
                  <th scope="col">Действие</th>
                  <th scope="col">Объект</th>
                  <th scope="col" className="nowrap">
                    IP-адрес
                  </th>
                </tr>
              </thead>
              <tbody>
                {(data?.items ?? []).map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.at)}</td>
                    <td>{e.actorLogin ?? '—'}</td>
                    <td>{auditActionLabel(e.action)}</td>
                    <td>{describeTarget(e)}</td>
                    <td className="nowrap">{e.ip ?? '—'}</td>
                  </tr>
                ))}
                {data?.items.length === 0 && (
                  <tr>
                    <td colSpan={5} className="empty">
                      Записей нет
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Страницы журнала">
            <button type="button" className="btn" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
              ← Назад
            </button>
            <span>
              Страница {page + 1} из {pages}
            </span>
            <button type="button" className="btn" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
              Вперёд →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

/** The object's name from the details when the server put one there (`after`, `before` or top level), else its
 * type and a short id. */
function describeTarget(e: AuditEntry): string {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const candidates = [d, d.after, d.before, d.organisation, d.user] as unknown[];
  let name: string | null = null;
  for (const c of candidates) {
    if (c && typeof c === 'object') {
      const r = c as Record<string, unknown>;
      const n = r.shortName ?? r.name ?? r.title ?? r.login;
      if (typeof n === 'string' && n) {
        name = n;
        break;
      }
    }
  }
  if (name) return `${auditTargetLabel(e.targetType, null)} «${name}»`;
  const id = e.targetId === null ? null : String(e.targetId);
  return auditTargetLabel(e.targetType, id && id.length > 12 ? `${id.slice(0, 8)}…` : id);
}
