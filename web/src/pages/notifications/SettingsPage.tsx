/** Administrator's settings of reminders: the municipality's time zone (what "today" is), the reminder lead time,
 * and users' e-mail addresses for e-mailed notifications. */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, request } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import type { Settings } from '../../../../src/core/notifications/schema.ts';

const ZONES = [
  'Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk',
  'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka',
];

export function SettingsPage() {
  const { data, error, loading } = useFetch<Settings>('/api/settings');
  const [zone, setZone] = useState('');
  const [days, setDays] = useState('');
  const [saved, setSaved] = useState<Settings | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [login, setLogin] = useState('');
  const [email, setEmail] = useState('');
  const [emailDone, setEmailDone] = useState<string | null>(null);
  const [emailError, setEmailError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!data) return;
    setZone(data.timeZone);
    setDays(String(data.remindDaysBefore));
  }, [data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaveError(null);
    setSaved(null);
    try {
      setSaved(await request<Settings>('PATCH', '/api/settings', { timeZone: zone, remindDaysBefore: Number(days) }));
    } catch (err) {
      setSaveError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен'));
    }
  };

  const saveEmail = async (e: FormEvent) => {
    e.preventDefault();
    setEmailError(null);
    setEmailDone(null);
    try {
      const r = await request<{ login: string; email: string | null }>('PUT', `/api/users/${encodeURIComponent(login.trim())}/email`, { email: email.trim() });
      setEmailDone(r.email ? `Пользователь ${r.login}: адрес ${r.email}` : `Пользователь ${r.login}: адрес удалён`);
    } catch (err) {
      setEmailError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен'));
    }
  };

  const current = saved ?? data;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Настройки напоминаний</h1>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {current && (
        <form className="card" onSubmit={(e) => void save(e)}>
          <p>
            Муниципалитет: <strong>{current.municipality.name}</strong>. Сегодня по его часовому поясу: <strong>{current.today.split('-').reverse().join('.')}</strong>.
            {current.emailEnabled ? ' Почта настроена: уведомления дублируются письмами.' : ' Почта не настроена (MSOKO_SMTP_URL): уведомления только в системе.'}
          </p>
          <Field label="Часовой пояс" error={saveError?.fieldMap().timeZone}>
            <select value={zone} onChange={(e) => setZone(e.target.value)}>
              {[...new Set([zone, ...ZONES])].filter(Boolean).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Напоминать за, дней до срока сдачи" error={saveError?.fieldMap().remindDaysBefore}>
            <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
          </Field>
          <ErrorBox error={saveError && !saveError.fields.length ? saveError : null} />
          {saved && <p className="alert alert-success" role="status">Сохранено.</p>}
          <button type="submit" className="btn btn-primary">
            Сохранить
          </button>
        </form>
      )}
      <h2>Адрес электронной почты пользователя</h2>
      <form className="card" noValidate onSubmit={(e) => void saveEmail(e)}>
        <Field label="Логин">
          <input value={login} onChange={(e) => setLogin(e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Адрес (пустой — убрать)" error={emailError?.fieldMap().email}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </Field>
        <ErrorBox error={emailError && !emailError.fields.length ? emailError : null} />
        {emailDone && <p className="alert alert-success" role="status">{emailDone}</p>}
        <button type="submit" className="btn btn-primary" disabled={!login.trim()}>
          Сохранить адрес
        </button>
      </form>
    </section>
  );
}
