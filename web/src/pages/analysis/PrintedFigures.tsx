/** The figures of one printed report one by one (issue 15, item 4), inside its card on the analysis page: every figure
 * with the place the report printed it and its history (a correction is a new entry; the old one is kept), a form to
 * add or correct one figure (what: an organisation, a row by type or the municipality, and an indicator or a municipal
 * figure; the printed text «5,6», «58,6 %», «средний»; the table and row), and the removal of a mistaken figure with a
 * reason. GET/POST/DELETE /api/campaigns/:id/printed-reports/:reportId/figures. */
import { useState } from 'react';
import { formatDateTime } from '../../dateTime.ts';
import { parsePrinted } from '../../../../src/core/methodology/consistency.ts';
import type { PrintedFigureEntry, PrintedFigureOptions } from '../../../../src/services/analysis/printed-report-figures.ts';
import { request } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { TextField } from '../../components/FormFields.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { useCheckedSubmit } from '../../useSubmit.ts';

interface Props {
  campaignId: string;
  reportId: string;
  title: string;
  canEdit: boolean;
  /** Reload the analysis after a change. */
  onChanged(): void;
}

const SOURCES: Record<string, string> = { entry: 'внесено', import: 'из таблицы', docx: 'из DOCX отчёта', removal: 'удалено', restore: 'возвращено прежнее' };

function printedText(f: { value: string | null; level: string | null }): string {
  return [f.value, f.level && `«${f.level}»`].filter(Boolean).join(', ') || '—';
}

export function PrintedFigures({ campaignId, reportId, title, canEdit, onChanged }: Props) {
  const [open, setOpen] = useState(false);
  const base = `/api/campaigns/${campaignId}/printed-reports/${reportId}/figures`;
  const { data, error, reload } = useFetch<{ items: PrintedFigureEntry[]; options: PrintedFigureOptions }>(open ? base : null);
  const [editing, setEditing] = useState<PrintedFigureEntry | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const changed = () => {
    reload();
    onChanged();
  };
  return (
    <details className="printed-figures" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Значения отчёта по одному{canEdit ? ': внести, исправить, удалить' : ''}</summary>
      {error && <ErrorBox error={error} />}
      {open && !data && !error && <Loading />}
      {data && (
        <>
          {canEdit && <FigureForm key={editing?.id ?? 'new'} base={base} title={title} options={data.options} initial={editing} onSaved={(message) => { setEditing(null); setDone(message); changed(); }} />}
          {done && <p role="status">{done}</p>}
          {data.items.length === 0 ? (
            <p>Значений нет.</p>
          ) : (
            <div className="table-wrap" role="region" aria-label={`Значения отчёта «${title}»`} tabIndex={0}>
              <table className="table" data-testid="printed-figures">
                <caption className="visually-hidden">Значения, внесённые из отчёта «{title}», с историей</caption>
                <thead>
                  <tr>
                    <th scope="col">Строка</th>
                    <th scope="col">Показатель</th>
                    <th scope="col">Напечатано</th>
                    <th scope="col">Место в отчёте</th>
                    <th scope="col">История</th>
                    {canEdit && <th scope="col">Действия</th>}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((f) => (
                    <tr key={f.id} className={f.removed ? 'muted' : undefined}>
                      <td>{f.label}</td>
                      <td>{f.targetTitle}</td>
                      <td>{f.removed ? 'удалено' : printedText(f)}</td>
                      <td>{f.place ?? '—'}</td>
                      <td className="small">
                        <ul className="occurrence-list">
                          {f.history.map((v, i) => (
                            <li key={i}>
                              {formatDateTime(v.at)}, {v.actorLogin ?? '—'}: {SOURCES[v.source] ?? v.source}
                              {v.source !== 'removal' && <> {printedText(v)}</>}
                              {v.file && <> («{v.file}»)</>}
                              {v.reason && <> — причина: {v.reason}</>}
                            </li>
                          ))}
                        </ul>
                      </td>
                      {canEdit && (
                        <td>
                          <button type="button" className="btn" onClick={() => { setDone(null); setEditing(f); }} aria-label={`Исправить: ${f.label}, ${f.targetTitle}`}>
                            Исправить
                          </button>
                          {!f.removed && <RemoveFigure url={`${base}/${f.id}`} what={`${f.label}, ${f.targetTitle}`} previous={previousOf(f)} onRemoved={changed} />}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </details>
  );
}

const FIELD_OF: Record<string, string> = { organisationId: 'row', group: 'row', organisation: 'row', target: 'target', value: 'value', level: 'level', place: 'place' };

/** The row of the report a figure belongs to, as one select value. */
const rowValue = (f: Pick<PrintedFigureEntry, 'scope' | 'organisationId' | 'group'>) => (f.scope === 'organisation' ? `org:${f.organisationId}` : f.scope === 'group' ? `group:${f.group}` : 'municipal');

function FigureForm({ base, title, options, initial, onSaved }: { base: string; title: string; options: PrintedFigureOptions; initial: PrintedFigureEntry | null; onSaved(message: string): void }) {
  const [row, setRow] = useState(initial ? rowValue(initial) : '');
  const [target, setTarget] = useState(initial?.target ?? '');
  const [value, setValue] = useState(initial?.value ?? '');
  const [level, setLevel] = useState(initial?.level ?? '');
  const [place, setPlace] = useState(initial?.place ?? '');
  const { errors, error, busy, submit } = useCheckedSubmit((err) =>
    Object.fromEntries(err.fields.map((f) => [FIELD_OF[String(f.path).split('.').pop() ?? ''] ?? 'value', f.message])),
  );
  const municipal = row === 'municipal';
  const targets = options.targets.filter((t) => municipal || t.kind === 'indicator');
  return (
    <form
      className="card form"
      aria-label={`${initial ? 'Исправить' : 'Внести'} значение отчёта «${title}»`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const fieldErrors: Record<string, string> = {};
        if (!row) fieldErrors.row = 'Выберите организацию, строку по типам или муниципалитет';
        if (!target) fieldErrors.target = 'Выберите показатель';
        else if (!targets.some((t) => t.id === target)) fieldErrors.target = 'Муниципальный показатель (агрегат) относится к строке «Муниципалитет»';
        if (!value.trim() && !level.trim()) fieldErrors.value = 'Укажите значение или уровень, как напечатано';
        else if (value.trim() && !parsePrinted(value)) fieldErrors.value = `«${value.trim()}» — не число (пишите, как напечатано: «5,6», «58,6 %», «86»)`;
        void submit(fieldErrors, async () => {
          const [kind, key] = row.includes(':') ? [row.slice(0, row.indexOf(':')), row.slice(row.indexOf(':') + 1)] : [row, ''];
          const figure = { organisationId: kind === 'org' ? key : null, group: kind === 'group' ? key : null, target, value: value.trim() || null, level: level.trim() || null, place: place.trim() || null };
          await request('POST', base, { figures: [figure] });
          setValue('');
          setLevel('');
          onSaved(initial ? 'Значение исправлено; прежнее осталось в истории.' : 'Значение внесено.');
        });
      }}
    >
      <h4>{initial ? `Исправить значение: ${initial.label}, ${initial.targetTitle}` : 'Внести значение'}</h4>
      <ErrorBox error={error} />
      <Field label="Строка отчёта" error={errors.row}>
        <select value={row} onChange={(e) => setRow(e.target.value)}>
          <option value="">— выберите —</option>
          <option value="municipal">Муниципалитет</option>
          {options.groups.length > 0 && (
            <optgroup label="Строки по типам организаций">
              {options.groups.map((g) => (
                <option key={g.key} value={`group:${g.key}`}>
                  {g.name}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Организации">
            {options.organisations.map((o) => (
              <option key={o.id} value={`org:${o.id}`}>
                {o.name}
              </option>
            ))}
          </optgroup>
        </select>
      </Field>
      <Field label="Показатель" error={errors.target}>
        <select value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">— выберите —</option>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.kind === 'aggregate' ? `По району: ${t.title}` : t.title}
            </option>
          ))}
        </select>
      </Field>
      <TextField label="Значение, как напечатано" error={errors.value} value={value} onChange={setValue} hint="«5,6», «58,6 %», «86»; пусто — если напечатан только уровень" />
      <TextField label="Уровень, как напечатан" error={errors.level} value={level} onChange={setLevel} hint="«средний», «выше среднего»; можно не указывать" />
      <TextField label="Место в отчёте" error={errors.place} value={place} onChange={setPlace} hint="Таблица и строка: «Таблица № 3, строка 26»" />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {initial ? 'Сохранить исправление' : 'Внести значение'}
        </button>
      </div>
    </form>
  );
}

/** The figure before the one in force, as printed text, when there is one to go back to. */
function previousOf(f: PrintedFigureEntry): string | null {
  const v = f.history.slice(1).find((x) => x.value !== null || x.level !== null);
  return v ? printedText(v) : null;
}

function RemoveFigure({ url, what, previous, onRemoved }: { url: string; what: string; previous: string | null; onRemoved(): void }) {
  const [open, setOpen] = useState(false);
  const [restore, setRestore] = useState(previous !== null);
  const [reason, setReason] = useState('');
  const { errors, error, busy, submit } = useCheckedSubmit();
  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-label={`Удалить: ${what}`}>
        Удалить…
      </button>
    );
  }
  return (
    <form
      className="form"
      aria-label={`Удалить значение: ${what}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit(reason.trim() ? {} : { reason: 'Укажите причину' }, async () => {
          await request('DELETE', url, { reason: reason.trim(), restore: previous !== null && restore });
          setOpen(false);
          onRemoved();
        });
      }}
    >
      <ErrorBox error={error} />
      <TextField label="Причина удаления" error={errors.reason} value={reason} onChange={setReason} hint="Значение останется в истории" />
      {previous !== null && (
        <label className="inline-field">
          <input type="checkbox" checked={restore} onChange={(e) => setRestore(e.target.checked)} /> Вернуть прежнее значение: {previous}
        </label>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-danger" disabled={busy}>
          Удалить значение
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Отмена
        </button>
      </div>
    </form>
  );
}
