/** «Добавить организацию» and «Изменить»: one form, client-side checks by the server's own zod schema,
 * and the server's field errors shown under the fields. */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDate, parseRussianDate } from '../../../src/core/format.ts';
import { ApiError, api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { ErrorBox, Loading, PageError } from '../components/Status.tsx';
import { validateOrganisation, type OrganisationDraft } from '../orgValidation.ts';
import type { Organisation, OrgType } from '../types.ts';
import { useFetch } from '../useFetch.ts';

interface FormValues {
  no: string;
  shortName: string;
  fullName: string;
  type: OrgType;
  inn: string;
  fisokoLogin: string;
  growthPoint: boolean;
  openedAt: string;
}

const EMPTY: FormValues = { no: '', shortName: '', fullName: '', type: 'school', inn: '', fisokoLogin: '', growthPoint: false, openedAt: '' };

function fromOrganisation(o: Organisation): FormValues {
  return {
    no: o.no === null ? '' : String(o.no),
    shortName: o.shortName,
    fullName: o.fullName,
    type: o.type,
    inn: o.inn ?? '',
    fisokoLogin: o.fisokoLogin ?? '',
    growthPoint: o.growthPoint,
    openedAt: o.openedAt ? formatDate(o.openedAt) : '',
  };
}

export function OrganisationFormPage() {
  const { id } = useParams();
  const editing = id !== undefined;
  const existing = useFetch<Organisation | { organisation: Organisation }>(
    editing ? `/api/organisations/${encodeURIComponent(id)}` : null,
  );
  const navigate = useNavigate();
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = existing.data;
    if (d) setValues(fromOrganisation('organisation' in d ? d.organisation : d));
  }, [existing.data]);

  if (existing.error) return <PageError error={existing.error} />;
  if (editing && !existing.data) return <Loading />;

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const fe: Record<string, string> = {};
    const openedAt = values.openedAt.trim() ? parseRussianDate(values.openedAt) : null;
    if (values.openedAt.trim() && !openedAt) fe.openedAt = 'Укажите дату в формате дд.мм.гггг';
    const draft: OrganisationDraft = {
      ...(values.no.trim() === '' ? {} : { no: Number(values.no.trim()) }),
      shortName: values.shortName.trim(),
      fullName: values.fullName.trim(),
      type: values.type,
      inn: values.inn.trim() === '' ? null : values.inn.trim(),
      fisokoLogin: values.fisokoLogin.trim() === '' ? null : values.fisokoLogin.trim(),
      growthPoint: values.growthPoint,
      openedAt,
    };
    Object.assign(fe, { ...validateOrganisation(draft, editing), ...fe });
    if (values.no.trim() !== '' && !/^\d+$/.test(values.no.trim())) fe.no = 'Номер — целое положительное число';
    setErrors(fe);
    if (Object.keys(fe).length) {
      setError('Исправьте ошибки в полях формы.');
      return;
    }
    setBusy(true);
    try {
      const saved = editing
        ? await api.patch<Organisation | { organisation: Organisation }>(`/api/organisations/${id}`, draft)
        : await api.post<Organisation | { organisation: Organisation }>('/api/organisations', draft);
      const org = 'organisation' in saved ? saved.organisation : saved;
      navigate(`/organisations/${org.id}`);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      setErrors(apiErr.fieldMap());
      setError(apiErr);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="org-form-title">
      <p className="breadcrumbs">
        <Link to="/organisations">Реестр организаций</Link> / {editing ? 'Изменение' : 'Новая организация'}
      </p>
      <h1 id="org-form-title">{editing ? `Изменить: ${values.shortName || 'организация'}` : 'Добавить организацию'}</h1>
      <form className="card form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <ErrorBox error={error} />
        <div className="form-row">
          <Field label="Номер в реестре" error={errors.no} hint={editing ? undefined : 'Пусто — следующий свободный'}>
            <input inputMode="numeric" value={values.no} onChange={(e) => set('no', e.target.value)} />
          </Field>
          <Field label="Тип" error={errors.type}>
            <select value={values.type} onChange={(e) => set('type', e.target.value as OrgType)}>
              <option value="school">Школа</option>
              <option value="preschool">ДОУ</option>
              <option value="supplementary">УДО</option>
            </select>
          </Field>
        </div>
        <Field label="Краткое наименование" error={errors.shortName}>
          <input value={values.shortName} onChange={(e) => set('shortName', e.target.value)} />
        </Field>
        <Field label="Полное наименование" error={errors.fullName}>
          <textarea rows={2} value={values.fullName} onChange={(e) => set('fullName', e.target.value)} />
        </Field>
        <div className="form-row">
          <Field label="ИНН" error={errors.inn} hint="10 или 12 цифр">
            <input inputMode="numeric" value={values.inn} onChange={(e) => set('inn', e.target.value)} />
          </Field>
          <Field label="Дата открытия" error={errors.openedAt} hint="дд.мм.гггг">
            <input inputMode="numeric" value={values.openedAt} onChange={(e) => set('openedAt', e.target.value)} />
          </Field>
        </div>
        <Field label="Логин ФИС ОКО" error={errors.fisokoLogin} hint="Например, sch510203: по нему строки отчётов ФИС ОКО сопоставляются с организацией">
          <input value={values.fisokoLogin} autoComplete="off" spellCheck={false} onChange={(e) => set('fisokoLogin', e.target.value)} />
        </Field>
        <div className="checkbox">
          <input
            id="growth-point"
            type="checkbox"
            checked={values.growthPoint}
            onChange={(e) => set('growthPoint', e.target.checked)}
          />
          <label htmlFor="growth-point">Центр «Точка роста»</label>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Сохранение…' : 'Сохранить'}
          </button>
          <Link className="btn" to={editing ? `/organisations/${id}` : '/organisations'}>
            Отмена
          </Link>
        </div>
      </form>
    </section>
  );
}
