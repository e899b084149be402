/** Add or edit a road-map event by hand: wording, deadline as people write it (parsed on the server, the message says
 * why not), executor, expected document. The previous wording stays in the event's history. */
import { useState } from 'react';
import type { RoadmapEventDto } from '../../../../src/services/cycle/roadmaps.ts';
import type { RoadmapEventRevisionDto } from '../../../../src/services/cycle/roadmap-edit.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { api } from '../../api.ts';
import { CloseButton, DialogButtons } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { useSubmit } from '../../useSubmit.ts';

export function RoadmapEventDialog({ direction, year, event, onClose, onSaved }: { direction: string; year: number; event?: RoadmapEventDto; onClose(): void; onSaved(): void }) {
  const [title, setTitle] = useState(event?.title ?? '');
  const [deadlineText, setDeadlineText] = useState(event?.deadlineText ?? '');
  const [executor, setExecutor] = useState(event?.executor ?? '');
  const [expectedDocument, setExpectedDocument] = useState(event?.expectedDocument ?? '');
  const [section, setSection] = useState(event?.section ?? '');
  const s = useSubmit(async () => {
    const body = { title, deadlineText, executor, expectedDocument: expectedDocument.trim() || null, section: section.trim() || null };
    if (event) await api.patch(`/api/roadmaps/events/${event.id}`, body);
    else await api.post(`/api/roadmaps/${direction}/${year}/events`, body);
    onSaved();
  });
  const fields = s.fields;
  return (
    <Modal title={event ? 'Изменить мероприятие' : 'Добавить мероприятие'} onClose={onClose}>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        <Field label="Мероприятие" error={fields.title}>
          <textarea value={title} onChange={(e) => setTitle(e.target.value)} rows={3} required />
        </Field>
        <Field label="Срок" error={fields.deadlineText} hint="Как в дорожной карте: «ежегодно январь, май», «ежеквартально до 15 числа месяца, следующего за отчетным периодом», «сентябрь-октябрь», «до 30.06.2023».">
          <input value={deadlineText} onChange={(e) => setDeadlineText(e.target.value)} required />
        </Field>
        <Field label="Ответственный исполнитель" error={fields.executor}>
          <input value={executor} onChange={(e) => setExecutor(e.target.value)} required />
        </Field>
        <Field label="Ожидаемый результат (документ)" error={fields.expectedDocument}>
          <input value={expectedDocument} onChange={(e) => setExpectedDocument(e.target.value)} placeholder="аналитическая справка, приказ, протокол…" />
        </Field>
        <Field label="Раздел" error={fields.section}>
          <input value={section} onChange={(e) => setSection(e.target.value)} />
        </Field>
        {s.error && !Object.keys(fields).length && <ErrorBox error={s.error} />}
        <DialogButtons busy={s.busy} onClose={onClose} />
      </form>
    </Modal>
  );
}

const ACTION_LABELS: Record<RoadmapEventRevisionDto['action'], string> = { create: 'добавлено', update: 'изменено', remove: 'удалено', restore: 'восстановлено' };

export function RoadmapEventHistory({ eventId, onClose }: { eventId: string; onClose(): void }) {
  const { data, error, loading } = useFetch<{ revisions: RoadmapEventRevisionDto[] }>(`/api/roadmaps/events/${eventId}/history`);
  return (
    <Modal title="История мероприятия" onClose={onClose}>
      {error ? (
        <ErrorBox error={error} />
      ) : loading || !data ? (
        <Loading />
      ) : data.revisions.length === 0 ? (
        <p className="muted">Мероприятие импортировано из шаблона и не изменялось.</p>
      ) : (
        <ol className="event-list">
          {data.revisions.map((r, i) => (
            <li key={i}>
              <strong>{ACTION_LABELS[r.action]}</strong> — {formatDate(r.at)}, {r.actorLogin ?? 'система'}
              {r.action === 'update' && r.before && r.after && (
                <ul className="small">
                  {(Object.keys(r.after) as (keyof typeof r.after)[])
                    .filter((k) => r.before![k] !== r.after![k])
                    .map((k) => (
                      <li key={k}>
                        было: «{r.before![k] ?? '—'}» → стало: «{r.after![k] ?? '—'}»
                      </li>
                    ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <CloseButton onClose={onClose} />
    </Modal>
  );
}
