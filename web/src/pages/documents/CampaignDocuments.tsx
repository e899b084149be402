/** «Документы» of a campaign (issue 18): the issued documents with their numbers and downloads, «Подготовить
 * информационное письмо» — the default texts computed from the campaign, edited in a dialog, issued with the next
 * register number (the server refuses, naming them, while requisites are missing) — and «Подготовить приказ по итогам
 * мониторинга» with its addressed recommendations as the appendix; the справка and the protocol of the monitoring issued
 * on the department's templates. */
import { useState } from 'react';
import { formatDate } from '../../../../src/core/format.ts';
import type { ApiError} from '../../api.ts';
import { api, asApiError } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';
import { MissingRequisites, OrderDialog, type OrderDraft } from './OrderDialog.tsx';
import { DocumentsTable, type IssuedDocument } from './RegisterSection.tsx';

interface LetterDraft {
  addressee: string;
  title: string;
  paragraphs: string[];
  missingRequisites: { field: string; label: string }[];
}

type Notified = NonNullable<IssuedDocument['notified']>;

function sumNotified(docs: readonly IssuedDocument[]): Notified {
  const out: Notified = { organisations: 0, users: 0, emails: 0, withoutUsers: [] };
  for (const d of docs) {
    if (!d.notified) continue;
    out.organisations += d.notified.organisations;
    out.users += d.notified.users;
    out.emails += d.notified.emails;
    out.withoutUsers.push(...d.notified.withoutUsers);
  }
  return out;
}

/** «Уведомлены организации: 3 (пользователей: 4, на почту с вложением: 2). Некому сообщить: ДОУ №5». */
function notifiedText(n: Notified): string {
  const main = `Уведомлены организации: ${n.organisations} (пользователей: ${n.users}, на почту с вложением: ${n.emails}).`;
  return n.withoutUsers.length ? `${main} Нет представителей в системе — письмо не доставлено: ${n.withoutUsers.join(', ')}.` : main;
}

export function CampaignDocuments({ campaignId }: { campaignId: string }) {
  const { data, error, reload } = useFetch<{ items: IssuedDocument[]; pdfUnavailable: string | null }>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents`);
  const [draft, setDraft] = useState<LetterDraft | null>(null);
  const [body, setBody] = useState('');
  const [draftError, setDraftError] = useState<ApiError | null>(null);
  const [issueError, setIssueError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState<IssuedDocument | null>(null);
  const [busy, setBusy] = useState(false);
  const [letters, setLetters] = useState<{ organisations: { id: string; name: string; recommendations: number }[]; municipalLevel: number; missingRequisites: { label: string }[] } | null>(null);
  const [lettersDone, setLettersDone] = useState<IssuedDocument[] | null>(null);

  const prepareLetters = async () => {
    setDraftError(null);
    setLettersDone(null);
    try {
      setLetters(await api.get(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/recommendation-letters`));
    } catch (err) {
      setDraftError(asApiError(err));
    }
  };

  const issueLetters = async () => {
    setBusy(true);
    setIssueError(null);
    try {
      const r = await api.post<{ items: IssuedDocument[] }>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/recommendation-letters`, {});
      setLettersDone(r.items);
      setLetters(null);
      reload();
    } catch (err) {
      setIssueError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const [orderDraft, setOrderDraft] = useState<(OrderDraft & { recommendations: number }) | null>(null);

  /** The справка or the protocol, generated from the monitoring's data onto the department's template. */
  const issueReport = async (kind: 'reference' | 'protocol') => {
    setBusy(true);
    setDraftError(null);
    setIssued(null);
    try {
      setIssued(await api.post<IssuedDocument>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/${kind}`, {}));
      reload();
    } catch (err) {
      setDraftError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const prepareOrder = async () => {
    setDraftError(null);
    setIssued(null);
    try {
      setOrderDraft(await api.get<OrderDraft & { recommendations: number }>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/results-order`));
    } catch (err) {
      setDraftError(asApiError(err));
    }
  };

  const prepare = async () => {
    setDraftError(null);
    setIssueError(null);
    setIssued(null);
    try {
      const d = await api.get<LetterDraft>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/letter`);
      setDraft(d);
      setBody(d.paragraphs.join('\n\n'));
    } catch (err) {
      setDraftError(asApiError(err));
    }
  };

  const issue = async () => {
    if (!draft) return;
    setBusy(true);
    setIssueError(null);
    try {
      const paragraphs = body.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);
      const doc = await api.post<IssuedDocument>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/letter`, { addressee: draft.addressee, title: draft.title, paragraphs });
      setIssued(doc);
      setDraft(null);
      reload();
    } catch (err) {
      setIssueError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const fields = issueError?.fieldMap() ?? {};
  return (
    <>
      <h2>Документы</h2>
      <ErrorBox error={error ?? draftError} />
      {issued && (
        <p className="alert alert-success" role="status">
          Выпущен документ «{issued.kindLabel}» № {issued.number} от {formatDate(issued.date)}. <a href={issued.url} download>Скачать DOCX</a>
          {issued.notified && <> {notifiedText(issued.notified)}</>}
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted">Документов по мониторингу ещё нет.</p>}
      {data && data.items.length > 0 && (
        <DocumentsTable items={data.items} caption="Выпущенные документы мониторинга" pdfUnavailable={data.pdfUnavailable} />
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={() => void prepare()}>
          Подготовить информационное письмо
        </button>
        <button type="button" className="btn" onClick={() => void prepareOrder()}>
          Подготовить приказ по итогам мониторинга
        </button>
        <button type="button" className="btn" onClick={() => void prepareLetters()}>
          Письма руководителям с их рекомендациями
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void issueReport('reference')}>
          Выпустить справку на бланке
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void issueReport('protocol')}>
          Выпустить протокол на бланке
        </button>
      </div>
      {lettersDone && (
        <p className="alert alert-success" role="status">
          Выпущено писем с адресными рекомендациями: {lettersDone.length} (№ {lettersDone.map((d) => d.number).join(', ')}).{' '}
          {notifiedText(sumNotified(lettersDone))}
        </p>
      )}

      {letters && (
        <Modal title="Письма руководителям с адресными рекомендациями" onClose={() => setLetters(null)}>
          <MissingRequisites missing={letters.missingRequisites} />
          {letters.organisations.length === 0 ? (
            <p>По мониторингу нет адресных рекомендаций организациям: выдайте их на странице «Рекомендации и решения».</p>
          ) : (
            <>
              <p>Каждая организация получит письмо только со своими рекомендациями (показатель, срок), со своим номером:</p>
              <ul>
                {letters.organisations.map((o) => (
                  <li key={o.id}>
                    {o.name} — {o.recommendations}
                  </li>
                ))}
              </ul>
            </>
          )}
          {letters.municipalLevel > 0 && <p className="muted small">Рекомендации муниципального уровня ({letters.municipalLevel}) в письма не входят.</p>}
          <ErrorBox error={issueError} />
          <div className="actions">
            <button type="button" className="btn btn-primary" disabled={busy || letters.organisations.length === 0} onClick={() => void issueLetters()}>
              Выпустить письма с номерами
            </button>
            <button type="button" className="btn" onClick={() => setLetters(null)}>
              Отмена
            </button>
          </div>
        </Modal>
      )}

      {orderDraft && (
        <OrderDialog
          heading="Приказ по итогам мониторинга"
          draft={orderDraft}
          onClose={() => setOrderDraft(null)}
          onIssue={async (text) => {
            const doc = await api.post<IssuedDocument>(`/api/campaigns/${encodeURIComponent(campaignId)}/documents/results-order`, text);
            setIssued(doc);
            setOrderDraft(null);
            reload();
          }}
        >
          <p className="small">
            {orderDraft.recommendations > 0
              ? `Приложение № 1 — адресные рекомендации мониторинга (${orderDraft.recommendations}) с показателями, сроками и ответственными.`
              : 'По мониторингу нет адресных рекомендаций: выдайте их на странице «Рекомендации и решения», затем выпускайте приказ.'}
          </p>
        </OrderDialog>
      )}

      {draft && (
        <Modal title="Информационное письмо о мониторинге" onClose={() => setDraft(null)}>
          <MissingRequisites missing={draft.missingRequisites} />
          <Field label="Адресат" error={fields.addressee}>
            <textarea rows={2} value={draft.addressee} onChange={(e) => setDraft({ ...draft, addressee: e.target.value })} />
          </Field>
          <Field label="Заголовок" error={fields.title}>
            <input value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          </Field>
          <Field label="Текст письма" error={fields.paragraphs} hint="Абзацы разделяются пустой строкой. Номер и дата ставятся при выпуске.">
            <textarea rows={14} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
          <ErrorBox error={issueError && (!issueError.fields.length || issueError.code === 'REQUISITES_MISSING') ? issueError : null} />
          <div className="actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void issue()}>
              Выпустить с номером
            </button>
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              Отмена
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
