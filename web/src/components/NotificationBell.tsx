/** The bell in the header: a link to the notifications page with the number of unread ones. Refreshes on every
 * page change, every minute, and when the notifications page announces a change. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api.ts';
import { plural } from '../../../src/core/format.ts';

export const NOTIFICATIONS_CHANGED = 'msoko:notifications-changed';

export function announceNotificationsChanged(): void {
  window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}

export function NotificationBell() {
  const [unread, setUnread] = useState<number | null>(null);
  const location = useLocation();
  const refresh = useCallback(() => {
    api
      .get<{ unread: number }>('/api/notifications/unread-count')
      .then((r) => setUnread(r.unread))
      .catch(() => undefined);
  }, []);
  useEffect(refresh, [refresh, location.pathname]);
  useEffect(() => {
    const timer = window.setInterval(refresh, 60_000);
    window.addEventListener(NOTIFICATIONS_CHANGED, refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED, refresh);
    };
  }, [refresh]);
  const n = unread ?? 0;
  const label = n > 0 ? `Уведомления: ${n} ${plural(n, ['непрочитанное', 'непрочитанных', 'непрочитанных'])}` : 'Уведомления: нет непрочитанных';
  return (
    <Link to="/notifications" className="bell" aria-label={label} title={label} data-testid="notification-bell">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="currentColor">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
      </svg>
      {n > 0 && (
        <span className="bell-count" data-testid="notification-count">
          {n > 99 ? '99+' : n}
        </span>
      )}
    </Link>
  );
}
