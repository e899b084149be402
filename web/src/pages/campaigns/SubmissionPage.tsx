/** An organisation's form in a campaign: typed fields generated from the methodology's inputs (units, hints,
 * required marks, evidence links), a debounced autosave («Черновик сохранён 12:04»), the findings of the rules,
 * submit (with a comment when there are warnings), the analyst's accept / return with a comment, and the value
 * history of each field. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { DimensionalTable, SubmissionView } from '../../../../src/core/collection/schema.ts';
import { SUBMISSION_STATUS_LABELS } from '../../../../src/core/collection/schema.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { ApiError, api, asApiError, request } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Field } from '../../components/Field.tsx';
import { ListedField } from '../../components/FormFields.tsx';
import { ErrorBox, Loading, PageError } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { usePageTitle } from '../../pageTitle.ts';
import { canReviewSubmissions } from './access.ts';
import { type FormField, type Value, SOURCE_LABELS, fromText, hintOf, toText } from './submissionValues.ts';
import { ValueHistoryDialog } from './ValueHistoryDialog.tsx';
import { type DimensionalCell, DimensionTables, cellKey } from './DimensionTables.tsx';

type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'error'; message: string };

export const AUTOSAVE_DELAY_MS = 800;

export function SubmissionPage() {
  const { id = '', orgId = '' } = useParams();
  const { user } = useAuth();
  const base = `/api/campaigns/${encodeURIComponent(id)}/organisations/${encodeURIComponent(orgId)}`;
  const [view, setView] = useState<SubmissionView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [evidence, setEvidence] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [comment, setComment] = useState('');
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [historyOf, setHistoryOf] = useState<FormField | null>(null);
  const [rowHistory, setRowHistory] = useState<{ table: DimensionalTable; dimensions: Record<string, string>; label: string } | null>(null);
  const pending = useRef<Record<string, { value: Value; evidenceUrl: string | null }>>({});
  // Per-dimension cells (issue 22): pending saves and those typed as no value, by cellKey; the server's errors.
  const pendingCells = useRef<Record<string, DimensionalCell>>({});
  const invalidCells = useRef(new Set<string>());
  const [cellErrors, setCellErrors] = useState<Record<string, string>>({});
  const [tablesVersion, setTablesVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const lastSaveFailed = useRef(false);
  // After submit / accept / return the button may be gone: focus goes to the new status, announced (issue 26).
  const statusRef = useRef<HTMLElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusStatus, setFocusStatus] = useState(0);
  useEffect(() => {
    if (focusStatus) statusRef.current?.focus();
  }, [focusStatus]);
  usePageTitle(view ? `${view.organisation.shortName}: форма мониторинга` : null, view?.campaign.title);

  const accept = useCallback((v: SubmissionView, resetTexts: boolean) => {
    setView(v);
    if (resetTexts) {
      setTablesVersion((n) => n + 1);
      setTexts(Object.fromEntries(v.fields.map((f) => [f.name, toText(f, v.values[f.name]?.value ?? null)])));
      setEvidence(Object.fromEntries(v.fields.map((f) => [f.name, v.values[f.name]?.evidenceUrl ?? ''])));
    }
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<SubmissionView>(base, { signal: ctrl.signal })
      .then((v) => accept(v, true))
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setLoadError(asApiError(err, 'Сервер недоступен.'));
      });
    return () => ctrl.abort();
  }, [base, accept]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  /** Sends what is pending; saves run one after another. */
  const flush = useCallback((): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    chain.current = chain.current.then(async () => {
      const batch = pending.current;
      pending.current = {};
      const cells = Object.values(pendingCells.current);
      pendingCells.current = {};
      if (Object.keys(batch).length === 0 && cells.length === 0) return;
      setSave({ state: 'saving' });
      try {
        const v = await request<SubmissionView>('PUT', `${base}/values`, { values: batch, ...(cells.length ? { dimensional: cells } : {}), source: 'form' });
        if (cells.length) setCellErrors((prev) => Object.fromEntries(Object.entries(prev).filter(([k]) => !cells.some((c) => cellKey(c.input, c.dimensions) === k))));
        accept(v, false);
        lastSaveFailed.current = false;
        setSave({ state: 'saved', at: new Date() });
      } catch (err) {
        const e = asApiError(err, 'Сервер недоступен. Изменения не сохранены.');
        const fe: Record<string, string> = {};
        const ce: Record<string, string> = {};
        for (const f of e.fields) {
          const [head, name] = String(f.path).split('.');
          const cell = head === 'dimensional' ? cells[Number(name)] : undefined;
          if (cell) ce[cellKey(cell.input, cell.dimensions)] = f.message;
          else if (name) fe[name] = f.message;
        }
        setFieldErrors((prev) => ({ ...prev, ...fe }));
        setCellErrors((prev) => ({ ...prev, ...ce }));
        lastSaveFailed.current = true;
        setSave({ state: 'error', message: e.message });
      }
    });
    return chain.current;
  }, [base, accept]);

  const schedule = (f: FormField, text: string, url: string) => {
    const parsed = fromText(f, text);
    setFieldErrors((prev) => {
      const next = { ...prev };
      if (parsed.ok) delete next[f.name];
      else next[f.name] = parsed.message;
      return next;
    });
    if (!parsed.ok) {
      delete pending.current[f.name];
      return;
    }
    pending.current[f.name] = { value: parsed.value, evidenceUrl: f.evidence && parsed.value === true && url.trim() ? url.trim() : null };
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  };

  const onCell = (key: string, cell: DimensionalCell | null) => {
    if (cell) {
      invalidCells.current.delete(key);
      pendingCells.current[key] = cell;
    } else {
      invalidCells.current.add(key);
      delete pendingCells.current[key];
      return;
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  };

  const onText = (f: FormField, text: string) => {
    setTexts((t) => ({ ...t, [f.name]: text }));
    schedule(f, text, evidence[f.name] ?? '');
  };
  const onEvidence = (f: FormField, url: string) => {
    setEvidence((u) => ({ ...u, [f.name]: url }));
    schedule(f, texts[f.name] ?? '', url);
  };

  const act = async (action: 'submit' | 'accept' | 'return') => {
    setActionError(null);
    if (action === 'submit' && (Object.keys(fieldErrors).length > 0 || invalidCells.current.size > 0)) {
      setActionError(new ApiError(0, 'FIELD_ERRORS', 'Исправьте поля с ошибками: введённые в них значения не сохранены'));
      return;
    }
    setBusy(true);
    try {
      await flush();
      if (lastSaveFailed.current) {
        setActionError(new ApiError(0, 'NOT_SAVED', 'Изменения не сохранены — исправьте их и повторите'));
        return;
      }
      const v = await api.post<SubmissionView>(`${base}/${action}`, comment.trim() ? { comment: comment.trim() } : {});
      accept(v, true);
      setComment('');
      setAnnouncement(`Статус формы: ${SUBMISSION_STATUS_LABELS[v.status]}`);
      setFocusStatus((n) => n + 1);
    } catch (err) {
      setActionError(asApiError(err, 'Сервер недоступен.'));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <PageError error={loadError} />;
  if (!view || !user) return <Loading />;
  const reviewer = canReviewSubmissions(user.role);
  const errors = view.findings.filter((f) => f.severity === 'error');
  const warnings = view.findings.filter((f) => f.severity === 'warning');
  const canSubmit = view.editable && (user.role === 'org_rep' || reviewer);
  const canReview = reviewer && view.campaign.status === 'open' && (view.status === 'submitted' || view.status === 'accepted');

  return (
    <section aria-labelledby="submission-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / <Link to={`/campaigns/${view.campaign.id}`}>{view.campaign.title}</Link> / {view.organisation.shortName}
      </p>
      <div className="page-head">
        <h1 id="submission-title">{view.organisation.shortName}: форма мониторинга</h1>
        <p className="autosave" role="status" aria-live="polite">
          {save.state === 'saving' && 'Сохранение…'}
          {save.state === 'saved' && `Черновик сохранён ${String(save.at.getHours()).padStart(2, '0')}:${String(save.at.getMinutes()).padStart(2, '0')}`}
          {save.state === 'error' && <span className="overdue-text">Не сохранено: {save.message}</span>}
        </p>
      </div>
      <dl className="details card">
        <dt>Организация</dt>
        <dd>{view.organisation.fullName}</dd>
        <dt>Период</dt>
        <dd>{view.campaign.periodLabel}</dd>
        <dt>Срок сдачи</dt>
        <dd>
          {formatDate(view.campaign.dueOn)}
          {view.overdue && <span className="overdue-text"> · срок прошёл</span>}
        </dd>
        <dt>Статус формы</dt>
        <dd data-testid="submission-status" ref={statusRef} tabIndex={-1}>
          {SUBMISSION_STATUS_LABELS[view.status]}
        </dd>
        <dt>Заполнено</dt>
        <dd>
          {view.completeness.percent}% обязательных полей ({view.completeness.filled} из {view.completeness.required})
        </dd>
        {view.previousCampaign && (
          <>
            <dt>Прошлый мониторинг</dt>
            <dd>
              <Link to={`/campaigns/${view.previousCampaign.id}`}>{view.previousCampaign.title}</Link> ({view.previousCampaign.period})
            </dd>
          </>
        )}
      </dl>

      {view.status === 'returned' && view.reviewerComment && (
        <div className="alert alert-info" role="note">
          Форма возвращена на доработку: {view.reviewerComment}
        </div>
      )}
      {!view.editable && view.campaign.status !== 'open' && (
        <div className="alert alert-info">Сбор данных не идёт — форма доступна только для чтения.</div>
      )}

      <form className="card form" onSubmit={(e) => e.preventDefault()} noValidate>
        {view.fields.map((f) => {
          const listed = view.listed[f.name];
          if (listed) return <ListedField key={f.name} title={f.title} listed={listed} />;
          const label = `${f.title}${f.required ? ' *' : ''}`;
          const current = view.values[f.name];
          const control =
            f.type === 'boolean' ? (
              <select disabled={!view.editable} value={texts[f.name] ?? ''} onChange={(e) => onText(f, e.target.value)}>
                <option value="">— не указано —</option>
                <option value="true">да</option>
                <option value="false">нет</option>
              </select>
            ) : f.type === 'enum' ? (
              <select disabled={!view.editable} value={texts[f.name] ?? ''} onChange={(e) => onText(f, e.target.value)}>
                <option value="">— не указано —</option>
                {(f.values ?? []).map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : (
              <input
                inputMode={f.type === 'integer' ? 'numeric' : f.type === 'date' ? 'numeric' : 'decimal'}
                disabled={!view.editable}
                value={texts[f.name] ?? ''}
                onChange={(e) => onText(f, e.target.value)}
              />
            );
          return (
            <div key={f.name} className="form-field-row">
              <Field label={label} error={fieldErrors[f.name]} hint={hintOf(f)}>
                {control}
              </Field>
              {f.evidence && texts[f.name] === 'true' && (
                <Field label={`Ссылка на подтверждение${f.evidence === 'required' ? ' *' : ''}`} hint="Страница сайта ОО или документ (https://…)">
                  <input type="url" disabled={!view.editable} value={evidence[f.name] ?? ''} onChange={(e) => onEvidence(f, e.target.value)} />
                </Field>
              )}
              <div className="field-meta small muted">
                {current ? `Изменено ${formatDateTime(current.at)}, ${current.actorLogin ?? 'система'} (${SOURCE_LABELS[current.source]})` : 'Не заполнено'}
                {' · '}
                <button type="button" className="link-button" onClick={() => setHistoryOf(f)} aria-label={`История: ${f.title}`}>
                  История
                </button>
              </div>
            </div>
          );
        })}
      </form>

      <DimensionTables
        key={tablesVersion}
        tables={view.dimensional}
        editable={view.editable}
        serverErrors={cellErrors}
        onCell={onCell}
        onHistory={(table, row) => setRowHistory({ table, dimensions: row.dimensions, label: row.label })}
      />

      {(errors.length > 0 || warnings.length > 0) && (
        <div className="card findings">
          <h2>Проверка</h2>
          <ul>
            {errors.map((f) => (
              <li key={f.id} className="finding-error">
                Ошибка: {f.message}
              </li>
            ))}
            {warnings.map((f) => (
              <li key={f.id} className="finding-warning">
                Предупреждение: {f.message}
              </li>
            ))}
          </ul>
          {errors.length > 0 && <p className="muted small">Форму нельзя отправить, пока есть ошибки.</p>}
          {errors.length === 0 && warnings.length > 0 && <p className="muted small">При отправке поясните предупреждения в комментарии.</p>}
        </div>
      )}

      <p className="visually-hidden" role="status" aria-live="polite" data-testid="submission-announcement">
        {announcement}
      </p>
      <ErrorBox error={actionError} />
      {actionError && actionError.fields.length > 0 && (
        <ul className="field-error">
          {actionError.fields.map((f, i) => (
            <li key={i}>{f.message}</li>
          ))}
        </ul>
      )}

      {(canSubmit || canReview) && (
        <div className="card form">
          <Field label={canReview ? 'Комментарий проверяющего' : 'Комментарий к отправке'} hint={canReview ? 'Обязателен при возврате на доработку' : 'Обязателен, если есть предупреждения'}>
            <textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
          </Field>
          <div className="actions">
            {canSubmit && (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('submit')}>
                Отправить на проверку
              </button>
            )}
            {canReview && view.status === 'submitted' && (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('accept')}>
                Принять
              </button>
            )}
            {canReview && (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act('return')}>
                Вернуть на доработку
              </button>
            )}
          </div>
        </div>
      )}

      {view.submitterComment && <p className="muted">Комментарий организации: {view.submitterComment}</p>}

      {view.events.length > 0 && (
        <>
          <h2>Ход проверки</h2>
          <ul className="event-list">
            {view.events.map((e, i) => (
              <li key={i}>
                {formatDateTime(e.at)} — {SUBMISSION_STATUS_LABELS[e.toStatus]} ({e.actorLogin ?? 'система'}){e.comment ? `: ${e.comment}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}

      {rowHistory && (
        <ValueHistoryDialog
          url={`${base}/history?dimensions=${encodeURIComponent(JSON.stringify(rowHistory.dimensions))}`}
          title={`История значений: ${rowHistory.table.title}, ${rowHistory.label}`}
          inputTitles={Object.fromEntries([...rowHistory.table.fields, ...rowHistory.table.comparison].map((f) => [f.name, rowHistory.table.columns[f.name] ?? f.title]))}
          onClose={() => setRowHistory(null)}
        />
      )}
      {historyOf && <ValueHistoryDialog url={`${base}/history?input=${encodeURIComponent(historyOf.name)}`} field={historyOf} onClose={() => setHistoryOf(null)} />}
    </section>
  );
}
