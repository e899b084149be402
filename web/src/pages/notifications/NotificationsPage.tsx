/** My notifications: reminders of due dates, overdue forms, returned forms (and, for analysts, overdue summaries).
 * Opening one marks it read and goes to its form; «Отметить все прочитанными» clears the bell. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../../api.ts';
import { announceNotificationsChanged } from '../../components/NotificationBell.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { useFetch } from '../../useFetch.ts';
import { NOTIFICATION_KIND_LABELS, type Notification, type NotificationList } from '../../../../src/core/notifications/schema.ts';

export function NotificationsPage() {
  const { data, error, loading, reload } = useFetch<NotificationList>('/api/notifications');
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const navigate = useNavigate();

  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
      announceNotificationsChanged();
      reload();
    } catch (err) {
      setActionError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен. Проверьте соединение.'));
    }
  };

  const open = async (n: Notification) => {
    try {
      if (!n.readAt) await api.post(`/api/notifications/${n.id}/read`);
    } finally {
      announceNotificationsChanged();
      navigate(n.link);
    }
  };

  return (
    <section aria-labelledby="notifications-title">
      <div className="page-head">
        <h1 id="notifications-title">Уведомления</h1>
        {data && data.unread > 0 && (
          <button type="button" className="btn" onClick={() => void act(() => api.post('/api/notifications/read-all'))}>
            Отметить все прочитанными
          </button>
        )}
      </div>
      <ErrorBox error={error ?? actionError} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted" role="status">
            {data.unread > 0 ? `Непрочитанных: ${data.unread}` : 'Непрочитанных нет'}
          </p>
          {data.items.length === 0 ? (
            <p>Уведомлений пока нет. Здесь появятся напоминания о сроках сдачи форм и сообщения о возврате форм на доработку.</p>
          ) : (
            <ul className="notification-list">
              {data.items.map((n) => (
                <li key={n.id} className={`notification${n.readAt ? '' : ' unread'}`} data-testid="notification">
                  <p className="notification-meta">
                    {NOTIFICATION_KIND_LABELS[n.kind]} · {formatDateTime(n.createdAt)}
                    {n.readAt ? '' : ' · новое'}
                  </p>
                  <h2>
                    <Link
                      to={n.link}
                      onClick={(e) => {
                        e.preventDefault();
                        void open(n);
                      }}
                    >
                      {n.title}
                    </Link>
                  </h2>
                  <p>{n.body}</p>
                  {n.documentUrl && (
                    <p>
                      <a href={n.documentUrl} download>
                        Скачать письмо (DOCX)
                      </a>
                      {' · '}
                      <a href={n.documentUrl.replace(/\/file$/, '/pdf')} download>
                        PDF
                      </a>
                    </p>
                  )}
                  {!n.readAt && (
                    <div className="notification-actions">
                      <button type="button" className="btn" onClick={() => void act(() => api.post(`/api/notifications/${n.id}/read`))}>
                        Отметить прочитанным
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
