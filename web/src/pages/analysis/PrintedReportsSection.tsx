/** «Опубликованные отчёты» on the campaign analysis page (issue 15, item 4): the reports attached to the campaign
 * («Протокол № 6 …», its date and source), each with the figures it printed that the computation does not confirm and
 * why; analysts and administrators attach a report, import its figures from a CSV/XLSX table (all or nothing, errors
 * name row and column) and remove a report with a reason. The checks come with the analysis
 * (GET /api/campaigns/:id/analysis → printedReports); writes go to /api/campaigns/:id/printed-reports. */
import { useState } from 'react';
import { formatDate, parseRussianDate, plural } from '../../../../src/core/format.ts';
import type { PrintedReportCheck } from '../../../../src/services/analysis/printed-report-checks.ts';
import { request } from '../../api.ts';
import { DateTextField, TextField } from '../../components/FormFields.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { useAction, useCheckedSubmit } from '../../useSubmit.ts';
import { PrintedDocxImport } from './PrintedDocxImport.tsx';
import { PrintedFigures } from './PrintedFigures.tsx';

interface Props {
  campaignId: string;
  checks: PrintedReportCheck[];
  canEdit: boolean;
  /** Reload the analysis after a change. */
  onChanged(): void;
}

const FIGURES = ['значение', 'значения', 'значений'] as const;

export function PrintedReportsSection({ campaignId, checks, canEdit, onChanged }: Props) {
  return (
    <section aria-labelledby="printed-reports-title" data-testid="printed-reports">
      <h2 id="printed-reports-title">Опубликованные отчёты</h2>
      <p className="small muted">
        Отчёты, протоколы и справки, где были напечатаны результаты этого мониторинга. Напечатанные значения сверяются с расчётом с той точностью, с какой
        напечатаны; уровни — по названию.
      </p>
      {checks.length === 0 ? <p>Опубликованные отчёты не прикреплены.</p> : checks.map((c) => <ReportCard key={c.report.id} campaignId={campaignId} check={c} canEdit={canEdit} onChanged={onChanged} />)}
      {canEdit && <AddReportForm campaignId={campaignId} onAdded={onChanged} />}
    </section>
  );
}

function ReportCard({ campaignId, check, canEdit, onChanged }: { campaignId: string; check: PrintedReportCheck; canEdit: boolean; onChanged(): void }) {
  const r = check.report;
  const d = check.disagreements;
  return (
    <article className="card" aria-labelledby={`printed-${r.id}`} data-testid="printed-report">
      <h3 id={`printed-${r.id}`}>{r.title}</h3>
      <p className="small">
        Дата: {formatDate(r.date)}
        {r.source && <> · Источник: {r.source}</>} · {r.figures} {plural(r.figures, FIGURES)}, совпадают с расчётом: {check.agreed}, расходятся: {d.length}
      </p>
      {r.figures === 0 ? (
        <p>Значения отчёта ещё не внесены.</p>
      ) : d.length === 0 ? (
        <p>Все напечатанные значения совпадают с расчётом.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label={`Расхождения: ${r.title}`} tabIndex={0}>
          <table className="table" data-testid="printed-disagreements">
            <caption className="visually-hidden">Значения, напечатанные в отчёте «{r.title}» и не подтверждённые расчётом</caption>
            <thead>
              <tr>
                <th scope="col">Строка</th>
                <th scope="col">Показатель</th>
                <th scope="col">Напечатано</th>
                <th scope="col">Вычислено</th>
                <th scope="col">Пояснение</th>
              </tr>
            </thead>
            <tbody>
              {d.map((x, i) => (
                <tr key={i}>
                  <td>{x.label}</td>
                  <td>
                    {x.targetTitle}
                    {x.field === 'level' && ' (уровень)'}
                  </td>
                  <td>{x.printed}</td>
                  <td>{x.computed ?? '—'}</td>
                  <td className="small">
                    {x.explanation}
                    {x.causes[0] && <>. Как могло получиться: {x.causes[0].message}</>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {check.problems.length > 0 && (
        <>
          <p className="small">Не удалось сверить:</p>
          <ul className="small">
            {check.problems.map((p, i) => (
              <li key={i}>
                {p.figure.entity ?? 'Муниципалитет'}, {p.figure.target}: {p.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <PrintedFigures campaignId={campaignId} reportId={r.id} title={r.title} canEdit={canEdit} onChanged={onChanged} />
      {canEdit && (
        <>
          <ImportFigures campaignId={campaignId} reportId={r.id} title={r.title} onImported={onChanged} />
          <RemoveReport campaignId={campaignId} reportId={r.id} title={r.title} onRemoved={onChanged} />
        </>
      )}
    </article>
  );
}

function ImportFigures({ campaignId, reportId, title, onImported }: { campaignId: string; reportId: string; title: string; onImported(): void }) {
  const { error, busy, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [docx, setDocx] = useState<File | null>(null);
  const upload = (file: File) =>
    run(async () => {
      setDone(null);
      const form = new FormData();
      form.append('file', file);
      const res = await request<{ saved: number; fileName: string }>('POST', `/api/campaigns/${campaignId}/printed-reports/${reportId}/import`, form);
      setDone(`Из файла «${res.fileName}» ${plural(res.saved, ['внесено', 'внесены', 'внесено'])} ${res.saved} ${plural(res.saved, FIGURES)}.`);
      onImported();
    });
  return (
    <div className="field">
      <label htmlFor={`printed-file-${reportId}`}>Загрузить значения отчёта «{title}» из таблицы CSV или XLSX</label>
      <input
        id={`printed-file-${reportId}`}
        type="file"
        accept=".csv,.xlsx"
        disabled={busy}
        aria-describedby={`printed-file-hint-${reportId}`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void upload(file);
        }}
      />
      <label htmlFor={`printed-docx-${reportId}`}>Прочитать значения из таблиц самого отчёта (DOCX)</label>
      <input
        id={`printed-docx-${reportId}`}
        type="file"
        accept=".docx"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          setDone(null);
          if (file) setDocx(file);
        }}
      />
      {docx && (
        <PrintedDocxImport
          campaignId={campaignId}
          reportId={reportId}
          title={title}
          file={docx}
          onCancel={() => setDocx(null)}
          onDone={(message) => {
            setDocx(null);
            setDone(message);
            onImported();
          }}
        />
      )}
      <div className="field-hint" id={`printed-file-hint-${reportId}`}>
        Столбцы: «Организация» (название или номер в реестре; тип организации или «Итого» — строка по типам; «Муниципалитет» — муниципальное значение),
        «Показатель» (код или идентификатор), «Значение» и/или «Уровень». Сохраняется всё или ничего; повторно внесённое значение заменяет прежнее.
      </div>
      {done && <p role="status">{done}</p>}
      <ErrorBox error={error} />
    </div>
  );
}

function RemoveReport({ campaignId, reportId, title, onRemoved }: { campaignId: string; reportId: string; title: string; onRemoved(): void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { errors, error, busy, submit } = useCheckedSubmit();
  if (!open) {
    return (
      <div className="actions">
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          Открепить отчёт…
        </button>
      </div>
    );
  }
  return (
    <form
      className="form"
      aria-label={`Открепить отчёт «${title}»`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit(reason.trim() ? {} : { reason: 'Укажите причину' }, async () => {
          await request('DELETE', `/api/campaigns/${campaignId}/printed-reports/${reportId}`, { reason: reason.trim() });
          onRemoved();
        });
      }}
    >
      <ErrorBox error={error} />
      <TextField label="Причина" error={errors.reason} value={reason} onChange={setReason} hint="Отчёт и его значения остаются в журнале" />
      <div className="actions">
        <button type="submit" className="btn btn-danger" disabled={busy}>
          Открепить
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Отмена
        </button>
      </div>
    </form>
  );
}

function AddReportForm({ campaignId, onAdded }: { campaignId: string; onAdded(): void }) {
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [source, setSource] = useState('');
  const { errors, error, busy, submit } = useCheckedSubmit();
  const iso = parseRussianDate(date);
  return (
    <form
      className="card form"
      aria-labelledby="printed-add-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const fieldErrors: Record<string, string> = {};
        if (!title.trim()) fieldErrors.title = 'Укажите название отчёта';
        if (!iso) fieldErrors.date = 'Дата в формате дд.мм.гггг';
        void submit(fieldErrors, async () => {
          await request('POST', `/api/campaigns/${campaignId}/printed-reports`, { title: title.trim(), date: iso, source: source.trim() });
          setTitle('');
          setDate('');
          setSource('');
          onAdded();
        });
      }}
    >
      <h3 id="printed-add-title">Прикрепить опубликованный отчёт</h3>
      <ErrorBox error={error} />
      <TextField label="Название отчёта" error={errors.title} value={title} onChange={setTitle} />
      <DateTextField label="Дата отчёта" error={errors.date} value={date} onChange={setDate} />
      <TextField label="Источник" error={errors.source} value={source} onChange={setSource} hint="Где опубликован: сайт, приказ, протокол, страница" />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Прикрепить
        </button>
      </div>
    </form>
  );
}
