/** Evidence files of a recommendation, a road-map event or a decision: the list with download links (always an
 * attachment) and, for those who may, an upload (type checked by content on the server, ≤ 10 MB). */
import { useState } from 'react';
import { EVIDENCE_ACCEPT, EVIDENCE_TYPES_TEXT } from '../../../../src/core/cycle/evidence-type.ts';
import { formatDate } from '../../../../src/core/format.ts';
import type { EvidenceDto } from '../../../../src/services/cycle/evidence.ts';
import { ApiError, api, request } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} МБ` : `${Math.max(1, Math.round(n / 1024))} КБ`);

/** Uploads one file to an evidence endpoint; fields go before the file (the server reads them first). */
export async function uploadEvidence(url: string, file: File, fields: Record<string, string> = {}): Promise<EvidenceDto> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', file);
  return api.post<EvidenceDto>(url, form);
}

export function EvidenceFiles({ url, canUpload, title = 'Подтверждающие файлы', fields }: { url: string; canUpload: boolean; title?: string; fields?: Record<string, string> }) {
  const list = useFetch<{ items: EvidenceDto[] }>(url);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const { user } = useAuth();
  const all = list.data?.items ?? [];
  const items = all.filter((f) => !f.removed);
  const removed = all.filter((f) => f.removed);
  // The server decides; the buttons are shown to the uploader and to analysts and administrators (issue 24).
  const mayChange = (f: EvidenceDto) => !!user && (user.role === 'analyst' || user.role === 'admin' || f.uploaderLogin === user.login);
  const act = async (method: 'DELETE' | 'POST', path: string) => {
    setError(null);
    try {
      await request(method, path, method === 'POST' ? {} : undefined);
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен'));
    }
  };
  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await uploadEvidence(url, file, fields);
      setFile(null);
      setInputKey((k) => k + 1);
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="evidence" aria-label={title}>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p className="muted small">Файлов нет.</p>
      ) : (
        <ul className="small">
          {items.map((f) => (
            <li key={f.id}>
              <a href={f.url} download={f.fileName}>
                {f.fileName}
              </a>{' '}
              <span className="muted">
                ({size(f.size)}, {f.uploaderLogin ?? 'система'}, {formatDate(f.at)}
                {f.occurrenceDue ? `, срок ${formatDate(f.occurrenceDue)}` : ''})
              </span>
              {mayChange(f) && (
                <>
                  {' '}
                  <button type="button" className="link-button" onClick={() => void act('DELETE', f.url)} aria-label={`Удалить файл ${f.fileName}`}>
                    Удалить
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {removed.length > 0 && (
        <details className="small">
          <summary>Удалённые файлы ({removed.length})</summary>
          <ul>
            {removed.map((f) => (
              <li key={f.id}>
                {f.fileName}{' '}
                <span className="muted">
                  (удалил {f.removed?.login ?? 'система'} {formatDate(f.removed?.at ?? f.at)}, можно восстановить до {formatDate(f.removed?.restorableUntil ?? f.at)})
                </span>
                {mayChange(f) && (
                  <>
                    {' '}
                    <button type="button" className="link-button" onClick={() => void act('POST', `${f.url}/restore`)} aria-label={`Восстановить файл ${f.fileName}`}>
                      Восстановить
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
      {canUpload && (
        <div className="actions">
          <label className="inline-field">
            Файл ({EVIDENCE_TYPES_TEXT}, до 10 МБ){' '}
            <input key={inputKey} type="file" accept={EVIDENCE_ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <button type="button" className="btn" disabled={!file || busy} onClick={() => void send()}>
            Загрузить файл
          </button>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
