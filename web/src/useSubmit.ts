/** The busy flag and the error of a form or a button that calls the API: `run` clears the error, marks busy while the
 * task runs and keeps what it threw as an ApiError (its field errors in `fields`). */
import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from './api.ts';

export function useAction() {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, fields: error?.fieldMap() ?? {}, run };
}

/** A form's submit handler around `useAction`; `check` runs first (after preventDefault) and stops the submit when it returns false. */
export function useSubmit(task: () => Promise<void>, check?: () => boolean) {
  const action = useAction();
  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    if (check && !check()) return;
    void action.run(task);
  };
  return { ...action, onSubmit };
}

/** A create form checked in the browser first: `submit(fieldErrors, task)` shows the field errors with «Исправьте ошибки
 * в полях формы.» and stops, or runs the task busy; the server's field errors (by `fieldsOf`) go under their fields. */
export function useCheckedSubmit(fieldsOf: (err: ApiError) => Record<string, string> = (err) => err.fieldMap()) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (fieldErrors: Record<string, string>, task: () => Promise<void>) => {
    setErrors(fieldErrors);
    if (Object.keys(fieldErrors).length) {
      setError('Исправьте ошибки в полях формы.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (err) {
      const apiErr = asApiError(err, 'Сервер недоступен.');
      setErrors(fieldsOf(apiErr));
      setError(apiErr);
    } finally {
      setBusy(false);
    }
  };
  return { errors, error, busy, submit };
}
