/** «Приказ об утверждении паспортов и дорожных карт» (issue 18, seed 001): the analyst picks the directions and the
 * year of the plans, reviews the draft (a point and an appendix per direction: the passport in force and the plan of
 * events of the year) and issues it with the orders' register number. */
import { useState } from 'react';
import { DIRECTION_CODES, DIRECTION_LABELS, type DirectionCode } from '../../../../src/core/cycle/roadmap-schema.ts';
import type { ApiError } from '../../api.ts';
import { api, asApiError, query } from '../../api.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { ErrorBox } from '../../components/Status.tsx';
import { OrderDialog, type OrderDraft } from './OrderDialog.tsx';
import type { IssuedDocument } from './RegisterSection.tsx';

interface ApprovalDraft extends OrderDraft {
  year: number;
  directions: { direction: DirectionCode; label: string; passport: { version: string | null; title: string }; roadmap: { title: string; events: number; from: 'year' | 'library' } }[];
}

export function ApprovalOrderSection({ onIssued }: { onIssued: () => void }) {
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [chosen, setChosen] = useState<DirectionCode[]>([...DIRECTION_CODES]);
  const [draft, setDraft] = useState<ApprovalDraft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState<IssuedDocument | null>(null);

  const prepare = async () => {
    setError(null);
    setIssued(null);
    try {
      setDraft(await api.get<ApprovalDraft>(`/api/documents/orders/approval${query({ year, directions: chosen.join(',') })}`));
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <>
      <h2 id="approval-title">Приказ об утверждении паспортов и дорожных карт</h2>
      <fieldset className="card">
        <legend>Направления (приложение на каждое: паспорт и план мероприятий)</legend>
        {DIRECTION_CODES.map((d) => (
          <label key={d} className="checkbox">
            <input type="checkbox" checked={chosen.includes(d)} onChange={(e) => setChosen(e.target.checked ? DIRECTION_CODES.filter((c) => c === d || chosen.includes(c)) : chosen.filter((c) => c !== d))} /> {DIRECTION_LABELS[d]}
          </label>
        ))}
        <label>
          Год планов мероприятий <input inputMode="numeric" size={6} value={year} onChange={(e) => setYear(e.target.value.trim())} />
        </label>
        <div className="actions">
          <button type="button" className="btn" disabled={!chosen.length || !/^\d{4}$/.test(year)} onClick={() => void prepare()}>
            Подготовить приказ об утверждении
          </button>
        </div>
      </fieldset>
      <ErrorBox error={error} />
      {issued && (
        <p className="alert alert-success" role="status">
          Приказ выпущен: № {issued.number} от {formatDate(issued.date)}. <a href={issued.url} download>Скачать DOCX</a>
        </p>
      )}
      {draft && (
        <OrderDialog
          heading="Приказ об утверждении паспортов и дорожных карт"
          draft={draft}
          onClose={() => setDraft(null)}
          onIssue={async (text) => {
            const doc = await api.post<IssuedDocument>('/api/documents/orders/approval', { ...text, year: draft.year, directions: draft.directions.map((d) => d.direction) });
            setIssued(doc);
            setDraft(null);
            onIssued();
          }}
        >
          <ol className="small">
            {draft.directions.map((d, i) => (
              <li key={d.direction}>
                Приложение № {i + 1}: {d.label} — паспорт{d.passport.version ? ` (версия ${d.passport.version})` : ''}, план: {d.roadmap.events} мероприятий{' '}
                {d.roadmap.from === 'year' ? `(дорожная карта ${draft.year} года)` : '(шаблон из библиотеки: на этот год карта не импортирована)'}
              </li>
            ))}
          </ol>
        </OrderDialog>
      )}
    </>
  );
}
