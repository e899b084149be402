/** The dialogs of «Рекомендации и решения»: issue or edit a recommendation, change its status (with the report and
 * evidence), its history with the evidence files, and the evaluation of a decision's effect. */
import { useState } from 'react';
import { ADDRESSEE_KINDS, ADDRESSEE_LABELS, RECOMMENDATION_STATUS_LABELS } from '../../../../src/core/cycle/api-schema.ts';
import { EVIDENCE_ACCEPT } from '../../../../src/core/cycle/evidence-type.ts';
import type { DirectionCode } from '../../../../src/core/cycle/roadmap-schema.ts';
import { formatDate } from '../../../../src/core/format.ts';
import type { DecisionDto, RecommendationDto, RecommendationEventDto } from '../../../../src/services/cycle/recommendations.ts';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { CloseButton, DialogButtons } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import type { Organisation } from '../../types.ts';
import { useFetch } from '../../useFetch.ts';
import { useSubmit } from '../../useSubmit.ts';
import { canEditCycle, localToday } from './access.ts';
import { EvidenceFiles, uploadEvidence } from './EvidenceFiles.tsx';

type Rec = RecommendationDto;

export function RecommendationDialog({ direction, rec, onClose, onSaved }: { direction: DirectionCode; rec?: Rec; onClose(): void; onSaved(n: number): void }) {
  const orgs = useFetch<{ items: Organisation[] }>('/api/organisations');
  const [addresseeKind, setAddresseeKind] = useState<Rec['addresseeKind']>(rec?.addresseeKind ?? 'head');
  const [orgIds, setOrgIds] = useState<string[]>(rec?.organisationId ? [rec.organisationId] : []);
  const [text, setText] = useState(rec?.text ?? '');
  const [dueDate, setDueDate] = useState(rec?.dueDate ?? '');
  const s = useSubmit(async () => {
    if (rec) {
      await api.patch(`/api/recommendations/${rec.id}`, { addresseeKind, organisationId: orgIds[0] ?? null, text, dueDate: dueDate || null });
      onSaved(1);
    } else {
      const r = await api.post<{ items: Rec[] }>('/api/recommendations', { direction, addresseeKind, organisationIds: orgIds, text, ...(dueDate ? { dueDate } : {}) });
      onSaved(r.items.length);
    }
  });
  return (
    <Modal title={rec ? 'Изменить рекомендацию' : 'Выдать адресную рекомендацию'} onClose={onClose}>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        <Field label="Адресат" error={s.fields.addresseeKind}>
          <select value={addresseeKind} onChange={(e) => setAddresseeKind(e.target.value as Rec['addresseeKind'])}>
            {ADDRESSEE_KINDS.map((k) => (
              <option key={k} value={k}>
                {ADDRESSEE_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={rec ? 'Организация' : 'Организации'}
          error={s.fields.organisationIds ?? s.fields.organisationId}
          hint={rec ? 'Пусто — рекомендация муниципального уровня.' : 'Для каждой выбранной организации создаётся отдельная рекомендация; без выбора — муниципального уровня. Ctrl — выбрать несколько.'}
        >
          <select
            multiple={!rec}
            size={rec ? undefined : 8}
            value={rec ? (orgIds[0] ?? '') : orgIds}
            onChange={(e) => setOrgIds(rec ? (e.target.value ? [e.target.value] : []) : [...e.target.selectedOptions].map((o) => o.value))}
          >
            {rec && <option value="">— муниципальный уровень —</option>}
            {(orgs.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.shortName} — {o.fullName}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Текст рекомендации" error={s.fields.text}>
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={4} required />
        </Field>
        <Field label="Срок выполнения" error={s.fields.dueDate}>
          <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        </Field>
        {s.error && <ErrorBox error={s.error} />}
        <DialogButtons busy={s.busy} onClose={onClose} />
      </form>
    </Modal>
  );
}

export function StatusDialog({ rec, to, onClose, onSaved }: { rec: Rec; to: Rec['status']; onClose(): void; onSaved(): void }) {
  const [reportText, setReportText] = useState('');
  const [evidenceUrl, setEvidenceUrl] = useState('');
  const [comment, setComment] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const s = useSubmit(async () => {
    // The file first: a refused file (type, size) leaves the status unchanged.
    if (file) await uploadEvidence(`/api/recommendations/${rec.id}/evidence`, file);
    await api.post(`/api/recommendations/${rec.id}/status`, {
      status: to,
      ...(reportText.trim() ? { reportText: reportText.trim() } : {}),
      ...(evidenceUrl.trim() ? { evidenceUrl: evidenceUrl.trim() } : {}),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    });
    onSaved();
  });
  const title = to === 'done' ? 'Отчёт о выполнении рекомендации' : to === 'verified' ? 'Подтвердить выполнение' : to === 'in_progress' && rec.status === 'done' ? 'Вернуть на доработку' : 'Взять в работу';
  return (
    <Modal title={title} onClose={onClose}>
      <p className="muted">{rec.text}</p>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        {to === 'done' && (
          <>
            <Field label="Что сделано" error={s.fields.reportText}>
              <textarea value={reportText} onChange={(e) => setReportText(e.target.value)} rows={4} required />
            </Field>
            <Field label="Ссылка на подтверждающий документ" error={s.fields.evidenceUrl} hint="Приказ, план, страница на сайте организации.">
              <input type="url" value={evidenceUrl} onChange={(e) => setEvidenceUrl(e.target.value)} placeholder="https://" />
            </Field>
            <Field label="Файл-подтверждение" error={s.fields.file} hint="PDF, DOCX, XLSX, ODT, JPEG или PNG до 10 МБ; тип проверяется по содержимому.">
              <input type="file" accept={EVIDENCE_ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </Field>
          </>
        )}
        {to !== 'done' && (
          <Field label="Комментарий" error={s.fields.comment}>
            <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} />
          </Field>
        )}
        {s.error && (!Object.keys(s.fields).length || s.fields.file) && <ErrorBox error={s.error} />}
        <DialogButtons busy={s.busy} onClose={onClose} label="Подтвердить" />
      </form>
    </Modal>
  );
}

export function HistoryDialog({ rec, onClose }: { rec: Rec; onClose(): void }) {
  const { user } = useAuth();
  const { data, error, loading } = useFetch<Rec & { events: RecommendationEventDto[] }>(`/api/recommendations/${rec.id}`);
  const canUpload = Boolean(user && (user.role === 'org_rep' || canEditCycle(user.role)) && rec.status !== 'verified');
  return (
    <Modal title="История рекомендации" onClose={onClose}>
      <p className="muted">{rec.text}</p>
      {error ? (
        <ErrorBox error={error} />
      ) : loading || !data ? (
        <Loading />
      ) : (
        <ol className="event-list">
          {data.events.map((e, i) => (
            <li key={i}>
              <strong>{RECOMMENDATION_STATUS_LABELS[e.toStatus]}</strong> — {formatDate(e.at)}, {e.actorLogin ?? 'система'}
              {e.reportText && <div>Отчёт: {e.reportText}</div>}
              {e.evidenceUrl && (
                <div>
                  <a href={e.evidenceUrl} target="_blank" rel="noreferrer">
                    Подтверждающий документ
                  </a>
                </div>
              )}
              {e.comment && <div className="muted">Комментарий: {e.comment}</div>}
            </li>
          ))}
        </ol>
      )}
      {rec.basis && <p className="muted small">Основание: {rec.basis}{rec.campaignTitle ? ` (мониторинг «${rec.campaignTitle}»)` : ''}</p>}
      <EvidenceFiles url={`/api/recommendations/${rec.id}/evidence`} canUpload={canUpload} />
      <CloseButton onClose={onClose} />
    </Modal>
  );
}

export function EffectDialog({ decision, onClose, onSaved }: { decision: DecisionDto; onClose(): void; onSaved(): void }) {
  const [at, setAt] = useState(decision.effectEvaluatedAt ?? localToday());
  const [note, setNote] = useState(decision.effectNote ?? '');
  const s = useSubmit(async () => {
    await api.patch(`/api/decisions/${decision.id}`, { effectEvaluatedAt: at || null, effectNote: note.trim() || null });
    onSaved();
  });
  return (
    <Modal title="Оценка эффективности решения" onClose={onClose}>
      <p className="muted">{decision.title}</p>
      <form className="form" onSubmit={s.onSubmit} noValidate>
        <Field label="Дата оценки" error={s.fields.effectEvaluatedAt}>
          <input type="date" value={at} onChange={(e) => setAt(e.target.value)} />
        </Field>
        <Field label="Вывод (что изменилось в показателях)" error={s.fields.effectNote}>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={4} />
        </Field>
        {s.error && !Object.keys(s.fields).length && <ErrorBox error={s.error} />}
        <DialogButtons busy={s.busy} onClose={onClose} />
      </form>
    </Modal>
  );
}
