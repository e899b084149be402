/** The road-map table: events grouped by section, with this year's deadlines, their statuses and the row actions
 * (edit, remove, history, files, mark a deadline done). */
import type { OccurrenceStatus } from '../../../../src/core/calendar/index.ts';
import type { RoadmapDto, RoadmapEventDto } from '../../../../src/services/cycle/roadmaps.ts';
import { formatDate } from '../../../../src/core/format.ts';

const STATUS_CLASS: Record<OccurrenceStatus, string> = {
  overdue: 'badge-overdue',
  due_soon: 'badge-soon',
  done: 'badge-done',
  done_late: 'badge-done-late',
  planned: 'badge-planned',
};

/** A deadline being marked done. */
export interface Marking {
  event: RoadmapEventDto;
  occurrence: RoadmapEventDto['occurrences'][number];
}

export function RoadmapTable({ data, editable, showFiles, onMark, onEvent }: { data: RoadmapDto; editable: boolean; showFiles: boolean; onMark(m: Marking): void; onEvent(kind: 'edit' | 'history' | 'files' | 'remove', e: RoadmapEventDto): void }) {
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
