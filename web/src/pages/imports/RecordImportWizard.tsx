/** Import of a record list into a campaign (issue 21): the file is one row per record — e.g. the ИС «Навигатор»
 * programme list — and the methodology counts the records into inputs. The analyst checks the preview over the whole
 * list (rows read, records counted and left out by value, organisations, rows skipped and why), resolves the
 * organisations not recognised (confirm / pick / skip, shared with the table wizard), maps a value outside the declared
 * list to an allowed one (and may save it for next year's file), sees which typed inputs the list replaces, and
 * applies: a background job with a progress bar (src/services/imports/record-apply-job.ts), all or nothing. */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { RecordImportKind, RecordPreviewView } from '../../../../src/core/imports/record-import-view.ts';
import type { RecordImportSettings } from '../../../../src/core/imports/record-list.ts';
import type { ImportView } from '../../../../src/core/imports/schema.ts';
import { formatNumber, plural } from '../../../../src/core/format.ts';
import { ApiError, api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { JobProgress, type JobView } from '../../components/JobProgress.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { useFetch } from '../../useFetch.ts';
import { AliasOffers } from './AliasOffers.tsx';
import { OrganisationConfirmations } from './OrganisationConfirmations.tsx';

const ROWS: readonly [string, string, string] = ['строка', 'строки', 'строк'];
const RECORDS: readonly [string, string, string] = ['запись', 'записи', 'записей'];
const n = (x: number, forms: readonly [string, string, string]) => `${formatNumber(x)} ${plural(x, forms)}`;
const SHOWN_SKIPPED = 20;

export function RecordImportWizard({ id, kind, onApplied }: { id: string; kind: RecordImportKind; onApplied(): void }) {
  const view = useFetch<ImportView>(`/api/imports/${encodeURIComponent(id)}`);
  const [settings, setSettings] = useState<RecordImportSettings>({});
  const [preview, setPreview] = useState<RecordPreviewView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [saveAs, setSaveAs] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [failed, setFailed] = useState<JobView | null>(null);

  const fail = (err: unknown) => setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
  const check = useCallback(
    async (body: RecordImportSettings) => {
      setBusy(true);
      setError(null);
      setStatus('Проверка списка…');
      try {
        const p = await api.post<RecordPreviewView>(`/api/imports/${encodeURIComponent(id)}/records/preview`, body);
        setPreview(p);
        setSettings(p.settings);
        setStatus(p.errorCount === 0 ? `Проверено: ошибок нет, к загрузке ${n(p.records, RECORDS)}.` : `Проверено: ошибок — ${formatNumber(p.errorCount)}.`);
      } catch (err) {
        fail(err);
        setStatus('');
      } finally {
        setBusy(false);
      }
    },
    [id],
  );

  useEffect(() => {
    if (!kind.list) void check({});
  }, [check, kind.list]);

  if (view.error) return <PageError error={view.error} />;
  if (!view.data) return <Loading />;
  const v = view.data;
  const title = kind.dataset?.title ?? '';

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ job: JobView }>(`/api/imports/${encodeURIComponent(id)}/records/start`, { ...settings, ...(saveAs.trim() ? { saveMappingAs: saveAs.trim() } : {}) });
      setFailed(null);
      setJobId(r.job.id);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const finished = (job: JobView) => {
    if (job.status === 'done') {
      setStatus(`Список применён: ${n((job.result as { records: number }).records, RECORDS)}.`);
      onApplied();
    } else setFailed(job);
  };
  const setAlias = (field: string, value: string, to: string) => {
    const map = { ...(settings.aliases?.[field] ?? {}) };
    if (to) map[value] = to;
    else delete map[value];
    setSettings({ ...settings, aliases: { ...(settings.aliases ?? {}), [field]: map } });
  };
  const aliasMappings = v.mappings.filter((m) => Object.keys(m.aliases).length > 0);
  const canApply = !!preview && preview.errorCount === 0 && preview.records > 0 && !busy && !jobId && !kind.list;

  return (
    <section aria-labelledby="import-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / <Link to={`/campaigns/${v.campaignId}`}>{v.campaignTitle}</Link> /{' '}
        <Link to={`/campaigns/${v.campaignId}/imports`}>Импорт данных</Link> / {v.fileName}
      </p>
      <h1 id="import-title">Импорт списка: {v.fileName}</h1>
      <p className="muted">
        Список «{title}» · {v.format.toUpperCase()}, {formatNumber(Math.round(v.fileSize / 1024))} КБ · {kind.list ? 'применён' : jobId && !failed ? 'применяется' : 'загружен, не применён'}
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">{status}</p>
      <ErrorBox error={error} />

      {kind.list ? (
        <AppliedList list={kind.list} campaignId={v.campaignId} />
      ) : (
        <>
          <div className="card">
            <h2>Настройки</h2>
            {v.sheets.length > 1 && (
              <Field label="Лист книги">
                <select value={preview?.sheet ?? settings.sheet ?? ''} disabled={busy} onChange={(e) => void check({ ...settings, sheet: e.target.value })}>
                  {v.sheets.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
              </Field>
            )}
            {aliasMappings.length > 0 && (
              <Field label="Сохранённые синонимы значений" hint="Например, «Опубл.» → «Опубликована» из прошлогоднего файла">
                <select value={settings.mapping ?? ''} disabled={busy} onChange={(e) => void check({ ...settings, mapping: e.target.value || undefined })}>
                  <option value="">— не применять —</option>
                  {aliasMappings.map((m) => <option key={m.id} value={m.name}>{m.name}</option>)}
                </select>
              </Field>
            )}
            {preview && <OrganisationConfirmations title="Организации, которые нужно подтвердить" issues={preview.issues} participants={preview.participants} confirmations={settings.confirmations} onChange={(confirmations) => setSettings({ ...settings, confirmations })} />}
            {preview && <AliasOffers offers={preview.aliasOffers} aliases={settings.aliases} onChange={setAlias} />}
            <div className="actions">
              <button type="button" className="btn" disabled={busy} onClick={() => void check(settings)}>
                Проверить
              </button>
            </div>
          </div>
          {preview ? <PreviewSummary preview={preview} /> : busy && <Loading />}
          {!jobId && (
            <div className="card">
              <Field label="Сохранить синонимы значений под названием (необязательно)" hint="Для следующего файла того же вида">
                <input value={saveAs} onChange={(e) => setSaveAs(e.target.value)} maxLength={200} />
              </Field>
              <button type="button" className="btn btn-primary" disabled={!canApply} onClick={() => void apply()}>
                Применить список
              </button>
            </div>
          )}
          {jobId && <JobProgress jobId={jobId} onFinished={finished} />}
          {failed && (
            <button type="button" className="btn" onClick={() => { setJobId(null); setFailed(null); void check(settings); }}>
              Вернуться к проверке
            </button>
          )}
        </>
      )}
    </section>
  );
}

function AppliedList({ list, campaignId }: { list: NonNullable<RecordImportKind['list']>; campaignId: string }) {
  return (
    <div className="alert alert-success">
      Список применён {formatDateTime(list.at)}{list.actorLogin ? `, ${list.actorLogin}` : ''}: {n(list.records, RECORDS)} из {n(list.rows, ROWS)}.{' '}
      {list.current ? 'Действует: ' : 'Заменён более новым списком; давал: '}
      {list.inputs.map((i) => `«${i.title}»`).join(', ')}.{' '}
      <Link to={`/campaigns/${campaignId}/analysis`}>Открыть анализ мониторинга</Link>
    </div>
  );
}

function PreviewSummary({ preview: p }: { preview: RecordPreviewView }) {
  const excluded = p.records - p.counted;
  return (
    <>
      <h2>Предпросмотр</h2>
      {p.overrides.map((o) => (
        <div key={o.input} className="alert alert-info" role="alert" data-testid="record-override">
          <strong>Внимание.</strong> {o.message}
          {o.examples.length > 0 && (
            <ul>
              {o.examples.map((e) => (
                <li key={e.organisation}>
                  {e.organisation}: в форме {e.typed === null ? '—' : formatNumber(e.typed)}, по списку {e.counted === null ? '—' : formatNumber(e.counted)}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      {p.errorCount > 0 ? (
        <div className="alert alert-error" role="alert">
          Ошибок в списке: {formatNumber(p.errorCount)}. Список применяется целиком, поэтому сначала подтвердите или пропустите организации, сопоставьте значения — или исправьте файл и загрузите его заново.
          <ul className="import-errors">{p.errors.map((e, i) => <li key={i}>{e.text}{e.alias ? ` (допустимо: ${e.alias.allowed.join(', ')})` : ''}</li>)}</ul>
        </div>
      ) : (
        <div className="alert alert-success">Ошибок нет: можно применять.</div>
      )}
      <table className="table" data-testid="record-summary">
        <caption>Итоги проверки списка «{p.dataset.title}»{p.sheet ? `, лист «${p.sheet}»` : ''}</caption>
        <tbody>
          <tr><th scope="row">Строк данных в файле (заголовок — строка {p.headerLine})</th><td className="num">{formatNumber(p.totalRows)}</td></tr>
          <tr><th scope="row">Записей будет загружено</th><td className="num">{formatNumber(p.records)}</td></tr>
          <tr><th scope="row">Из них учитываются</th><td className="num">{formatNumber(p.counted)}</td></tr>
          <tr><th scope="row">Не учитываются</th><td className="num">{formatNumber(excluded)}</td></tr>
          {p.excluded.map((e) => (
            <tr key={e.text}><th scope="row">— {e.text}</th><td className="num">{formatNumber(e.rows)}</td></tr>
          ))}
          <tr><th scope="row">Организаций</th><td className="num">{formatNumber(p.organisations)}</td></tr>
          <tr><th scope="row">Пропущено строк</th><td className="num">{formatNumber(p.skipped.length)}</td></tr>
        </tbody>
      </table>
      {p.skipped.length > 0 && (
        <>
          <h3>Пропущенные строки</h3>
          <ul>
            {p.skipped.slice(0, SHOWN_SKIPPED).map((s) => <li key={s.line}>Строка {s.line}: {s.reason}</li>)}
            {p.skipped.length > SHOWN_SKIPPED && <li>и ещё {n(p.skipped.length - SHOWN_SKIPPED, ROWS)}</li>}
          </ul>
        </>
      )}
      {p.sample.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>Первые записи</caption>
            <thead>
              <tr>
                <th scope="col" className="num">Строка</th>
                <th scope="col">Запись</th>
                <th scope="col">Организация</th>
              </tr>
            </thead>
            <tbody>
              {p.sample.map((r) => (
                <tr key={r.line}>
                  <td className="num">{r.line}</td>
                  <td>{r.label ?? '—'}</td>
                  <td>{r.organisation ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
