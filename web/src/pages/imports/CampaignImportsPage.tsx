/** Imports of a campaign: upload a CSV or XLSX file (the server checks the content), or up to 20 ФИС ОКО / ГИА
 * reports as one import, and the list of earlier imports with their outcome. Analysts and administrators. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { CampaignDetail } from '../../../../src/core/collection/schema.ts';
import { IMPORT_STATUS_LABELS, type ImportSummary } from '../../../../src/core/imports/schema.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { MAX_FISOKO_FILES } from '../../../../src/core/imports/fisoko-campaign.ts';
import { ApiError, api } from '../../api.ts';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { usePageTitle } from '../../pageTitle.ts';
import { useFetch } from '../../useFetch.ts';

export function CampaignImportsPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const campaign = useFetch<CampaignDetail>(`/api/campaigns/${encodeURIComponent(id)}`);
  const list = useFetch<{ items: ImportSummary[] }>(`/api/campaigns/${encodeURIComponent(id)}/imports`);
  const [file, setFile] = useState<File | null>(null);
  const [reports, setReports] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle(campaign.data?.title, 'импорт данных');

  if (campaign.error) return <PageError error={campaign.error} />;
  if (!campaign.data) return <Loading />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(new ApiError(400, 'FILE_REQUIRED', 'Выберите файл CSV или XLSX'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const created = await api.post<ImportSummary>(`/api/campaigns/${encodeURIComponent(id)}/imports`, form);
      navigate(`/imports/${created.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
    } finally {
      setBusy(false);
    }
  };

  const submitReports = async (e: FormEvent) => {
    e.preventDefault();
    if (reports.length === 0) {
      setError(new ApiError(400, 'FILE_REQUIRED', 'Выберите файлы ФИС ОКО (XLSX или CSV)'));
      return;
    }
    if (reports.length > MAX_FISOKO_FILES) {
      setError(new ApiError(400, 'TOO_MANY_FILES', `Не больше ${MAX_FISOKO_FILES} файлов за одну загрузку`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      for (const f of reports) form.append('file', f);
      const created = await api.post<ImportSummary>(`/api/campaigns/${encodeURIComponent(id)}/imports/fisoko`, form);
      navigate(`/imports/${created.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="imports-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / <Link to={`/campaigns/${id}`}>{campaign.data.title}</Link> / Импорт данных
      </p>
      <h1 id="imports-title">Импорт данных из файла</h1>
      <p>
        Файл CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или книга XLSX: одна строка — одна организация. После
        загрузки выберите лист, сопоставьте столбцы с полями формы и способ поиска организаций, проверьте предпросмотр и
        примените. Импорт выполняется целиком или не выполняется вовсе: при любой ошибке в файле ничего не меняется.
      </p>
      <p>
        Список записей, который описывает методика (например, программы из ИС «Навигатор»: одна строка — одна программа),
        распознаётся по заголовку: после загрузки откроется проверка списка, а посчитанные по нему значения заменят
        введённые в формах.
      </p>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="import-file">Файл данных</label>
          <input id="import-file" type="file" accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <ErrorBox error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Загрузка…' : 'Загрузить'}
        </button>
      </form>

      <h2 id="fisoko-title">Отчёты ФИС ОКО и ГИА</h2>
      <p>
        Для мониторинга, методика которого делит данные по предметам и классам: выгрузки ФИС ОКО «Статистика по
        отметкам» и «Сравнение отметок с отметками по журналу» (XLSX, все листы) и результаты ГИА-9/ГИА-11 (CSV или XLSX),
        до {MAX_FISOKO_FILES} файлов за одну загрузку. Школы находятся по логину ФИС ОКО из реестра, иначе по
        наименованию; строки выборки, региона и муниципалитета становятся значениями для сравнения.
      </p>
      <form className="card" aria-labelledby="fisoko-title" onSubmit={(e) => void submitReports(e)}>
        <div className="field">
          <label htmlFor="fisoko-files">Файлы отчётов</label>
          <input id="fisoko-files" type="file" multiple accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setReports([...(e.target.files ?? [])])} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Загрузка…' : 'Проверить отчёты ФИС ОКО'}
        </button>
      </form>

      <h2>Загруженные файлы</h2>
      {list.error && <ErrorBox error={list.error} />}
      {list.data && list.data.items.length === 0 && <p className="muted">Файлов ещё не загружали.</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Файл</th>
                <th scope="col">Загружен</th>
                <th scope="col">Кем</th>
                <th scope="col">Состояние</th>
                <th scope="col" className="num">Значений</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/imports/${i.id}`}>{i.fileName}</Link>
                  </td>
                  <td className="nowrap">{formatDateTime(i.createdAt)}</td>
                  <td>{i.createdBy ?? '—'}</td>
                  <td>{IMPORT_STATUS_LABELS[i.status]}</td>
                  <td className="num">{i.report && i.status === 'applied' ? formatNumber(i.report.values) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
