/** «Сравнение с другой версией» on a methodology's page: the changes in words (GET /api/methodologies/:id/:version/diff)
 * — «показатель 2.1: полоса «средний»: было 2,6–5,0, стало 2,6–5,5». Versions of the same methodology come first; the
 * previous one is chosen when there is one. */
import { useState } from 'react';
import type { VersionChange } from '../../../src/core/methodology/diff.ts';
import { ErrorBox, Loading } from '../components/Status.tsx';
import type { MethodologySummary } from '../methodologyTypes.ts';
import { useFetch } from '../useFetch.ts';

interface DiffAnswer {
  from: { id: string; version: string; title: string };
  to: { id: string; version: string; title: string };
  changes: VersionChange[];
}

const key = (m: { id: string; version: string }) => `${m.id}@${m.version}`;

export function VersionDiff({ id, version }: { id: string; version: string }) {
  const list = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const others = (list.data?.items ?? []).filter((m) => !(m.id === id && m.version === version));
  const own = others.filter((m) => m.id === id);
  const rest = others.filter((m) => m.id !== id);
  // The version listed just before this one (the list is ordered by id, then version), else the first other version of it.
  const all = list.data?.items ?? [];
  const here = all.findIndex((m) => m.id === id && m.version === version);
  const previous = here > 0 && all[here - 1]?.id === id ? all[here - 1] : own[0];
  const [chosen, setChosen] = useState<string | null>(null);
  const from = chosen ?? (previous ? key(previous) : '');
  const [fromId = '', fromVersion = ''] = from ? [from.slice(0, from.lastIndexOf('@')), from.slice(from.lastIndexOf('@') + 1)] : [];
  const diff = useFetch<DiffAnswer>(
    from ? `/api/methodologies/${encodeURIComponent(id)}/${encodeURIComponent(version)}/diff?fromId=${encodeURIComponent(fromId)}&fromVersion=${encodeURIComponent(fromVersion)}` : null,
  );

  if (list.loading) return null;
  if (others.length === 0) return null;
  return (
    <section className="card" aria-labelledby="diff-title" style={{ marginTop: '1.5rem' }}>
      <h2 id="diff-title">Сравнение с другой версией</h2>
      <div className="field">
        <label htmlFor="diff-from">Что изменилось по сравнению с</label>
        <select id="diff-from" value={from} onChange={(e) => setChosen(e.target.value)}>
          <option value="">— выберите версию —</option>
          {own.length > 0 && (
            <optgroup label="Эта методика">
              {own.map((m) => <option key={key(m)} value={key(m)}>версия {m.version} — {m.title}</option>)}
            </optgroup>
          )}
          {rest.length > 0 && (
            <optgroup label="Другие методики">
              {rest.map((m) => <option key={key(m)} value={key(m)}>{m.id}, версия {m.version} — {m.title}</option>)}
            </optgroup>
          )}
        </select>
      </div>
      {diff.error && <ErrorBox error={diff.error} />}
      {from && diff.loading && <Loading />}
      {from && diff.data && !diff.loading && (
        diff.data.changes.length === 0 ? (
          <p role="status">Отличий нет: версия {diff.data.from.version} ({diff.data.from.id}) и эта совпадают по содержанию.</p>
        ) : (
          <div role="status">
            <p>
              Изменений: {diff.data.changes.length} (было — {diff.data.from.id}, версия {diff.data.from.version}; стало — эта версия).
            </p>
            <ul className="lint-list" aria-label="Изменения">
              {diff.data.changes.map((c) => <li key={c.path + c.text}>{c.text}</li>)}
            </ul>
          </div>
        )
      )}
    </section>
  );
}
