/** Sign-in form; in demo mode lists the demo accounts, a click fills the form. */
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Field } from '../components/Field.tsx';
import { LowVisionPanel } from '../components/LowVision.tsx';
import { MunicipalityName } from '../settings.tsx';
import { ROLE_LABELS } from '../labels.ts';
import type { DemoUser } from '../types.ts';

export function LoginPage() {
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [demoUsers, setDemoUsers] = useState<DemoUser[]>([]);

  useEffect(() => {
    api
      .get<{ demo: boolean; users: DemoUser[] }>('/api/demo-users')
      .then((r) => setDemoUsers(r.demo ? r.users : []))
      .catch(() => setDemoUsers([]));
  }, []);

  // `/` sends each role to its start page (the regional analyst to «Регион»).
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (user) return <Navigate to={from} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!loginName.trim()) fe.login = 'Введите логин';
    if (!password) fe.password = 'Введите пароль';
    setFieldErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      await login(loginName.trim(), password);
      navigate(from, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Неверный логин или пароль');
      else if (err instanceof ApiError && err.status === 429)
        setError(err.message || 'Слишком много попыток входа. Повторите позже.');
      else if (err instanceof ApiError) setError(err.message);
      else setError('Сервер недоступен. Проверьте соединение.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <header className="login-header">
        <span className="brand-name">МСОКО</span>
        <span className="brand-sub">Муниципальная система оценки качества образования · <MunicipalityName /></span>
        <LowVisionPanel placement="header" />
      </header>
      <main className="login-main" id="main">
        <form className="card login-card" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="login-title">
          <h1 id="login-title">Вход в систему</h1>
          {error && (
            <div className="alert alert-error" role="alert">
              {error}
            </div>
          )}
          <Field label="Логин" error={fieldErrors.login}>
            <input
              name="login"
              autoComplete="username"
              value={loginName}
              onChange={(e) => setLoginName(e.target.value)}
              autoFocus
            />
          </Field>
          <Field label="Пароль" error={fieldErrors.password}>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Вход…' : 'Войти'}
          </button>
        </form>
        {demoUsers.length > 0 && (
          <section className="card demo-card" aria-labelledby="demo-title">
            <h2 id="demo-title">Демонстрационные пользователи</h2>
            <p className="muted">Нажмите на пользователя, чтобы подставить логин и пароль.</p>
            <ul className="demo-list">
              {demoUsers.map((u) => (
                <li key={u.login}>
                  <button
                    type="button"
                    className="demo-user"
                    onClick={() => {
                      setLoginName(u.login);
                      setPassword(u.password);
                      setError(null);
                      setFieldErrors({});
                    }}
                  >
                    <span className="demo-login">{u.login}</span>
                    <span>{u.fullName}</span>
                    <span className="muted">
                      {ROLE_LABELS[u.role] ?? u.role}
                      {u.organisationName ? ` · ${u.organisationName}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </div>
  );
}
