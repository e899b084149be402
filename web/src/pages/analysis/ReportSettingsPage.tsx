/** What the analyst adds to a campaign's report: revised text blocks (goal, conclusions — history kept), regional
 * values and targets per indicator or aggregate, and the tables organisations do not fill (municipal, by type). */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { BenchmarkChoice, Benchmark, CampaignTableInfo, ReportTextVersion } from '../../../../src/services/analysis/campaign-inputs.ts';
import type { ReportBlock } from '../../../../src/services/analysis/campaign-reports.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { ApiError, query, request } from '../../api.ts';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { usePageTitle } from '../../pageTitle.ts';
import { useFetch } from '../../useFetch.ts';
import { useBasis } from './CampaignAnalysisPage.tsx';

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));

function TextBlock({ campaignId, block, onSaved }: { campaignId: string; block: ReportBlock; onSaved(): void }) {
  const [text, setText] = useState(block.text);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (value: string | null) => {
    setError(null);
    try {
      await request('PUT', `/api/campaigns/${campaignId}/report-texts`, { blockId: block.id, text: value });
      if (value === null) setText(block.generated);
      onSaved();
    } catch (e) {
      setError(asError(e));
    }
  };
  return (
    <div className="card">
      <label className="field">
        <span>
          {block.title} {block.revised && <span className="badge badge-done">изменён</span>}
        </span>
        <textarea rows={Math.min(10, Math.max(3, Math.ceil(text.length / 110)))} value={text} onChange={(e) => setText(e.target.value)} aria-label={block.title} />
      </label>
      <ErrorBox error={error} />
      <div className="row-actions">
        <button type="button" className="btn btn-primary" disabled={text === block.text} onClick={() => void save(text)}>
          Сохранить
        </button>
        {block.revised && (
          <button type="button" className="btn" onClick={() => void save(null)}>
            Вернуть сформированный текст
          </button>
        )}
      </div>
    </div>
  );
}

function Benchmarks({ campaignId }: { campaignId: string }) {
  const { data, error, reload } = useFetch<{ choices: BenchmarkChoice[]; items: Benchmark[] }>(`/api/campaigns/${campaignId}/benchmarks`);
  const [key, setKey] = useState('');
  const [regional, setRegional] = useState('');
  const [target, setTarget] = useState('');
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const num = (s: string) => (s.trim() === '' ? null : Number(s.replace(',', '.')));
  const save = async (body: { key: string; regional: number | null; target: number | null }) => {
    setSaveError(null);
    try {
      await request('PUT', `/api/campaigns/${campaignId}/benchmarks`, body);
      reload();
    } catch (e) {
      setSaveError(asError(e));
    }
  };
  return (
    <section aria-labelledby="bm-title">
      <h2 id="bm-title">Региональные значения и целевые показатели</h2>
      <div className="form-row">
        <label className="inline-field">
          Показатель{' '}
          <select value={key} onChange={(e) => setKey(e.target.value)} aria-label="Показатель или агрегат">
            <option value="">— выберите —</option>
            {data.choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.title}
                {c.methodologyTarget !== null ? ` (цель по методике ${formatNumber(c.methodologyTarget)})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Региональное значение <input inputMode="decimal" value={regional} onChange={(e) => setRegional(e.target.value)} aria-label="Региональное значение" size={8} />
        </label>
        <label className="inline-field">
          Целевой показатель <input inputMode="decimal" value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Целевой показатель" size={8} />
        </label>
        <button type="button" className="btn btn-primary" disabled={!key} onClick={() => void save({ key, regional: num(regional), target: num(target) })}>
          Сохранить
        </button>
      </div>
      <ErrorBox error={saveError} />
      {data.items.length === 0 ? (
        <p className="muted">Не задано: используются целевые показатели из методики.</p>
      ) : (
        <table className="table" data-testid="benchmarks">
          <thead>
            <tr>
              <th scope="col">Показатель</th>
              <th scope="col" className="num">Региональное значение</th>
              <th scope="col" className="num">Целевой показатель</th>
              <th scope="col">Кто, когда</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {data.items.map((b) => (
              <tr key={b.key}>
                <td>{b.title}</td>
                <td className="num">{b.regional === null ? '—' : formatNumber(b.regional)}</td>
                <td className="num">{b.target === null ? '—' : formatNumber(b.target)}</td>
                <td className="small">
                  {b.actorLogin}, {formatDateTime(b.at)}
                </td>
                <td>
                  <button type="button" className="link-button" onClick={() => void save({ key: b.key, regional: null, target: null })}>
                    Снять
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Tables({ campaignId }: { campaignId: string }) {
  const { data, error, reload } = useFetch<{ datasets: { id: string; title: string; columns: string[] }[]; items: CampaignTableInfo[] }>(`/api/campaigns/${campaignId}/tables`);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const upload = async (file: File) => {
    setBusy(true);
    setUploadError(null);
    const form = new FormData();
    form.append('file', file);
    try {
      await request('POST', `/api/campaigns/${campaignId}/tables`, form);
      reload();
    } catch (e) {
      setUploadError(asError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="tables-title">
      <h2 id="tables-title">Таблицы муниципалитета и по типам организаций</h2>
      <ul className="small">
        {data.datasets.map((d) => {
          const cur = data.items.find((i) => i.datasetId === d.id);
          return (
            <li key={d.id}>
              <strong>{d.title}</strong> — столбцы: {d.columns.join(', ')}.{' '}
              {cur ? `Загружено: ${cur.fileName} (${cur.rows} стр.), ${cur.actorLogin ?? ''} ${formatDateTime(cur.at)}` : 'не загружено'}
            </li>
          );
        })}
      </ul>
      <label className="field">
        <span>Файл CSV или XLSX (таблица узнаётся по заголовку)</span>
        <input type="file" accept=".csv,.xlsx" disabled={busy} onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} />
      </label>
      <ErrorBox error={uploadError} />
    </section>
  );
}

export function ReportSettingsPage() {
  const { id = '' } = useParams();
  const [basis] = useBasis();
  const { data, error, reload } = useFetch<{ blocks: ReportBlock[]; history: ReportTextVersion[] }>(`/api/campaigns/${encodeURIComponent(id)}/report-texts${query({ basis: basis === 'submitted' ? null : basis })}`);
  const campaign = useFetch<{ title: string }>(`/api/campaigns/${encodeURIComponent(id)}`);
  usePageTitle(campaign.data?.title, 'справка: тексты, цели и таблицы');
  if (error) return <PageError error={error} />;
  if (!data) return <Loading />;
  return (
    <section aria-labelledby="report-settings-title">
      <p className="breadcrumbs">
        <Link to={`/campaigns/${id}`}>Мониторинг</Link> / <Link to={`/campaigns/${id}/analysis${query({ basis: basis === 'submitted' ? null : basis })}`}>Анализ</Link> / Справка
      </p>
      <h1 id="report-settings-title">Справка: тексты, цели и таблицы</h1>
      <Benchmarks campaignId={id} />
      <Tables campaignId={id} />
      <section aria-labelledby="texts-title">
        <h2 id="texts-title">Текстовые блоки справки</h2>
        <p className="small muted">Выводы формируются по данным; правка заменяет текст блока в DOCX, PDF и протоколе. Все версии сохраняются.</p>
        {data.blocks.map((b) => (
          <TextBlock key={`${b.id}:${b.text}`} campaignId={id} block={b} onSaved={reload} />
        ))}
        {data.history.length > 0 && (
          <>
            <h3>История правок</h3>
            <ul className="event-list small">
              {data.history.map((h, i) => (
                <li key={i}>
                  {formatDateTime(h.at)}, {h.actorLogin}: {h.blockId} — {h.text === null ? 'возвращён сформированный текст' : `«${h.text.slice(0, 120)}${h.text.length > 120 ? '…' : ''}»`}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </section>
  );
}
