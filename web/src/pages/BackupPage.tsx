/** «Резервные копии» (administrator): download a backup of the whole database; restore one, replacing every current
 * record, after typing the confirmation word. Both actions are in the audit log. */
import { useState } from 'react';
import { formatNumber } from '../../../src/core/format.ts';
import { ApiError, api } from '../api.ts';
import { Modal } from '../components/Modal.tsx';
import { ErrorBox } from '../components/Status.tsx';

const CONFIRMATION = 'ЗАМЕНИТЬ';

interface RestoreResult { rows: number; tables: Record<string, number>; backup: { createdAt: string; engine: string }; migratedAfter: string[] }

export function BackupPage() {
  const [file, setFile] = useState<File | null>(null);
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [done, setDone] = useState<RestoreResult | null>(null);

  const restore = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('confirm', typed.trim());
      form.append('file', file);
      setDone(await api.post<RestoreResult>('/api/admin/restore', form));
      setAsking(false);
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section>
        <h1>Резервные копии</h1>
        <div className="alert alert-success" role="status">
          Данные восстановлены из копии от {new Date(done.backup.createdAt).toLocaleString('ru-RU')}: записей {formatNumber(done.rows)}.
          Все сеансы завершены — <a href="/login">войдите снова</a> учётной записью из восстановленной базы.
        </div>
      </section>
    );
  }

  return (
    <section>
      <h1>Резервные копии</h1>
      <div className="card">
        <h2>Сохранить копию</h2>
        <p>Копия всей базы данных (организации, пользователи, мониторинги со всей историей значений, анкеты, дорожные карты,
          рекомендации, журнал аудита) в одном файле. Её можно восстановить здесь или командой <code>msoko restore</code>,
          в том числе на сервер PostgreSQL. Скачивание записывается в журнал аудита.</p>
        <a className="btn btn-primary" href="/api/admin/backup" download>Скачать резервную копию</a>
      </div>
      <div className="card form">
        <h2>Восстановить из копии</h2>
        <p><strong>Все текущие данные будут заменены данными копии</strong>, все пользователи выйдут из системы.
          Восстановление выполняется целиком или не выполняется совсем.</p>
        <label>
          Файл резервной копии (.msoko-backup.gz)
          <input type="file" accept=".gz,application/gzip" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setError(null); }} />
        </label>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" className="btn btn-danger" disabled={!file || busy} onClick={() => { setTyped(''); setAsking(true); }}>
            Восстановить…
          </button>
        </div>
      </div>
      {asking && (
        <Modal title="Заменить все данные?" onClose={() => setAsking(false)}>
          <p>Файл «{file?.name}». Все текущие записи будут удалены и заменены данными копии. Чтобы подтвердить, введите слово «{CONFIRMATION}».</p>
          <label>
            Подтверждение
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
          </label>
          <div className="actions">
            <button type="button" className="btn" onClick={() => setAsking(false)}>Отмена</button>
            <button type="button" className="btn btn-danger" disabled={busy || typed.trim() !== CONFIRMATION} onClick={() => void restore()}>
              {busy ? 'Восстановление…' : 'Заменить данные'}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
