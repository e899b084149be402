/** «Дорожные карты»: per direction and year, the road-map events with this year's deadlines and their statuses
 * (derived by the server from today), marking a deadline done with evidence, import from the seed-001 template,
 * iCalendar download, and the cycle-completeness panel. */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { RoadmapDto, RoadmapEventDto } from '../../../../src/services/cycle/roadmaps.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { type ApiError, api, asApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { CloseButton } from '../../components/DialogButtons.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { canEditCycle, canViewCompleteness } from './access.ts';
import { CompletenessPanel } from './CompletenessPanel.tsx';
import { DirectionTabs, isDirection } from './DirectionTabs.tsx';
import { EvidenceFiles } from './EvidenceFiles.tsx';
import { MarkDoneDialog } from './MarkDoneDialog.tsx';
import { RoadmapEventDialog, RoadmapEventHistory } from './RoadmapEventDialog.tsx';
import { RoadmapTable, type Marking } from './RoadmapTable.tsx';

type EventDialog = { kind: 'add' } | { kind: 'edit'; event: RoadmapEventDto } | { kind: 'history'; event: RoadmapEventDto } | { kind: 'files'; event: RoadmapEventDto };

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
      <DirectionTabs value={direction} onChange={(d) => select({ direction: d })} label="Направления">
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
      </DirectionTabs>
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
