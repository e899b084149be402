/** «Закрыть организацию»: date and reason, then an explicit confirmation step. */
import { useState, type FormEvent } from 'react';
import { formatDate, parseRussianDate } from '../../../src/core/format.ts';
import { ApiError, api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { Modal } from '../components/Modal.tsx';
import { validateClose } from '../orgValidation.ts';
import { ErrorBox } from '../components/Status.tsx';
import type { Organisation } from '../types.ts';

interface Props {
  organisation: Organisation;
  onCancel(): void;
  onClosed(): void;
}

export function CloseOrganisationDialog({ organisation, onCancel, onClosed }: Props) {
  const [date, setDate] = useState(formatDate(new Date()));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const check = (e: FormEvent) => {
    e.preventDefault();
    const closedAt = parseRussianDate(date);
    const fe = validateClose({ closedAt: closedAt ?? '', reason });
    if (!closedAt) fe.closedAt = 'Укажите дату в формате дд.мм.гггг';
    else if (fe.reason === 'Обязательное поле') fe.reason = 'Укажите причину закрытия';
    setErrors(fe);
    setConfirming(Object.keys(fe).length === 0);
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/organisations/${organisation.id}/close`, {
        closedAt: parseRussianDate(date),
        reason: reason.trim(),
      });
      onClosed();
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      setError(apiErr);
      setErrors(apiErr.fieldMap());
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Закрытие организации «${organisation.shortName}»`} onClose={onCancel}>
      <ErrorBox error={error} />
      {confirming ? (
        <>
          <p>
            Закрыть организацию «{organisation.shortName}» с {date}? Причина: {reason.trim()}.
          </p>
          <div className="actions">
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void submit()}>
              Подтвердить закрытие
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Назад
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={check} noValidate>
          <Field label="Дата закрытия" error={errors.closedAt} hint="дд.мм.гггг">
            <input value={date} onChange={(e) => setDate(e.target.value)} inputMode="numeric" />
          </Field>
          <Field label="Причина закрытия" error={errors.reason}>
            <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="actions">
            <button type="submit" className="btn btn-danger">
              Закрыть организацию
            </button>
            <button type="button" className="btn" onClick={onCancel}>
              Отмена
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
