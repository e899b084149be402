/** «Что требует внимания» (issue 24): the start page of the analyst, the organisation representative, the working-group
 * member and the administrator. The server decides what is shown (GET /api/attention, scoped to the caller's
 * municipality or organisation); every item is a link to the page where it is acted on. */
import { Link } from 'react-router';
import type { Attention, AttentionItem, AttentionTone } from '../../../../src/core/notifications/attention.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import './start.css';

const TONE_LABELS: Record<AttentionTone, string> = { overdue: 'просрочено', warning: 'требует действия', info: 'в работе', ok: 'в порядке' };

function ItemLink({ item }: { item: AttentionItem }) {
  // Downloads (the protocol draft) are API addresses: a plain link, not the router.
  return item.href.startsWith('/api/') ? (
    <a href={item.href} download>
      {item.title}
    </a>
  ) : (
    <Link to={item.href}>{item.title}</Link>
  );
}

export function StartPage() {
  const { data, error, loading } = useFetch<Attention>('/api/attention');
  return (
    <section aria-labelledby="start-title">
      <div className="page-head">
        <h1 id="start-title">Что требует внимания</h1>
        {data && <span className="muted">на {formatDate(data.today)}</span>}
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <div className="attention">
          {data.sections.map((s) => (
            <section key={s.id} className="card attention-section" aria-labelledby={`att-${s.id}`} data-section={s.id}>
              <h2 id={`att-${s.id}`}>
                {s.title}
                {s.items.length > 0 && <span className="attention-count"> · {s.items.length}{s.more ? '+' : ''}</span>}
              </h2>
              {s.items.length === 0 ? (
                <p className="muted">{s.empty}</p>
              ) : (
                <ul className="attention-list">
                  {s.items.map((i, k) => (
                    <li key={k} className={`attention-item tone-${i.tone}`}>
                      <span className={`attention-tone tone-${i.tone}`}>{TONE_LABELS[i.tone]}</span>
                      <ItemLink item={i} />
                      <div className="attention-detail">{i.detail}</div>
                    </li>
                  ))}
                </ul>
              )}
              {s.more && (
                <p className="attention-more">
                  <Link to={s.more.href}>{s.more.label}</Link>
                </p>
              )}
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
