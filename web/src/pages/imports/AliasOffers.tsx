/** The alias step of an import, shared by the record-list and the ФИС ОКО wizards: each value outside the declared
 * list («Опубл.», «Матем.»), how many rows have it, and a select of the allowed values (the likely one marked). */
import { formatNumber } from '../../../../src/core/format.ts';

export interface AliasOffer {
  field: string;
  column: string;
  value: string;
  allowed: string[];
  rows: number;
  suggestion?: string | null;
}

const HINT = 'Выберите, чему соответствует значение, и нажмите «Проверить»; чтобы следующий файл прошёл сам, сохраните синонимы при применении.';

export function AliasOffers({ offers, aliases, onChange, title = 'Значения вне списка допустимых', what = 'Столбец', hint = HINT }: {
  offers: readonly AliasOffer[];
  aliases: Readonly<Record<string, Record<string, string>>> | undefined;
  onChange(field: string, value: string, to: string): void;
  title?: string;
  what?: string;
  hint?: string;
}) {
  if (offers.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <p className="muted small">{hint}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{what}</th>
            <th scope="col">Значение в файле</th>
            <th scope="col" className="num">Строк</th>
            <th scope="col">Соответствует</th>
          </tr>
        </thead>
        <tbody>
          {offers.map((o) => (
            <tr key={`${o.field}\u0000${o.value}`}>
              <td>{o.column}</td>
              <td>«{o.value}»</td>
              <td className="num">{formatNumber(o.rows)}</td>
              <td>
                <select aria-label={`Значение для «${o.value}» (${o.column})`} value={aliases?.[o.field]?.[o.value] ?? ''} onChange={(e) => onChange(o.field, o.value, e.target.value)}>
                  <option value="">— выберите —</option>
                  {o.allowed.map((a) => <option key={a} value={a}>{a}{a === o.suggestion ? ' (вероятно)' : ''}</option>)}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
