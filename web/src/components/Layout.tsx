/** Page frame: header with МСОКО, the municipality (the region for a regional analyst), the user and «Версия для
 * слабовидящих» (the public pages' panel, issue 26); navigation limited to what the role may open.
 * After a route change focus goes to the new page's heading (issue 26), unless the reader has already moved it. */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { can, useAuth } from '../auth.tsx';
import { ROLE_LABELS } from '../labels.ts';
import { MunicipalityName, RegionName } from '../settings.tsx';
import { LowVisionPanel } from './LowVision.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import { guideHref } from '../guide.ts';
import { canManageDocuments } from '../pages/documents/access.ts';

export function Layout() {
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  useFocusHeadingOnRouteChange(location.pathname, mainRef);
  // On a narrow screen (or zoomed in) the navigation is behind «Меню»; it closes when a page is chosen.
  const [menuOpenAt, setMenuOpenAt] = useState<string | null>(null);
  const menuOpen = menuOpenAt === location.pathname;
  if (!user) return null;

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">Перейти к содержанию</a>
      <header className="app-header">
        <div className="brand">
          <abbr className="brand-name" title="Муниципальная система оценки качества образования">
            МСОКО
          </abbr>
          <span className="brand-sub" data-testid="municipality-name">
            {user.role === 'regional_analyst' ? <RegionName /> : <MunicipalityName />}
          </span>
        </div>
        <button type="button" className="btn btn-light menu-toggle" aria-expanded={menuOpen} aria-controls="app-nav" onClick={() => setMenuOpenAt(menuOpen ? null : location.pathname)}>
          Меню
        </button>
        <div className="user-box">
          <a className="help-link" href={guideHref(location.pathname, user.role)} target="_blank" rel="noopener" title="Руководство пользователя: раздел об этой странице">
            Справка
          </a>
          <NotificationBell />
          <span className="user-name">{user.fullName}</span>
          <span className="user-role">
            {ROLE_LABELS[user.role]}
            {user.organisationName ? ` · ${user.organisationName}` : ''}
          </span>
          <button type="button" className="btn btn-light" onClick={() => void onLogout()}>
            Выйти
          </button>
        </div>
        <LowVisionPanel placement="header" />
      </header>
      <div className="app-body">
        <nav id="app-nav" className={`app-nav${menuOpen ? ' nav-open' : ''}`} aria-label="Основная навигация">
          {user.role === 'regional_analyst' && (
            <ul>
              <li>
                <NavLink to="/region">Регион</NavLink>
              </li>
            </ul>
          )}
          {user.role !== 'regional_analyst' && (
          <ul>
            <li>
              <NavLink to="/" end>
                Что требует внимания
              </NavLink>
            </li>
            <li>
              <NavLink to="/organisations">{user.role === 'org_rep' ? 'Моя организация' : 'Реестр организаций'}</NavLink>
            </li>
            <li>
              <NavLink to="/campaigns">Мониторинги</NavLink>
            </li>
            <li>
              <NavLink to="/surveys">Опросы</NavLink>
            </li>
            <li>
              <NavLink to="/roadmaps">Дорожные карты</NavLink>
            </li>
            <li>
              <NavLink to="/recommendations">{user.role === 'org_rep' ? 'Рекомендации' : 'Рекомендации и решения'}</NavLink>
            </li>
            {can.viewMethodologies(user.role) && (
              <li>
                <NavLink to="/methodologies">Методики</NavLink>
              </li>
            )}
            {can.editMethodologies(user.role) && (
              <li>
                <NavLink to="/compute">Расчёт по файлу</NavLink>
              </li>
            )}
            {canManageDocuments(user.role) && (
              <li>
                <NavLink to="/documents">Документы</NavLink>
              </li>
            )}
            {can.viewAudit(user.role) && (
              <li>
                <NavLink to="/audit">Журнал аудита</NavLink>
              </li>
            )}
            {can.viewAudit(user.role) && (
              <li>
                <NavLink to="/settings">Настройки напоминаний</NavLink>
              </li>
            )}
            {can.viewAudit(user.role) && (
              <li>
                <NavLink to="/backup">Резервные копии</NavLink>
              </li>
            )}
          </ul>
          )}
        </nav>
        <main id="main" className="app-main" tabIndex={-1} ref={mainRef}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** When the path changes, focus the page's `<h1>` as soon as it is shown (pages load their data first) — if focus is
 * nowhere (the clicked link left the page), on the main area, or in the navigation. */
function useFocusHeadingOnRouteChange(pathname: string, mainRef: RefObject<HTMLElement | null>) {
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    const main = mainRef.current;
    if (!main) return;
    const movable = () => {
      const a = document.activeElement;
      return !a || a === document.body || a === main || a.closest('.app-nav') !== null;
    };
    const focusHeading = () => {
      const h1 = main.querySelector('h1');
      if (!h1) return false;
      if (movable()) {
        h1.tabIndex = -1;
        h1.focus({ preventScroll: true });
      }
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [pathname, mainRef]);
}
