/** The confirm / pick / skip step of an import, shared by the table and the record-list wizards: each organisation as
 * written in the file that was not recognised exactly, its rows, and a select of the likely candidates, every other
 * participant and «не импортировать эти строки». */
import type { NameIssue } from '../../../../src/core/imports/schema.ts';

type Participant = { id: string; no: number; shortName: string };

/** `confirmations`: name → organisation id, or null (skip); absent: not decided yet. */
export function OrganisationConfirmations({ issues, participants, confirmations, onChange, title = 'Наименования, которые нужно подтвердить' }: {
  issues: readonly NameIssue[];
  participants: readonly Participant[];
  confirmations: Readonly<Record<string, string | null>> | undefined;
  onChange(confirmations: Record<string, string | null>): void;
  title?: string;
}) {
  if (issues.length === 0) return null;
  const set = (name: string, value: string) => {
    const next = { ...(confirmations ?? {}) };
    if (value === '') delete next[name];
    else next[name] = value === 'skip' ? null : value;
    onChange(next);
  };
  return (
    <>
      <h3>{title}</h3>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">В файле</th>
            <th scope="col">Строки</th>
            <th scope="col">Организация</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i) => (
            <tr key={i.name}>
              <td>{i.name}</td>
              <td>{i.lines.join(', ')}</td>
              <td>
                <select aria-label={`Организация для «${i.name}»`} value={confirmations?.[i.name] === null ? 'skip' : (confirmations?.[i.name] ?? '')} onChange={(e) => set(i.name, e.target.value)}>
                  <option value="">— выберите —</option>
                  {i.candidates.map((c) => (
                    <option key={c.id} value={c.id}>{c.shortName} (похоже на {Math.round(c.score * 100)}%)</option>
                  ))}
                  {participants.filter((o) => !i.candidates.some((c) => c.id === o.id)).map((o) => (
                    <option key={o.id} value={o.id}>{o.no}. {o.shortName}</option>
                  ))}
                  <option value="skip">не импортировать эти строки</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
