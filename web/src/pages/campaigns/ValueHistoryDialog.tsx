/** The history of one field's value in a submission (or of the cells of one row of a per-dimension table, with the
 * column each value belongs to): when, what, who and from which source. */
import { useEffect, useState } from 'react';
import type { HistoryItem } from '../../../../src/core/collection/schema.ts';
import { type ApiError, api, asApiError } from '../../api.ts';
import { CloseButton } from '../../components/DialogButtons.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { type FormField, SOURCE_LABELS, showValue } from './submissionValues.ts';

export function ValueHistoryDialog({ url, field, title, inputTitles, onClose }: { url: string; field?: FormField; title?: string; inputTitles?: Record<string, string>; onClose(): void }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api
      .get<{ items: HistoryItem[] }>(url)
      .then((r) => setItems(inputTitles ? r.items.filter((h) => h.input in inputTitles) : r.items))
      .catch((err: unknown) => setError(asApiError(err, 'Сервер недоступен.')));
    // inputTitles is built from the same row as url: url alone says when to reload.
  }, [url]);
  return (
    <Modal title={title ?? `История значения: ${field?.title ?? ''}`} onClose={onClose}>
      <ErrorBox error={error} />
      {!items && !error ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Когда</th>
                {inputTitles && <th scope="col">Поле</th>}
                <th scope="col">Значение</th>
                <th scope="col">Кто</th>
                <th scope="col">Источник</th>
              </tr>
            </thead>
            <tbody>
              {(items ?? []).length === 0 ? (
                <tr>
                  <td colSpan={inputTitles ? 5 : 4} className="empty">
                    Значение ещё не вводилось
                  </td>
                </tr>
              ) : (
                (items ?? []).map((h) => (
                  <tr key={`${h.id}:${h.input}`}>
                    <td className="nowrap">{formatDateTime(h.at)}</td>
                    {inputTitles && <td>{inputTitles[h.input] ?? h.input}</td>}
                    <td>
                      {showValue(h.value)}
                      {h.evidenceUrl && (
                        <div className="small">
                          <a href={h.evidenceUrl} target="_blank" rel="noreferrer noopener">
                            {h.evidenceUrl}
                          </a>
                        </div>
                      )}
                    </td>
                    <td>{h.actorLogin ?? 'система'}</td>
                    <td>
                      {SOURCE_LABELS[h.source]}
                      {h.sourceRef ? ` (${h.sourceRef})` : ''}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <CloseButton onClose={onClose} />
    </Modal>
  );
}
