/** One import. ФИС ОКО reports: FisOkoImportWizard.tsx. A record list (one row per record, e.g. the ИС «Навигатор» programmes): RecordImportWizard.tsx. A table
 * of organisations: choose the sheet, map the file's columns to the campaign's inputs (or take a saved mapping), choose how
 * rows find their organisation, confirm names recognised inexactly, check the preview (errors marked per cell, over a
 * validation of the whole file) and apply — a background job with a progress bar; all or nothing. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { IMPORT_STATUS_LABELS, MATCH_MODES, MATCH_MODE_LABELS, type ImportPreview, type ImportReport, type ImportSettings, type ImportView } from '../../../../src/core/imports/schema.ts';
import { formatNumber, plural } from '../../../../src/core/format.ts';
import { ApiError, api } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { JobProgress, type JobView } from '../../components/JobProgress.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { OrganisationConfirmations } from './OrganisationConfirmations.tsx';
import { FisOkoImportWizard } from './FisOkoImportWizard.tsx';
import { RecordImportWizard } from './RecordImportWizard.tsx';
import type { RecordImportKind } from '../../../../src/core/imports/record-import-view.ts';

type Preview = ImportPreview & { problems: { path: string; message: string }[] };

/** ФИС ОКО reports (several files) have their own wizard; a file of one table goes on to `TableOrRecords`. */
export function ImportPage() {
  const { id = '' } = useParams();
  const view = useFetch<ImportView>(`/api/imports/${encodeURIComponent(id)}`);
  if (view.error) return <PageError error={view.error} />;
  if (!view.data) return <Loading />;
  return view.data.kind === 'fisoko' ? <FisOkoImportWizard view={view.data} onApplied={view.reload} /> : <TableOrRecords id={id} />;
}

/** The record-list wizard when the file is a record list of the campaign's methodology, else the column mapping. */
function TableOrRecords({ id }: { id: string }) {
  const kind = useFetch<RecordImportKind>(`/api/imports/${encodeURIComponent(id)}/records`);
  if (kind.error) return <PageError error={kind.error} />;
  if (!kind.data) return <Loading />;
  return kind.data.dataset ? <RecordImportWizard id={id} kind={kind.data} onApplied={kind.reload} /> : <TableImport id={id} />;
}

function TableImport({ id }: { id: string }) {
  const view = useFetch<ImportView>(`/api/imports/${encodeURIComponent(id)}`);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [settings, setSettings] = useState<ImportSettings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saveAs, setSaveAs] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [finished, setFinished] = useState<JobView | null>(null);

  const check = useCallback(
    async (body: Partial<ImportSettings>) => {
      setBusy(true);
      setError(null);
      try {
        const p = await api.post<Preview>(`/api/imports/${encodeURIComponent(id)}/preview`, body);
        setPreview(p);
        setSettings(p.settings);
      } catch (err) {
        setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
      } finally {
        setBusy(false);
      }
    },
    [id],
  );

  useEffect(() => {
    void check({});
  }, [check]);

  if (view.error) return <PageError error={view.error} />;
  if (!view.data || !settings) return error ? <ErrorBox error={error} /> : <Loading />;
  const v = view.data;
  const applied = v.status === 'applied' || finished?.status === 'done';
  const reportOf = (finished?.result ?? v.report) as ImportReport | null;

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ job: JobView }>(`/api/imports/${encodeURIComponent(id)}/apply`, { ...settings, ...(saveAs.trim() ? { saveMappingAs: saveAs.trim() } : {}) });
      setFinished(null);
      setJobId(r.job.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
    } finally {
      setBusy(false);
    }
  };

  const targetOf = (column: string) => settings.columns[column] ?? '';
  const setTarget = (column: string, target: string) => {
    const columns = { ...settings.columns };
    if (target) columns[column] = target;
    else delete columns[column];
    setSettings({ ...settings, columns });
  };
  const cellError = (row: Preview['rows'][number], column: string) => row.errors.find((e) => e.column === column);
  const canApply = !!preview && preview.problems.length === 0 && preview.errorCount === 0 && !applied && !jobId;

  return (
    <section aria-labelledby="import-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / <Link to={`/campaigns/${v.campaignId}`}>{v.campaignTitle}</Link> /{' '}
        <Link to={`/campaigns/${v.campaignId}/imports`}>Импорт данных</Link> / {v.fileName}
      </p>
      <h1 id="import-title">Импорт: {v.fileName}</h1>
      <p className="muted">
        {v.format.toUpperCase()}, {formatNumber(Math.round(v.fileSize / 1024))} КБ · {IMPORT_STATUS_LABELS[finished?.status === 'done' ? 'applied' : v.status]}
        {preview && ` · строк данных: ${formatNumber(preview.totalRows)}`}
        {preview?.encoding && ` · кодировка ${preview.encoding === 'windows-1251' ? 'Windows-1251' : 'UTF-8'}, разделитель «${preview.delimiter === '\t' ? 'табуляция' : preview.delimiter}»`}
      </p>
      <ErrorBox error={error} />

      {!applied && !jobId && (
        <div className="card import-mapping">
          <h2>Сопоставление</h2>
          {v.sheets.length > 1 && (
            <Field label="Лист книги">
              <select value={preview?.sheet ?? ''} onChange={(e) => void check({ sheet: e.target.value })}>
                {v.sheets.map((s) => (
                  <option key={s} value={s}>{s}</option>
                ))}
              </select>
            </Field>
          )}
          {v.mappings.length > 0 && (
            <Field label="Сохранённое сопоставление" hint="Сопоставления сохраняются для методики и доступны в следующих мониторингах">
              <select defaultValue="" onChange={(e) => {
                const m = v.mappings.find((x) => x.id === e.target.value);
                if (m) void check({ sheet: preview?.sheet ?? null, columns: m.columns, match: m.match, confirmations: {} });
              }}>
                <option value="">— выберите —</option>
                {v.mappings.map((m) => (
                  <option key={m.id} value={m.id}>{m.name}</option>
                ))}
              </select>
            </Field>
          )}
          <Field label="Как найти организацию">
            <select value={settings.match.mode} onChange={(e) => setSettings({ ...settings, match: { ...settings.match, mode: e.target.value as ImportSettings['match']['mode'] } })}>
              {MATCH_MODES.map((m) => (
                <option key={m} value={m}>{MATCH_MODE_LABELS[m]}</option>
              ))}
            </select>
          </Field>
          <Field label="Столбец с организацией">
            <select value={settings.match.column} onChange={(e) => setSettings({ ...settings, match: { ...settings.match, column: e.target.value } })}>
              {(preview?.header ?? []).map((h) => (
                <option key={h} value={h}>{h}</option>
              ))}
            </select>
          </Field>
          <table className="table">
            <caption>Столбцы файла и поля формы</caption>
            <thead>
              <tr>
                <th scope="col">Столбец файла</th>
                <th scope="col">Поле формы</th>
              </tr>
            </thead>
            <tbody>
              {(preview?.header ?? []).filter((h) => h !== settings.match.column).map((h) => (
                <tr key={h}>
                  <td>{h}</td>
                  <td>
                    <select aria-label={`Поле для столбца «${h}»`} value={targetOf(h)} onChange={(e) => setTarget(h, e.target.value)}>
                      <option value="">— не импортировать —</option>
                      {v.fields.map((f) => (
                        <option key={f.name} value={f.name}>{f.title}{f.unit ? `, ${f.unit}` : ''}</option>
                      ))}
                      {v.fields.filter((f) => f.evidence).map((f) => (
                        <option key={`${f.name}#evidence`} value={`${f.name}#evidence`}>{f.title}: ссылка на подтверждение</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview && (
            <OrganisationConfirmations issues={preview.issues} participants={preview.organisations} confirmations={settings.confirmations} onChange={(confirmations) => setSettings({ ...settings, confirmations })} />
          )}
          <div className="actions">
            <button type="button" className="btn" disabled={busy} onClick={() => void check(settings)}>
              Проверить
            </button>
          </div>
        </div>
      )}

      {preview && preview.problems.length > 0 && (
        <div className="alert alert-error" role="alert">
          <ul>{preview.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
        </div>
      )}

      {preview && preview.problems.length === 0 && !applied && (
        <>
          <h2>Предпросмотр</h2>
          {preview.errorCount > 0 ? (
            <div className="alert alert-error" role="alert">
              Ошибок в файле: {formatNumber(preview.errorCount)}. Импорт выполняется целиком, поэтому сначала исправьте их — в файле
              или в сопоставлении — и <Link to={`/campaigns/${v.campaignId}/imports`}>загрузите файл заново</Link>.
              <ul className="import-errors">{preview.errors.map((e, i) => <li key={i}>{e.text}</li>)}</ul>
            </div>
          ) : (
            <div className="alert alert-success">Ошибок нет: можно применять ({formatNumber(preview.totalRows)} {plural(preview.totalRows, ['строка', 'строки', 'строк'])}).</div>
          )}
          <div className="table-wrap import-preview">
            <table className="table">
              <caption className="visually-hidden">Первые строки файла</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">Строка</th>
                  <th scope="col">Организация</th>
                  {preview.header.map((h) => <th scope="col" key={h}>{h}</th>)}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line}>
                    <td className="num">{r.line}</td>
                    <td>{r.organisation ?? '—'}</td>
                    {preview.header.map((h, i) => {
                      const e = cellError(r, h);
                      return (
                        <td key={h} className={e ? 'cell-error' : undefined} title={e?.text}>
                          {r.cells[i] ?? ''}
                          {e && <span className="cell-error-text">{e.message}</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {!applied && !jobId && (
        <div className="card">
          <Field label="Сохранить сопоставление под названием (необязательно)">
            <input value={saveAs} onChange={(e) => setSaveAs(e.target.value)} maxLength={200} />
          </Field>
          <button type="button" className="btn btn-primary" disabled={!canApply || busy} onClick={() => void apply()}>
            Применить импорт
          </button>
        </div>
      )}

      {jobId && <JobProgress jobId={jobId} onFinished={(j) => { setFinished(j); if (j.status === 'done') view.reload(); }} />}
      {finished?.status === 'failed' && <button type="button" className="btn" onClick={() => { setJobId(null); setFinished(null); void check(settings); }}>Вернуться к сопоставлению</button>}

      {applied && reportOf && (
        <div className="alert alert-success" role="status">
          Импорт применён: записано значений — {formatNumber(reportOf.values)} по {formatNumber(reportOf.organisations)} организациям
          {reportOf.unchanged > 0 && `, без изменений — ${formatNumber(reportOf.unchanged)}`}
          {reportOf.skipped.length > 0 && `, пропущено строк — ${reportOf.skipped.length}`}.{' '}
          <Link to={`/campaigns/${v.campaignId}`}>Перейти к мониторингу</Link>
        </div>
      )}
    </section>
  );
}
