/** «Дорожные карты»: per direction and year, the road-map events with this year's deadlines and their statuses
 * (derived by the server from today), marking a deadline done with evidence, import from the seed-001 template,
 * iCalendar download, and the cycle-completeness panel. */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { OccurrenceStatus } from '../../../../src/core/calendar/index.ts';
import type { RoadmapDto, RoadmapEventDto } from '../../../../src/services/cycle/roadmaps.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { type ApiError, api, asApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { CloseButton, DialogButtons } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { useSubmit } from '../../useSubmit.ts';
import { canEditCycle, canViewCompleteness, localToday } from './access.ts';
import { CompletenessPanel } from './CompletenessPanel.tsx';
import { DirectionTabs, isDirection } from './DirectionTabs.tsx';
import { EVIDENCE_ACCEPT } from '../../../../src/core/cycle/evidence-type.ts';
import { EvidenceFiles, uploadEvidence } from './EvidenceFiles.tsx';
import { RoadmapEventDialog, RoadmapEventHistory } from './RoadmapEventDialog.tsx';

type EventDialog = { kind: 'add' } | { kind: 'edit'; event: RoadmapEventDto } | { kind: 'history'; event: RoadmapEventDto } | { kind: 'files'; event: RoadmapEventDto };

const STATUS_CLASS: Record<OccurrenceStatus, string> = {
  overdue: 'badge-overdue',
  due_soon: 'badge-soon',
  done: 'badge-done',
  done_late: 'badge-done-late',
  planned: 'badge-planned',
};

interface Marking {
  event: RoadmapEventDto;
  occurrence: RoadmapEventDto['occurrences'][number];
}

export function RoadmapsPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const direction = isDirection(params.get('direction')) ? (params.get('direction') as RoadmapDto['direction']) : 'preparation';
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : new Date().getFullYear();
  const { data, error, loading, reload } = useFetch<RoadmapDto>(`/api/roadmaps/${direction}/${year}`);
  const [importMessage, setImportMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [marking, setMarking] = useState<Marking | null>(null);
  const [completenessTick, setCompletenessTick] = useState(0);
  const [eventDialog, setEventDialog] = useState<EventDialog | null>(null);
  const [removed, setRemoved] = useState<RoadmapEventDto | null>(null);
  if (!user) return null;
  const changed = (message: string | null) => {
    setEventDialog(null);
    setImportMessage(message);
    reload();
    setCompletenessTick((t) => t + 1);
  };
  const removeEvent = async (e: RoadmapEventDto) => {
    setActionError(null);
    try {
      await api.del(`/api/roadmaps/events/${e.id}`);
      setRemoved(e);
      changed(null);
    } catch (err) {
      setActionError(asApiError(err));
    }
  };
  const restoreEvent = async (id: string) => {
    setActionError(null);
    try {
      await api.post(`/api/roadmaps/events/${id}/restore`);
      setRemoved(null);
      changed('Мероприятие восстановлено.');
    } catch (err) {
      setActionError(asApiError(err));
    }
  };
  const editable = canEditCycle(user.role);

  const select = (next: { direction?: string; year?: number }) => {
    setImportMessage(null);
    setActionError(null);
    setParams({ direction: next.direction ?? direction, year: String(next.year ?? year) });
  };

  const importTemplate = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await api.post<{ inserted: number; existing: number; total: number }>(`/api/roadmaps/${direction}/${year}/import`);
      setImportMessage(
        r.inserted > 0
          ? `Импортировано мероприятий: ${r.inserted} из ${r.total}${r.existing ? ` (уже были: ${r.existing})` : ''}.`
          : `Все ${r.total} мероприятий шаблона уже импортированы — ничего не добавлено.`,
      );
      reload();
      setCompletenessTick((t) => t + 1);
    } catch (err) {
      setActionError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="roadmaps-title">
      <div className="page-head">
        <h1 id="roadmaps-title">Дорожные карты</h1>
        <div className="actions">
          <label className="inline-field">
            Год{' '}
            <input
              type="number"
              min={2000}
              max={2100}
              value={year}
              onChange={(e) => {
                const y = Number(e.target.value);
                if (Number.isInteger(y) && y >= 2000 && y <= 2100) select({ year: y });
              }}
            />
          </label>
          {editable && (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void importTemplate()}>
              Импортировать дорожную карту из шаблона
            </button>
          )}
          {editable && (
            <button type="button" className="btn" onClick={() => setEventDialog({ kind: 'add' })}>
              Добавить мероприятие
            </button>
          )}
          <a className="btn" href={`/api/roadmaps/${direction}/${year}.ics`} download>
            Скачать календарь (.ics)
          </a>
          {canViewCompleteness(user.role) && (
            <a className="btn" href={`/api/yearly-report/${year}.docx`} download>
              Ежегодный доклад за {year} год (DOCX)
            </a>
          )}
        </div>
      </div>
      <DirectionTabs value={direction} onChange={(d) => select({ direction: d })} label="Направления" />
      {importMessage && (
        <div className="alert alert-success" role="status">
          {importMessage}
        </div>
      )}
      {removed && (
        <div className="alert alert-info" role="status">
          Мероприятие «{removed.title.length > 80 ? `${removed.title.slice(0, 77)}…` : removed.title}» удалено.{' '}
          <button type="button" className="link-button" onClick={() => void restoreEvent(removed.id)}>
            Отменить удаление
          </button>
        </div>
      )}
      <ErrorBox error={actionError} />
      {error ? (
        <PageError error={error} />
      ) : loading && !data ? (
        <Loading />
      ) : data ? (
        <>
          <p className="muted">
            {data.directionLabel}, {data.year} год. Статусы — на {formatDate(data.today)}: просрочено {data.counts.overdue}, скоро срок{' '}
            {data.counts.due_soon}, выполнено {data.counts.done + data.counts.done_late}, запланировано {data.counts.planned}.
          </p>
          <RoadmapTable data={data} editable={editable} showFiles={canViewCompleteness(user.role)} onMark={setMarking} onEvent={(kind, event) => (kind === 'remove' ? void removeEvent(event) : setEventDialog({ kind, event }))} />
          {editable && data.removed.length > 0 && (
            <details className="small">
              <summary>Удалённые мероприятия ({data.removed.length})</summary>
              <ul>
                {data.removed.map((r) => (
                  <li key={r.id}>
                    {r.title} — удалено {formatDate(r.removedAt)}{' '}
                    <button type="button" className="link-button" onClick={() => void restoreEvent(r.id)}>
                      Восстановить
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      ) : null}
      {canViewCompleteness(user.role) && <CompletenessPanel direction={direction} year={year} tick={completenessTick} />}
      {eventDialog && (eventDialog.kind === 'add' || eventDialog.kind === 'edit') && (
        <RoadmapEventDialog
          direction={direction}
          year={year}
          {...(eventDialog.kind === 'edit' ? { event: eventDialog.event } : {})}
          onClose={() => setEventDialog(null)}
          onSaved={() => changed(eventDialog.kind === 'add' ? 'Мероприятие добавлено.' : 'Мероприятие изменено.')}
        />
      )}
      {eventDialog?.kind === 'history' && <RoadmapEventHistory eventId={eventDialog.event.id} onClose={() => setEventDialog(null)} />}
      {eventDialog?.kind === 'files' && (
        <Modal title="Файлы мероприятия" onClose={() => changed(null)}>
          <p className="muted">{eventDialog.event.title}</p>
          <EvidenceFiles url={`/api/roadmaps/events/${eventDialog.event.id}/evidence`} canUpload={editable} />
          <CloseButton onClose={() => changed(null)} />
        </Modal>
      )}
      {marking && (
        <MarkDoneDialog
          marking={marking}
          onClose={() => setMarking(null)}
          onDone={() => {
            setMarking(null);
            reload();
            setCompletenessTick((t) => t + 1);
          }}
        />
      )}
    </section>
  );
}

function RoadmapTable({ data, editable, showFiles, onMark, onEvent }: { data: RoadmapDto; editable: boolean; showFiles: boolean; onMark(m: Marking): void; onEvent(kind: 'edit' | 'history' | 'files' | 'remove', e: RoadmapEventDto): void }) {
  if (data.events.length === 0) {
    return (
      <div className="alert alert-info">
        Дорожная карта на {data.year} год не загружена.
        {data.templateAvailable && editable ? ' Нажмите «Импортировать дорожную карту из шаблона».' : ''}
      </div>
    );
  }
  let section: string | null = null;
  return (
    <div className="table-wrap">
      <table className="table roadmap-table">
        <caption className="visually-hidden">Мероприятия дорожной карты</caption>
        <thead>
          <tr>
            <th scope="col">№</th>
            <th scope="col">Мероприятие</th>
            <th scope="col">Срок по дорожной карте</th>
            <th scope="col">Ответственный исполнитель</th>
            <th scope="col">Ожидаемый результат</th>
            <th scope="col">Сроки {data.year} года</th>
          </tr>
        </thead>
        <tbody>
          {data.events.flatMap((e) => {
            const rows = [];
            if (e.section && e.section !== section) {
              section = e.section;
              rows.push(
                <tr key={`s-${e.id}`} className="section-row">
                  <th colSpan={6} scope="colgroup">
                    {e.section}
                  </th>
                </tr>,
              );
            }
            rows.push(
              <tr key={e.id}>
                <td>{e.number ?? ''}</td>
                <td>
                  {e.title}
                  {e.note && <div className="muted small">{e.note}</div>}
                  <div className="row-actions small">
                    {editable && (
                      <>
                        <button type="button" className="link-button" onClick={() => onEvent('edit', e)}>
                          Изменить<span className="visually-hidden">: {e.title}</span>
                        </button>
                        <button type="button" className="link-button" onClick={() => onEvent('remove', e)}>
                          Удалить<span className="visually-hidden">: {e.title}</span>
                        </button>
                      </>
                    )}
                    {e.edited && (
                      <button type="button" className="link-button" onClick={() => onEvent('history', e)}>
                        История правок
                      </button>
                    )}
                    {showFiles && (
                      <button type="button" className="link-button" onClick={() => onEvent('files', e)}>
                        Файлы ({e.files})<span className="visually-hidden">: {e.title}</span>
                      </button>
                    )}
                  </div>
                </td>
                <td>
                  {e.deadlineText}
                  {e.ruleNote && <div className="muted small">{e.ruleNote}</div>}
                </td>
                <td>{e.executor}</td>
                <td>{e.expectedDocument ?? <span className="muted">не указан</span>}</td>
                <td>
                  {e.unscheduled ? (
                    <span className="muted small">{e.unscheduled}</span>
                  ) : e.occurrences.length === 0 ? (
                    <span className="muted small">в {data.year} году сроков нет</span>
                  ) : (
                    <ul className="occurrence-list">
                      {e.occurrences.map((o) => (
                        <li key={o.due}>
                          <span className="nowrap">{o.label}</span>{' '}
                          <span className={`badge ${STATUS_CLASS[o.status]}`}>{o.statusLabel}</span>
                          <div className="muted small">
                            срок {formatDate(o.due)}
                            {o.completion && (
                              <>
                                {' '}· выполнено {formatDate(o.completion.doneAt)}
                                {o.completion.evidenceUrl && (
                                  <>
                                    {' '}·{' '}
                                    <a href={o.completion.evidenceUrl} target="_blank" rel="noreferrer">
                                      документ
                                    </a>
                                  </>
                                )}
                                {o.completion.note && <> · {o.completion.note}</>}
                              </>
                            )}
                          </div>
                          {editable && !o.completion && (
                            <button type="button" className="link-button" onClick={() => onMark({ event: e, occurrence: o })}>
                              Отметить выполнение
                              <span className="visually-hidden">: {e.title}, {o.label}</span>
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>,
            );
            return rows;
          })}
        </tbody>
      </table>
    </div>
  );
}

function MarkDoneDialog({ marking, onClose, onDone }: { marking: Marking; onClose(): void; onDone(): void }) {
  const [doneAt, setDoneAt] = useState(localToday());
  const [evidenceUrl, setEvidenceUrl] = useState('');
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const s = useSubmit(async () => {
    // The file first: a refused file leaves the deadline unmarked.
    const uploaded = file ? await uploadEvidence(`/api/roadmaps/events/${marking.event.id}/evidence`, file, { occurrenceDue: marking.occurrence.due }) : null;
    const noteText = note.trim() || (uploaded && !evidenceUrl.trim() ? `Файл: ${uploaded.fileName}` : '');
    await api.post(`/api/roadmaps/events/${marking.event.id}/completions`, {
      occurrenceDue: marking.occurrence.due,
      doneAt,
      ...(evidenceUrl.trim() ? { evidenceUrl: evidenceUrl.trim() } : {}),
      ...(noteText ? { note: noteText } : {}),
    });
    onDone();
  });
  const fields = s.fields;

  return (
    <Modal title="Отметить выполнение" onClose={onClose}>
      <p>
        {marking.event.title} — <strong>{marking.occurrence.label}</strong> (срок {formatDate(marking.occurrence.due)})
      </p>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        <Field label="Дата выполнения" error={fields.doneAt}>
          <input type="date" value={doneAt} onChange={(e) => setDoneAt(e.target.value)} required />
        </Field>
        <Field label="Ссылка на документ (подтверждение)" error={fields.evidenceUrl} hint="Например, приказ или справка на сайте. Можно вместо ссылки загрузить файл.">
          <input type="url" value={evidenceUrl} onChange={(e) => setEvidenceUrl(e.target.value)} placeholder="https://" />
        </Field>
        <Field label="Файл документа" error={fields.file} hint="PDF, DOCX, XLSX, ODT, JPEG или PNG до 10 МБ.">
          <input type="file" accept={EVIDENCE_ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
        <Field label="Примечание" error={fields.note}>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} />
        </Field>
        {s.error && (!Object.keys(fields).length || fields.file) && <ErrorBox error={s.error} />}
        <DialogButtons busy={s.busy} onClose={onClose} />
      </form>
    </Modal>
  );
}
