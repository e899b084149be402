/** The per-dimension tables of a form (issue 22): a dataset split by subject × grade is a table — a row per
 * combination the organisation has, a column per input it types — with «Добавить предмет и класс» (a subject and a
 * grade picked from the methodology's values). Each cell is labelled for assistive technology («Математика, 5 класс —
 * ВПР: участников»); the region's and municipality's figures an import brings are shown read-only. Typed values are
 * parsed here and handed to the page, which saves them with the rest of the form. */
import { useState } from 'react';
import type { DimensionalTable, SaveValues } from '../../../../src/core/collection/schema.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { dimensionsKey } from '../../../../src/core/rules/dimensional.ts';
import { type FormField, fromText, hintOf, toText } from './submissionValues.ts';

export type DimensionValues = Record<string, string>;
/** One cell as the save API takes it (`dimensional` of saveValuesSchema). */
export type DimensionalCell = NonNullable<SaveValues['dimensional']>[number];

/** The key of one cell (input × dimension values) in the page's pending saves and errors. */
export const cellKey = (input: string, dimensions: DimensionValues): string => `${input}\u0000${dimensionsKey(dimensions)}`;

interface Props {
  tables: DimensionalTable[];
  editable: boolean;
  /** Errors the server gave, by `cellKey`. */
  serverErrors: Record<string, string>;
  /** A parsed cell to save, or `null` with its key when what was typed is not a value (nothing to save). */
  onCell(key: string, cell: DimensionalCell | null): void;
  onHistory(table: DimensionalTable, row: { dimensions: DimensionValues; label: string }): void;
}

const labelOf = (t: DimensionalTable, d: DimensionValues) => t.dimensions.map((x) => x.values.find((v) => v.value === d[x.id])?.label ?? d[x.id] ?? '—').join(', ');

export function DimensionTables(props: Props) {
  return (
    <>
      {props.tables.map((t) => (
        <DimensionTable key={t.datasetId} table={t} {...props} />
      ))}
    </>
  );
}

function DimensionTable({ table: t, editable, serverErrors, onCell, onHistory }: Omit<Props, 'tables'> & { table: DimensionalTable }) {
  const [added, setAdded] = useState<DimensionValues[]>([]);
  const [pick, setPick] = useState<DimensionValues>({});
  const [addError, setAddError] = useState<string | null>(null);
  const initial = () => {
    const out: Record<string, string> = {};
    for (const r of t.rows) for (const f of t.fields) out[cellKey(f.name, r.dimensions)] = toText(f, r.values[f.name]?.value ?? null);
    return out;
  };
  const [texts, setTexts] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const known = new Set(t.rows.map((r) => dimensionsKey(r.dimensions)));
  const rows = [...t.rows.map((r) => ({ dimensions: r.dimensions, label: r.label, values: r.values })), ...added.filter((d) => !known.has(dimensionsKey(d))).map((d) => ({ dimensions: d, label: labelOf(t, d), values: {} as DimensionalTable['rows'][number]['values'] }))];
  const comparison = t.comparison.filter((f) => t.rows.some((r) => (r.values[f.name]?.value ?? null) !== null));
  const titleId = `dim-${t.datasetId}`;

  const type = (f: FormField, dimensions: DimensionValues, text: string) => {
    const key = cellKey(f.name, dimensions);
    setTexts((x) => ({ ...x, [key]: text }));
    const parsed = fromText(f, text);
    setErrors((x) => {
      const next = { ...x };
      if (parsed.ok) delete next[key];
      else next[key] = parsed.message;
      return next;
    });
    onCell(key, parsed.ok ? { input: f.name, dimensions, value: parsed.value } : null);
  };

  const add = () => {
    const missing = t.dimensions.filter((d) => !pick[d.id]);
    if (missing.length) {
      setAddError(`Выберите: ${missing.map((d) => d.title.toLowerCase()).join(', ')}`);
      return;
    }
    const d = Object.fromEntries(t.dimensions.map((x) => [x.id, pick[x.id] as string]));
    if (rows.some((r) => dimensionsKey(r.dimensions) === dimensionsKey(d))) {
      setAddError(`Строка «${labelOf(t, d)}» уже есть в таблице`);
      return;
    }
    setAddError(null);
    setAdded((a) => [...a, d]);
    setPick({});
  };

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t.title}</h2>
      <p className="muted small">По строке на каждый предмет и класс, по которым есть результаты; обязательные столбцы отмечены «*».</p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {t.dimensions.map((d) => (
                <th key={d.id} scope="col">
                  {d.title}
                </th>
              ))}
              {t.fields.map((f) => (
                <th key={f.name} scope="col" title={f.title}>
                  {t.columns[f.name] ?? f.title}
                  {f.required ? ' *' : ''}
                </th>
              ))}
              {comparison.map((f) => (
                <th key={f.name} scope="col" title={`${f.title} (из импорта)`}>
                  {t.columns[f.name] ?? f.title}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">История</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={t.dimensions.length + t.fields.length + comparison.length + 1} className="empty">
                  Нет строк: добавьте предмет и класс, по которым есть результаты
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={dimensionsKey(r.dimensions)}>
                {t.dimensions.map((d, i) => {
                  const text = d.values.find((v) => v.value === r.dimensions[d.id])?.label ?? r.dimensions[d.id];
                  return i === 0 ? (
                    <th key={d.id} scope="row">
                      {text}
                    </th>
                  ) : (
                    <td key={d.id}>{text}</td>
                  );
                })}
                {t.fields.map((f) => {
                  const key = cellKey(f.name, r.dimensions);
                  const error = errors[key] ?? serverErrors[key];
                  return (
                    <td key={f.name}>
                      <input
                        style={{ minWidth: '4.5rem' }}
                        inputMode={f.type === 'integer' ? 'numeric' : 'decimal'}
                        disabled={!editable}
                        aria-label={`${r.label} — ${t.columns[f.name] ?? f.title}`}
                        title={hintOf(f)}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${titleId}-${key.length}-${rows.indexOf(r)}-${f.name}` : undefined}
                        value={texts[key] ?? ''}
                        onChange={(e) => type(f, r.dimensions, e.target.value)}
                        size={6}
                      />
                      {error && (
                        <div id={`${titleId}-${key.length}-${rows.indexOf(r)}-${f.name}`} className="field-error small">
                          {error}
                        </div>
                      )}
                    </td>
                  );
                })}
                {comparison.map((f) => {
                  const v = r.values[f.name]?.value;
                  return <td key={f.name}>{typeof v === 'number' ? formatNumber(v) : '—'}</td>;
                })}
                <td>
                  <button type="button" className="link-button" onClick={() => onHistory(t, r)} aria-label={`История: ${r.label}`}>
                    История
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable && (
        <fieldset className="fieldset">
          <legend>Добавить строку</legend>
          <div className="filters">
            {t.dimensions.map((d) => (
              <div key={d.id} className="field">
                <label htmlFor={`${titleId}-add-${d.id}`}>{d.title}</label>
                <select id={`${titleId}-add-${d.id}`} value={pick[d.id] ?? ''} onChange={(e) => setPick((p) => ({ ...p, [d.id]: e.target.value }))}>
                  <option value="">— выберите —</option>
                  {d.values.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div className="field">
              <button type="button" className="btn" onClick={add}>
                Добавить предмет и класс
              </button>
            </div>
          </div>
          {addError && (
            <p className="field-error" role="alert">
              {addError}
            </p>
          )}
        </fieldset>
      )}
    </section>
  );
}
