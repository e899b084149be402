/** «Шаблоны документов» (issue 18): per document kind the template in force — built-in or the department's own —
 * with a download (to start one's own бланк from it), an upload (a DOCX; the server refuses a non-DOCX file or a
 * template with an unknown placeholder, naming it) and the way back to the built-in template. */
import { useState } from 'react';
import type { ApiError } from '../../api.ts';
import { api, asApiError } from '../../api.ts';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { useFetch } from '../../useFetch.ts';

interface TemplateInfo {
  kind: string;
  kindLabel: string;
  custom: boolean;
  builtIn: boolean;
  fileName: string | null;
  uploadedAt: string | null;
  uploaderLogin: string | null;
}

interface TemplatesView {
  items: TemplateInfo[];
  placeholders: Record<string, { tag: string; meaning: string }[]>;
}

const DOCX_ACCEPT = '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function TemplateRow({ t, onChanged }: { t: TemplateInfo; onChanged: (message: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/documents/templates/${encodeURIComponent(t.kind)}`;

  const run = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setFile(null);
      setInputKey((k) => k + 1);
      onChanged(message);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const upload = () => {
    if (!file) return;
    const form = new FormData();
    form.set('file', file);
    void run(() => api.post(url, form), `${t.kindLabel}: загружен свой шаблон «${file.name}».`);
  };

  return (
    <tr>
      <th scope="row">{t.kindLabel}</th>
      <td>
        {t.custom ? (
          <>
            свой: «{t.fileName}»
            <div className="muted small">загружен {t.uploadedAt ? formatDateTime(t.uploadedAt) : ''} ({t.uploaderLogin ?? 'система'})</div>
          </>
        ) : t.builtIn ? (
          'встроенный'
        ) : (
          <span className="muted">нет встроенного — загрузите свой</span>
        )}
      </td>
      <td>
        {t.fileName && (
          <div>
            <a href={`${url}/file`} download>
              Скачать шаблон
            </a>
          </div>
        )}
        <label className="small">
          Свой шаблон «{t.kindLabel}» (.docx, до 2 МБ)
          <input key={inputKey} type="file" accept={DOCX_ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <div className="actions">
          <button type="button" className="btn" disabled={!file || busy} onClick={upload}>
            Загрузить шаблон
          </button>
          {t.custom && (
            <button type="button" className="btn" disabled={busy} onClick={() => void run(() => api.del(url), `${t.kindLabel}: действует встроенный шаблон.`)}>
              Вернуться к встроенному
            </button>
          )}
        </div>
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}

export function TemplatesSection() {
  const { data, error, reload } = useFetch<TemplatesView>('/api/documents/templates');
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <h2 id="templates-title">Шаблоны документов</h2>
      <p className="muted small">
        Документы заполняются по шаблону DOCX: встроенному или своему бланку управления. Скачайте действующий шаблон, измените оформление в Word и загрузите;
        подстановки пишутся в фигурных скобках, например {'{department.name}'} или {'{number}'}.
      </p>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {done && (
        <p className="alert alert-success" role="status">
          {done}
        </p>
      )}
      {data && (
        <div className="table-wrap">
          <table className="table" aria-labelledby="templates-title">
            <thead>
              <tr>
                <th scope="col">Вид документа</th>
                <th scope="col">Действующий шаблон</th>
                <th scope="col">Действия</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <TemplateRow key={t.kind} t={t} onChanged={(m) => { setDone(m); reload(); }} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.items.map((t) => (
        <details key={t.kind}>
          <summary>Подстановки: {t.kindLabel}</summary>
          <dl className="small">
            {(data.placeholders[t.kind] ?? []).map((p) => (
              <div key={p.tag}>
                <dt>
                  <code>{p.tag}</code>
                </dt>
                <dd>{p.meaning}</dd>
              </div>
            ))}
          </dl>
        </details>
      ))}
    </>
  );
}
