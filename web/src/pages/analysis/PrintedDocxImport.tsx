/** Printed figures from the report's DOCX (issue 15, item 4), inside a printed report's card: the document's tables
 * with their header text, the guessed mapping (the table, the column of organisations, which column is which
 * indicator's value or level, what the «итого» row prints) the analyst can change, the figures read with the cell each
 * came from, the unreadable cells named, and «Внести» — all or nothing.
 * POST /api/campaigns/:id/printed-reports/:reportId/docx/preview|apply. */
import { useEffect, useState } from 'react';
import { plural } from '../../../../src/core/format.ts';
import type { DocxMapping } from '../../../../src/core/analysis/printed-report-docx.ts';
import type { DocxPreview } from '../../../../src/services/analysis/printed-report-docx.ts';
import { request } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useAction } from '../../useSubmit.ts';

interface Props {
  campaignId: string;
  reportId: string;
  title: string;
  file: File;
  onDone(message: string): void;
  onCancel(): void;
}

const FIGURES = ['значение', 'значения', 'значений'] as const;

export function PrintedDocxImport({ campaignId, reportId, title, file, onDone, onCancel }: Props) {
  const [preview, setPreview] = useState<DocxPreview | null>(null);
  const [mapping, setMappingState] = useState<DocxMapping | null>(null);
  /** The mapping was changed since the figures were read: read again before applying. */
  const [dirty, setDirty] = useState(false);
  const setMapping = (m: DocxMapping) => {
    setMappingState(m);
    setDirty(true);
  };
  const { error, busy, run } = useAction();
  const url = (what: string) => `/api/campaigns/${campaignId}/printed-reports/${reportId}/docx/${what}`;
  const send = async <T,>(what: string, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', file);
    return request<T>('POST', url(what), form);
  };
  const show = (fields: Record<string, string>) =>
    run(async () => {
      const p = await send<DocxPreview>('preview', fields);
      setPreview(p);
      setMappingState(p.mapping);
      setDirty(false);
    });
  // Once per file: the first reading guesses the mapping.
  const [started, setStarted] = useState<File | null>(null);
  useEffect(() => {
    if (started === file) return;
    setStarted(file);
    void show({});
  });

  if (!preview) return error ? <ErrorBox error={error} /> : <Loading />;
  const table = preview.tables.find((t) => t.no === (mapping?.table ?? 0)) ?? null;
  const indicators = preview.options.targets.filter((t) => t.kind === 'indicator');
  const aggregates = preview.options.targets.filter((t) => t.kind === 'aggregate');
  const columnChoice = (column: number) => {
    const c = mapping?.columns.find((x) => x.column === column);
    return c ? `${c.field}:${c.target}` : '';
  };
  const total = mapping?.columns[0]?.total ?? '';
  const setColumn = (column: number, choice: string) => {
    if (!mapping) return;
    const rest = mapping.columns.filter((x) => x.column !== column);
    const [field, target] = [choice.slice(0, choice.indexOf(':')), choice.slice(choice.indexOf(':') + 1)];
    const columns = choice ? [...rest, { column, target, field: field as 'value' | 'level', total: total || null }] : rest;
    setMapping({ ...mapping, columns: columns.sort((a, b) => a.column - b.column) });
  };
  const apply = () =>
    run(async () => {
      const res = await send<{ saved: number; fileName: string }>('apply', { mapping: JSON.stringify(mapping) });
      onDone(`Из файла «${res.fileName}» ${plural(res.saved, ['внесено', 'внесены', 'внесено'])} ${res.saved} ${plural(res.saved, FIGURES)}.`);
    });

  return (
    <section className="card" aria-label={`Значения из DOCX для отчёта «${title}»`} data-testid="printed-docx">
      <h4>Значения из таблиц документа «{preview.fileName}»</h4>
      <ErrorBox error={error} />
      <Field label="Таблица документа" hint="Номер по порядку в документе; предложено по названиям организаций">
        <select value={mapping?.table ?? ''} disabled={busy} onChange={(e) => void show({ table: e.target.value })}>
          {!mapping && <option value="">— не найдена —</option>}
          {preview.tables.map((t) => (
            <option key={t.no} value={t.no}>
              Таблица {t.no}: {t.columns.map((c) => c.header).filter(Boolean).slice(0, 3).join('; ')} ({t.rows} строк)
            </option>
          ))}
        </select>
      </Field>
      {table?.caption && <p className="small" data-testid="printed-docx-caption">Подпись в документе: «{table.caption}»</p>}
      {mapping && table && (
        <>
          <Field label="Столбец с названиями организаций">
            <select value={mapping.organisationColumn} onChange={(e) => setMapping({ ...mapping, organisationColumn: Number(e.target.value), columns: mapping.columns.filter((c) => c.column !== Number(e.target.value)) })}>
              {table.columns.map((c) => (
                <option key={c.column} value={c.column}>
                  {c.column}. {c.header || '(без заголовка)'}
                </option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend>Что напечатано в столбцах</legend>
            {table.columns
              .filter((c) => c.column !== mapping.organisationColumn)
              .map((c) => (
                <Field key={c.column} label={`Столбец ${c.column}: ${c.header || '(без заголовка)'}`}>
                  <select value={columnChoice(c.column)} onChange={(e) => setColumn(c.column, e.target.value)}>
                    <option value="">не вносить</option>
                    {indicators.map((t) => (
                      <option key={`v${t.id}`} value={`value:${t.id}`}>
                        {t.title} — значение
                      </option>
                    ))}
                    {indicators.map((t) => (
                      <option key={`l${t.id}`} value={`level:${t.id}`}>
                        {t.title} — уровень
                      </option>
                    ))}
                  </select>
                </Field>
              ))}
            <Field label="Строка «итого» — это">
              <select value={total} onChange={(e) => setMapping({ ...mapping, columns: mapping.columns.map((c) => ({ ...c, total: e.target.value || null })) })}>
                <option value="">не вносить</option>
                {aggregates.map((t) => (
                  <option key={t.id} value={t.id}>
                    По району: {t.title}
                  </option>
                ))}
              </select>
            </Field>
          </fieldset>
          <div className="actions">
            <button type="button" className={dirty ? 'btn btn-primary' : 'btn'} disabled={busy} onClick={() => void show({ mapping: JSON.stringify(mapping) })}>
              Прочитать заново
            </button>
            {dirty && <span className="small">Сопоставление изменено: прочитайте таблицу заново, чтобы увидеть значения.</span>}
          </div>
        </>
      )}
      {preview.errors.length > 0 && (
        <div className="alert alert-error" role="alert" data-testid="printed-docx-errors">
          <p>Не прочитано — исправьте документ или сопоставление:</p>
          <ul>
            {preview.errors.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {preview.figures.length > 0 && (
        <div className="table-wrap" role="region" aria-label={`Прочитанные значения: ${preview.fileName}`} tabIndex={0}>
          <table className="table" data-testid="printed-docx-figures">
            <caption className="visually-hidden">Значения, прочитанные из документа, с ячейками</caption>
            <thead>
              <tr>
                <th scope="col">Строка</th>
                <th scope="col">Показатель</th>
                <th scope="col">Значение</th>
                <th scope="col">Уровень</th>
                <th scope="col">Ячейка</th>
              </tr>
            </thead>
            <tbody>
              {preview.figures.map((f, i) => (
                <tr key={i}>
                  <td>{f.row}</td>
                  <td>{f.targetTitle}</td>
                  <td>{f.value ?? '—'}</td>
                  <td>{f.level ?? '—'}</td>
                  <td className="small">{f.place}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={busy || dirty || !mapping || preview.errors.length > 0 || preview.figures.length === 0} onClick={() => void apply()}>
          Внести {preview.figures.length} {plural(preview.figures.length, FIGURES)}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Отмена
        </button>
      </div>
    </section>
  );
}
