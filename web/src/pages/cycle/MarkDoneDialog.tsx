/** «Отметить выполнение» of one road-map deadline: date, a link or an uploaded file as evidence, a note. */
import { useState } from 'react';
import { EVIDENCE_ACCEPT } from '../../../../src/core/cycle/evidence-type.ts';
import { formatDate } from '../../../../src/core/format.ts';
import { api } from '../../api.ts';
import { DialogButtons } from '../../components/DialogButtons.tsx';
import { Field } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { useSubmit } from '../../useSubmit.ts';
import { localToday } from './access.ts';
import { uploadEvidence } from './EvidenceFiles.tsx';
import type { Marking } from './RoadmapTable.tsx';

export function MarkDoneDialog({ marking, onClose, onDone }: { marking: Marking; onClose(): void; onDone(): void }) {
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
