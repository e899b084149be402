/** Drill-down of a figure counted from a record list (issue 21): «Записи» next to an organisation opens the records behind
 * its record-based inputs (e.g. the published programmes of ИС «Навигатор»): file, row, label, fields, counted or left
 * out and why, with the explanation of the value. */
import { useState } from 'react';
import type { RecordDrillDown, RecordListInfo } from '../../../../src/core/imports/record-list.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { CloseButton } from '../../components/DialogButtons.tsx';
import { Modal } from '../../components/Modal.tsx';
import { Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';

/** The inputs the campaign's record lists in force supply (empty: no list, or not allowed to see them). */
export function useRecordInputs(campaignId: string | undefined): { id: string; title: string }[] {
  const { data } = useFetch<{ items: RecordListInfo[] }>(campaignId ? `/api/campaigns/${encodeURIComponent(campaignId)}/record-lists` : null);
  return (data?.items ?? []).filter((l) => l.current).flatMap((l) => l.inputs);
}

export function RecordsButton({ campaignId, organisationId, organisationName, inputs }: { campaignId: string; organisationId: string; organisationName: string; inputs: { id: string; title: string }[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="link-button small" onClick={() => setOpen(true)} aria-label={`Записи списка: ${organisationName}`}>
        Записи
      </button>
      {open && <RecordsDialog campaignId={campaignId} organisationId={organisationId} organisationName={organisationName} inputs={inputs} onClose={() => setOpen(false)} />}
    </>
  );
}

function RecordsDialog({ campaignId, organisationId, organisationName, inputs, onClose }: { campaignId: string; organisationId: string; organisationName: string; inputs: { id: string; title: string }[]; onClose(): void }) {
  const [input, setInput] = useState(inputs[0]?.id ?? '');
  const { data, error } = useFetch<RecordDrillDown>(`/api/campaigns/${encodeURIComponent(campaignId)}/records/${encodeURIComponent(organisationId)}/${encodeURIComponent(input)}`);
  const columns = data ? [...new Set(data.records.flatMap((r) => Object.keys(r.fields)))] : [];
  return (
    <Modal title={`Записи списка: ${organisationName}`} onClose={onClose}>
      <div style={{ width: 'min(880px, 86vw)' }} data-testid="records-dialog">
        {inputs.length > 1 && (
          <label className="inline-field">
            Значение{' '}
            <select value={input} onChange={(e) => setInput(e.target.value)}>
              {inputs.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.title}
                </option>
              ))}
            </select>
          </label>
        )}
        {error && <PageError error={error} />}
        {!data && !error && <Loading />}
        {data && (
          <>
            <p>
              <strong>{data.inputTitle}</strong>: {data.value === null ? '—' : formatNumber(data.value)} — {data.explanation}
            </p>
            {data.list && (
              <p className="small muted">
                Файл «{data.list.fileName}»{data.list.sheet ? `, лист «${data.list.sheet}»` : ''}, загружен {new Date(data.list.at).toLocaleDateString('ru-RU')}
                {data.list.actorLogin ? ` (${data.list.actorLogin})` : ''}.
              </p>
            )}
            <div className="table-wrap" style={{ maxHeight: '60vh', overflow: 'auto' }}>
              <table className="table">
                <caption className="visually-hidden">Записи, из которых посчитано значение</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">Строка файла</th>
                    <th scope="col">Учтена</th>
                    {columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.records.map((r) => (
                    <tr key={r.line} className={r.counted ? undefined : 'muted'}>
                      <td className="num">{r.line}</td>
                      <td>{r.counted ? 'да' : `нет: ${r.excludedBy ?? 'не входит в расчёт'}`}</td>
                      {columns.map((c) => (
                        <td key={c}>{r.fields[c] === null || r.fields[c] === undefined ? '' : typeof r.fields[c] === 'number' ? formatNumber(r.fields[c]) : r.fields[c]}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <CloseButton onClose={onClose} />
      </div>
    </Modal>
  );
}
