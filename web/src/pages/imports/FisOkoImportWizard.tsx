/** Import of ФИС ОКО / ГИА reports into a campaign with subjects and grades (issue 22): the files of one upload are
 * checked together — which report each file and sheet is, every school matched to a participant (by its ФИС ОКО login,
 * ИНН or name; the others confirmed, picked or skipped), a subject or grade outside the methodology's list mapped to an
 * allowed one (saved for next year's files), errors with file, sheet, row and column — and applied as a background job
 * with a progress bar, all or nothing. */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { FisOkoImportSettings, FisOkoPreview } from '../../../../src/core/imports/fisoko-campaign.ts';
import { IMPORT_STATUS_LABELS, type ImportView } from '../../../../src/core/imports/schema.ts';
import { formatNumber, plural } from '../../../../src/core/format.ts';
import { ApiError, api } from '../../api.ts';
import { JobProgress, type JobView } from '../../components/JobProgress.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { AliasOffers } from './AliasOffers.tsx';
import { FisOkoLoginOffers } from './FisOkoLoginOffers.tsx';
import { OrganisationConfirmations } from './OrganisationConfirmations.tsx';

const HOW: Record<FisOkoPreview['schools'][number]['how'], string> = { login: 'по логину ФИС ОКО', inn: 'по ИНН', name: 'по наименованию', confirmed: 'подтверждено', skipped: 'пропущена', unresolved: 'не сопоставлена' };
const VALUES: readonly [string, string, string] = ['значение', 'значения', 'значений'];

export function FisOkoImportWizard({ view: v, onApplied }: { view: ImportView; onApplied(): void }) {
  const id = v.id;
  const [settings, setSettings] = useState<FisOkoImportSettings>({});
  const [preview, setPreview] = useState<FisOkoPreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [failed, setFailed] = useState<JobView | null>(null);
  const [loginsSaved, setLoginsSaved] = useState('');
  const applied = v.status === 'applied';
  const fail = (err: unknown) => setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));

  const check = useCallback(async (body: FisOkoImportSettings) => {
    setBusy(true);
    setError(null);
    setStatus('Проверка файлов…');
    try {
      const p = await api.post<FisOkoPreview>(`/api/imports/${encodeURIComponent(id)}/fisoko/preview`, body);
      setPreview(p);
      setSettings({ confirmations: body.confirmations ?? {}, aliases: body.aliases ?? {} });
      setStatus(p.ok ? `Проверено: ошибок нет, к загрузке ${formatNumber(p.values)} ${plural(p.values, VALUES)}.` : `Проверено: ошибок — ${formatNumber(p.errorCount)}, школ к сопоставлению — ${p.issues.length}, значений к выбору — ${p.aliasOffers.length}.`);
    } catch (err) {
      fail(err);
      setStatus('');
    } finally {
      setBusy(false);
    }
  }, [id]);

  useEffect(() => {
    if (!applied) void check({});
  }, [check, applied]);

  const setAlias = (field: string, value: string, to: string) => {
    const map = { ...(settings.aliases?.[field] ?? {}) };
    if (to) map[value] = to;
    else delete map[value];
    setSettings({ ...settings, aliases: { ...(settings.aliases ?? {}), [field]: map } });
  };
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ job: JobView }>(`/api/imports/${encodeURIComponent(id)}/fisoko/apply`, settings);
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
      const r = job.result as { values: number; unchanged: number };
      setStatus(`Отчёты применены: записано ${formatNumber(r.values)} ${plural(r.values, VALUES)}, без изменений — ${formatNumber(r.unchanged)}.`);
      onApplied();
    } else setFailed(job);
  };
  const saveLogins = async (logins: { organisationId: string; login: string }[]) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ saved: { shortName: string; login: string }[]; preview: FisOkoPreview }>(`/api/imports/${encodeURIComponent(id)}/fisoko/logins`, { ...settings, logins });
      setPreview(r.preview);
      setLoginsSaved(`Логины ФИС ОКО сохранены в реестре: ${r.saved.map((x) => `${x.shortName} — ${x.login}`).join(', ')}.`);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const canApply = !!preview && preview.ok && preview.values > 0 && !busy && !jobId && !applied;

  return (
    <section aria-labelledby="import-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / <Link to={`/campaigns/${v.campaignId}`}>{v.campaignTitle}</Link> /{' '}
        <Link to={`/campaigns/${v.campaignId}/imports`}>Импорт данных</Link> / Отчёты ФИС ОКО
      </p>
      <h1 id="import-title">Импорт отчётов ФИС ОКО</h1>
      <p className="muted">{v.fileName} · {formatNumber(Math.round(v.fileSize / 1024))} КБ · {jobId && !failed ? 'применяется' : IMPORT_STATUS_LABELS[v.status]}</p>
      <p className="visually-hidden" role="status" aria-live="polite">{status}</p>
      <ErrorBox error={error} />
      {applied && v.report && (
        <div className="alert alert-success">
          Отчёты применены: записано {formatNumber(v.report.values)} {plural(v.report.values, VALUES)}, без изменений — {formatNumber(v.report.unchanged)}.{' '}
          <Link to={`/campaigns/${v.campaignId}/analysis`}>Открыть анализ мониторинга</Link>
        </div>
      )}
      {!applied && (
        <>
          {preview ? <FisOkoSummary preview={preview} /> : busy && <Loading />}
          {preview && (preview.issues.length > 0 || preview.aliasOffers.length > 0) && (
            <div className="card">
              <OrganisationConfirmations title="Школы, которые нужно подтвердить" issues={preview.issues} participants={preview.participants} confirmations={settings.confirmations} onChange={(confirmations) => setSettings({ ...settings, confirmations })} />
              <AliasOffers title="Предметы и классы вне списка методики" what="Измерение" hint="Выберите, чему соответствует значение, и нажмите «Проверить». Выбранное сохранится в сопоставлении «ФИС ОКО»: следующий файл с тем же написанием пройдёт без вопросов." offers={preview.aliasOffers} aliases={settings.aliases} onChange={setAlias} />
              <div className="actions">
                <button type="button" className="btn" disabled={busy} onClick={() => void check(settings)}>Проверить</button>
              </div>
            </div>
          )}
          {loginsSaved && <p className="alert alert-success" role="status">{loginsSaved}</p>}
          {preview && <FisOkoLoginOffers key={preview.loginOffers.map((o) => o.organisation.id).join()} offers={preview.loginOffers} busy={busy} onSave={(l) => void saveLogins(l)} />}
          {!jobId && (
            <button type="button" className="btn btn-primary" disabled={!canApply} onClick={() => void apply()}>Применить отчёты</button>
          )}
          {jobId && <JobProgress jobId={jobId} onFinished={finished} />}
          {failed && (
            <button type="button" className="btn" onClick={() => { setJobId(null); setFailed(null); void check(settings); }}>Вернуться к проверке</button>
          )}
        </>
      )}
    </section>
  );
}

function FisOkoSummary({ preview: p }: { preview: FisOkoPreview }) {
  return (
    <>
      <h2>Проверка файлов</h2>
      {p.errorCount > 0 ? (
        <div className="alert alert-error" role="alert">
          Ошибок в файлах: {formatNumber(p.errorCount)}. Отчёты применяются целиком, поэтому исправьте файлы и загрузите их заново.
          <ul className="import-errors">{p.errors.map((e, i) => <li key={i}>{e.text}</li>)}</ul>
        </div>
      ) : p.ok ? (
        <div className="alert alert-success">Ошибок нет: можно применять — {formatNumber(p.values)} {plural(p.values, VALUES)} по {formatNumber(p.organisations)} {plural(p.organisations, ['школе', 'школам', 'школам'])}.</div>
      ) : (
        <div className="alert alert-info">Ошибок в файлах нет; осталось сопоставить школы или значения ниже.</div>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="fisoko-files">
          <caption>Файлы и листы</caption>
          <thead>
            <tr><th scope="col">Файл</th><th scope="col">Лист</th><th scope="col">Отчёт</th><th scope="col">Предмет, класс</th><th scope="col" className="num">Школ</th></tr>
          </thead>
          <tbody>
            {p.files.flatMap((f) => (f.reports.length ? f.reports : [null]).map((r, i) => (
              <tr key={`${f.name}\u0000${i}`}>
                <td>{f.name}</td>
                <td>{r?.sheet ?? '—'}</td>
                <td>{r?.title ?? 'не прочитан (см. ошибки)'}</td>
                <td>{r && Object.keys(r.dimensions).length ? `${r.dimensions.subject}, ${r.dimensions.grade} класс` : '—'}</td>
                <td className="num">{r ? formatNumber(r.schools) : '—'}</td>
              </tr>
            )))}
          </tbody>
        </table>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="fisoko-schools">
          <caption>Школы в отчётах</caption>
          <thead>
            <tr><th scope="col">В отчёте</th><th scope="col">Организация реестра</th><th scope="col">Как найдена</th><th scope="col" className="num">Таблиц</th></tr>
          </thead>
          <tbody>
            {p.schools.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{s.organisation ? `${s.organisation.no}. ${s.organisation.shortName}` : '—'}</td>
                <td>{HOW[s.how]}</td>
                <td className="num">{formatNumber(s.tables)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
