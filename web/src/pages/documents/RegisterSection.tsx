/** «Журнал исходящих документов» (issue 18): every issued document of the municipality with its number, date, title,
 * author and a download of the stored bytes; filtered by kind and year. */
import { useState } from 'react';
import { Link } from 'react-router';
import { query } from '../../api.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import type { DocumentDto } from '../../../../src/services/documents/register.ts';

/** An issued document as the API gives it (the register's DTO). */
export type IssuedDocument = DocumentDto;

export function RegisterSection({ kinds }: { kinds: { kind: string; label: string }[] }) {
  const [kind, setKind] = useState('');
  const [year, setYear] = useState('');
  const { data, error } = useFetch<{ items: IssuedDocument[]; pdfUnavailable: string | null }>(`/api/documents${query({ kind, year: /^\d{4}$/.test(year) ? year : '' })}`);
  return (
    <>
      <h2 id="register-title">Журнал исходящих документов</h2>
      <div className="actions">
        <label>
          Вид{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">все</option>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Год <input inputMode="numeric" size={6} value={year} onChange={(e) => setYear(e.target.value.trim())} />
        </label>
      </div>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p className="muted">Выпущенных документов нет.</p>}
      {data && data.items.length > 0 && (
        <DocumentsTable items={data.items} labelledBy="register-title" linkCampaigns pdfUnavailable={data.pdfUnavailable} />
      )}
    </>
  );
}

/** Issued documents as a table: kind, number, date, title (linked to its campaign in the register), who issued it, and
 * the DOCX to download again — the register and a campaign's documents. */
export function DocumentsTable({ items, labelledBy, caption, linkCampaigns = false, pdfUnavailable = null }: { items: IssuedDocument[]; labelledBy?: string; caption?: string; linkCampaigns?: boolean; pdfUnavailable?: string | null }) {
  return (
    <div className="table-wrap">
      {pdfUnavailable && items.length > 0 && <p className="muted small">PDF недоступен. {pdfUnavailable}.</p>}
      <table className="table" aria-labelledby={labelledBy}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">Документ</th>
            <th scope="col">Номер</th>
            <th scope="col">Дата</th>
            <th scope="col">Заголовок</th>
            <th scope="col">Выпустил</th>
            <th scope="col">Файл</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td>{d.kindLabel}</td>
              <td className="nowrap">{d.number}</td>
              <td className="nowrap">{formatDate(d.date)}</td>
              <td>{linkCampaigns && d.campaignId ? <Link to={`/campaigns/${d.campaignId}`}>{d.title}</Link> : d.title}</td>
              <td>{d.issuedBy ?? '—'}</td>
              <td>
                <a href={d.url} download>
                  Скачать DOCX
                </a>
                {!pdfUnavailable && (
                  <>
                    {' · '}
                    <a href={d.pdfUrl} download aria-label={`Скачать PDF: ${d.kindLabel} № ${d.number}`}>
                      PDF
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
