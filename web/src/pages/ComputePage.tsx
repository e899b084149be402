/** «Расчёт по файлу»: choose a methodology version, upload CSV/XLSX files (one table, a table with its record lists, or
 * a year's ФИС ОКО exports) and, optionally, the printed report (a CSV/XLSX table or the report's DOCX, compared like
 * published:), see results, discrepancies and aggregates. */
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, request } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { ErrorBox, Loading, PageError } from '../components/Status.tsx';
import type { ComputeResponse, MethodologySummary } from '../methodologyTypes.ts';
import type { PrintedFileCheck } from '../../../src/services/analysis/printed-report-file.ts';
import { useFetch } from '../useFetch.ts';
import { ComputeResults } from './ComputeResults.tsx';

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 20;

export function ComputePage() {
  const [params] = useSearchParams();
  const list = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const [selected, setSelected] = useState(params.get('m') ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [sheet, setSheet] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [printed, setPrinted] = useState<File | null>(null);
  const [result, setResult] = useState<(ComputeResponse & { printed?: PrintedFileCheck }) | null>(null);
  const [busy, setBusy] = useState(false);

  if (list.error) return <PageError error={list.error} />;
  if (!list.data) return <Loading />;
  const items = list.data.items.filter((m) => m.datasets.length > 0);
  const current = selected || (items[0] ? `${items[0].id}/${items[0].version}` : '');
  const chosen = items.find((m) => `${m.id}/${m.version}` === current);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!current) fe.methodology = 'Выберите методику';
    const wrongType = files.find((f) => !/\.(csv|xlsx)$/i.test(f.name));
    const tooLarge = files.find((f) => f.size > MAX_BYTES);
    if (!files.length) fe.file = 'Выберите файл CSV или XLSX';
    else if (files.length > MAX_FILES) fe.file = `Не больше ${MAX_FILES} файлов за один расчёт`;
    else if (wrongType) fe.file = `«${wrongType.name}»: допустимы файлы CSV и XLSX`;
    else if (tooLarge) fe.file = `Файл «${tooLarge.name}» больше 10 МБ`;
    if (printed && !/\.(csv|xlsx|docx)$/i.test(printed.name)) fe.printed = `«${printed.name}»: допустимы файлы CSV, XLSX и DOCX`;
    else if (printed && printed.size > MAX_BYTES) fe.printed = `Файл «${printed.name}» больше 10 МБ`;
    setErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    const form = new FormData();
    if (sheet.trim() && files.length === 1) form.append('sheet', sheet.trim());
    for (const f of files) form.append('file', f, f.name);
    if (printed) form.append('printed', printed, printed.name);
    setBusy(true);
    try {
      const [id = '', version = ''] = current.split('/');
      const path = `/api/methodologies/${encodeURIComponent(id)}/${encodeURIComponent(version)}/compute`;
      setResult(await request<ComputeResponse>('POST', path, form));
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      const fields = apiErr.fieldMap();
      setErrors(fields);
      // The file's own error is shown under the file field; the box above only says what happened.
      setError(Object.keys(fields).length ? new ApiError(apiErr.status, apiErr.code, 'Файл не принят — см. сообщение под полем.') : apiErr);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="compute-title">
      <h1 id="compute-title">Расчёт по файлу</h1>
      <form className="card form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <ErrorBox error={error} />
        <Field label="Методика" error={errors.methodology}>
          <select value={current} onChange={(e) => setSelected(e.target.value)}>
            {items.map((m) => (
              <option key={`${m.id}/${m.version}`} value={`${m.id}/${m.version}`}>
                {m.title} — версия {m.version}
              </option>
            ))}
          </select>
        </Field>
        {chosen && (
          <p className="muted">Принимаемые таблицы: {chosen.datasets.map((d) => `«${d}»`).join(', ')}.</p>
        )}
        <div className="form-row">
          <Field
            label="Файл с данными (один или несколько)"
            error={errors.file}
            hint="CSV (UTF-8 или Windows-1251) или XLSX, не больше 10 МБ каждый. Можно выбрать несколько: таблицу организаций со списками записей (ИС «Навигатор») или выгрузки ФИС ОКО по предметам и классам"
          >
            <input type="file" accept=".csv,.xlsx" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />
          </Field>
          <Field label="Лист XLSX" error={errors.sheet} hint={files.length > 1 ? 'Для нескольких файлов читаются нужные листы каждого' : 'Пусто — первый лист'}>
            <input value={sheet} disabled={files.length > 1} onChange={(e) => setSheet(e.target.value)} />
          </Field>
        </div>
        <Field
          label="Опубликованный отчёт (необязательно)"
          error={errors.printed}
          hint="Таблица CSV или XLSX (столбцы «Организация», «Показатель», «Значение», «Уровень») или DOCX самого отчёта: его значения сверяются с расчётом так же, как опубликованные столбцы файла данных"
        >
          <input type="file" accept=".csv,.xlsx,.docx" onChange={(e) => setPrinted(e.target.files?.[0] ?? null)} />
        </Field>
        {files.length > 1 && (
          <p className="muted" data-testid="chosen-files">
            Выбрано файлов: {files.length} — {files.map((f) => `«${f.name}»`).join(', ')}.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Расчёт…' : 'Рассчитать'}
          </button>
        </div>
      </form>
      {result?.printed && <PrintedSummary printed={result.printed} />}
      {result && <ComputeResults result={result} />}
    </section>
  );
}

/** What the printed report's file gave: how many figures agree; those it could not compare; where it and the data
 * file's published columns (or the methodology's published:) print different figures for the same thing. */
function PrintedSummary({ printed }: { printed: PrintedFileCheck }) {
  return (
    <section className="card" aria-labelledby="compute-printed-title" data-testid="compute-printed">
      <h2 id="compute-printed-title">Опубликованный отчёт «{printed.file}»</h2>
      <p>
        Значений: {printed.figures}, совпадают с расчётом: {printed.agreed}, расходятся: {printed.disagreements.length}
        {printed.disagreements.length > 0 && ' (в списке расхождений ниже)'}.
      </p>
      {printed.problems.length > 0 && (
        <>
          <p>Не удалось сверить:</p>
          <ul>
            {printed.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </>
      )}
      {printed.conflicts.length > 0 && (
        <>
          <p>Отчёт и опубликованные данные файла расходятся между собой:</p>
          <ul data-testid="compute-printed-conflicts">
            {printed.conflicts.map((c, i) => (
              <li key={i}>{c.message}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
