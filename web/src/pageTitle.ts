/** The page title (WCAG 2.4.2, issue 26): «<Страница> — МСОКО», set in one place — `useRouteTitle` in the router
 * titles every route by its path; a page that knows more (the campaign's name) refines it with `usePageTitle`. */
import { useEffect } from 'react';
import { matchPath, useLocation } from 'react-router';

export const APP_TITLE = 'МСОКО';

/** Route patterns and their titles, most specific first. */
const ROUTE_TITLES: [pattern: string, title: string][] = [
  ['/login', 'Вход в систему'],
  ['/s/:token', 'Анонимный опрос'],
  ['/public/campaigns', 'Результаты мониторингов'],
  ['/public/campaigns/:id', 'Результаты мониторинга'],
  ['/', 'Что требует внимания'],
  ['/organisations', 'Реестр организаций'],
  ['/organisations/new', 'Новая организация'],
  ['/organisations/:id/edit', 'Изменение организации'],
  ['/organisations/:id', 'Организация'],
  ['/audit', 'Журнал аудита'],
  ['/backup', 'Резервные копии'],
  ['/methodologies', 'Методики'],
  ['/methodologies/new', 'Загрузка методики'],
  ['/methodologies/criteria-import', 'Импорт таблицы критериев'],
  ['/methodologies/:id/:version', 'Методика'],
  ['/methodologies/:id/:version/edit', 'Новая версия методики'],
  ['/compute', 'Расчёт по файлу'],
  ['/campaigns', 'Мониторинги'],
  ['/campaigns/new', 'Новый мониторинг'],
  ['/campaigns/:id/organisations/:orgId', 'Форма мониторинга'],
  ['/campaigns/:id/imports', 'Загрузка данных мониторинга'],
  ['/campaigns/:id/analysis', 'Анализ результатов'],
  ['/campaigns/:id/report', 'Настройка отчёта'],
  ['/campaigns/:id', 'Мониторинг'],
  ['/imports/:id', 'Загрузка файла'],
  ['/notifications', 'Уведомления'],
  ['/settings', 'Настройки напоминаний'],
  ['/documents', 'Документы'],
  ['/roadmaps', 'Дорожные карты'],
  ['/recommendations', 'Рекомендации и решения'],
  ['/decisions/:id', 'Управленческое решение'],
  ['/surveys', 'Опросы'],
  ['/surveys/new', 'Новый опрос'],
  ['/surveys/:id/print', 'Ссылки и QR-коды опроса'],
  ['/surveys/:id', 'Опрос'],
  ['/region', 'Регион'],
];

/** The title of a path: its route's, or «Страница не найдена». */
export function routeTitle(pathname: string): string {
  const hit = ROUTE_TITLES.find(([pattern]) => matchPath({ path: pattern, end: true }, pathname));
  return hit ? hit[1] : 'Страница не найдена';
}

export function fullTitle(...parts: string[]): string {
  return [...parts, APP_TITLE].join(' — ');
}

/** Titles every route by its path; used once, inside the router. */
export function useRouteTitle(): void {
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = fullTitle(routeTitle(pathname));
  }, [pathname]);
}

/** A page's own, more specific title (e.g. «Мониторинг 2021 — анализ»); nothing while it is unknown (loading). */
export function usePageTitle(...parts: (string | null | undefined)[]): void {
  const title = parts.every((p) => p) ? fullTitle(...(parts as string[])) : null;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
}
