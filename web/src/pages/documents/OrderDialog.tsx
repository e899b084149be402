/** The dialog of an order before issuing (issue 18): title, preamble (before «ПРИКАЗЫВАЮ:») and the points, one per
 * paragraph separated by an empty line; the requisites still missing are named; «Выпустить с номером» issues it. */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../../api.ts';
import { asApiError } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox } from '../../components/Status.tsx';

export interface OrderDraft {
  title: string;
  preamble: string;
  paragraphs: string[];
  missingRequisites: { field: string; label: string }[];
}

/** The requisites a document still needs, with a link to where they are filled (the «Документы» page); nothing when none. */
export function MissingRequisites({ missing }: { missing: readonly { label: string }[] }) {
  if (missing.length === 0) return null;
  return (
    <p className="alert alert-info">
      Для выпуска заполните реквизиты управления: {missing.map((m) => m.label).join(', ')} (<Link to="/documents">Документы</Link>).
    </p>
  );
}

export interface OrderTextInput {
  title: string;
  preamble: string;
  paragraphs: string[];
}

export const splitParagraphs = (body: string) => body.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);

export function OrderDialog({ heading, draft, children, onIssue, onClose }: { heading: string; draft: OrderDraft; children?: ReactNode; onIssue: (text: OrderTextInput) => Promise<void>; onClose: () => void }) {
  const [title, setTitle] = useState(draft.title);
  const [preamble, setPreamble] = useState(draft.preamble);
  const [body, setBody] = useState(draft.paragraphs.join('\n\n'));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    setBusy(true);
    setError(null);
    try {
      await onIssue({ title, preamble, paragraphs: splitParagraphs(body) });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const fields = error?.fieldMap() ?? {};
  return (
    <Modal title={heading} onClose={onClose}>
      <MissingRequisites missing={draft.missingRequisites} />
      {children}
      <Field label="Заголовок" error={fields.title}>
        <input value={title} onChange={(e) => setTitle(e.target.value)} />
      </Field>
      <Field label="Преамбула (перед «ПРИКАЗЫВАЮ:»)" error={fields.preamble}>
        <textarea rows={3} value={preamble} onChange={(e) => setPreamble(e.target.value)} />
      </Field>
      <Field label="Пункты приказа" error={fields.paragraphs} hint="Пункты разделяются пустой строкой. Номер и дата ставятся при выпуске.">
        <textarea rows={12} value={body} onChange={(e) => setBody(e.target.value)} />
      </Field>
      <ErrorBox error={error && (!error.fields.length || error.code === 'REQUISITES_MISSING') ? error : null} />
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void issue()}>
          Выпустить с номером
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Отмена
        </button>
      </div>
    </Modal>
  );
}
