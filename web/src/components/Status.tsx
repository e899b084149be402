/** Loading indicator and error panels. */
import { Link } from 'react-router';
import type { ApiError } from '../api.ts';

export function Loading() {
  return (
    <p className="muted" role="status">
      Загрузка…
    </p>
  );
}

export function ErrorBox({ error }: { error: ApiError | string | null }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}

/** Full-page refusal: 403, 404 or whatever the server said. */
export function ErrorPage({ status, message }: { status: number; message?: string | undefined }) {
  const title = status === 403 ? 'Доступ запрещён' : status === 404 ? 'Страница не найдена' : 'Ошибка';
  const text =
    message ??
    (status === 403
      ? 'У вас нет прав для просмотра этой страницы.'
      : status === 404
        ? 'Такой страницы нет. Проверьте адрес или вернитесь к реестру.'
        : 'Не удалось выполнить запрос.');
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status || ''}</p>
      <h1 id="error-title">{title}</h1>
      <p role="alert">{text}</p>
      <p>
        <Link to="/organisations">Вернуться к реестру организаций</Link>
      </p>
    </section>
  );
}

/** Shows the server's refusal of a whole page as an error page, anything else as a box. */
export function PageError({ error }: { error: ApiError }) {
  if (error.status === 401) {
    return (
      <div className="alert alert-error" role="alert">
        Сеанс завершён: {error.message}. <a href="/login">Войти снова</a>
      </div>
    );
  }
  if (error.status === 403 || error.status === 404) return <ErrorPage status={error.status} message={error.message} />;
  return <ErrorBox error={error} />;
}
