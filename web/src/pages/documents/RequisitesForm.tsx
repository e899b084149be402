/** «Реквизиты управления» (issue 18): the department's letterhead — name, parent body, address, phone, e-mail, codes,
 * head, executor — and the numbering patterns of the register. Each save is a new version; the server checks the codes'
 * control digits and names wrong fields in Russian. */
import { useEffect, useState, type FormEvent } from 'react';
import { REQUISITE_LABELS, type Requisites } from '../../../../src/core/documents/requisites.ts';
import { DOCUMENT_KINDS, DOCUMENT_KIND_LABELS, type DocumentKind } from '../../../../src/core/documents/register.ts';
import type { ApiError} from '../../api.ts';
import { asApiError, request } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { formatDateTime } from '../../dateTime.ts';
import { useFetch } from '../../useFetch.ts';

interface RequisitesView {
  municipality: { id: string; name: string };
  requisites: Requisites;
  version: number | null;
  savedAt: string | null;
  savedBy: string | null;
}

type TextKey = Exclude<keyof Requisites, 'numbering'>;
const KEYS = Object.keys(REQUISITE_LABELS) as TextKey[];
const HINTS: Partial<Record<TextKey, string>> = {
  okpo: '8 или 10 цифр', ogrn: '13 цифр', inn: '10 цифр', kpp: '9 символов', headName: 'Например: А.Н. Резников',
};

export function RequisitesForm() {
  const { data, error, reload } = useFetch<RequisitesView>('/api/settings/requisites');
  const [values, setValues] = useState<Record<TextKey, string> | null>(null);
  const [numbering, setNumbering] = useState<Record<DocumentKind, string>>({ letter: '', order: '', protocol: '', reference: '' });
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!data) return;
    setValues(Object.fromEntries(KEYS.map((k) => [k, data.requisites[k]])) as Record<TextKey, string>);
    setNumbering({ letter: data.requisites.numbering.letter ?? '', order: data.requisites.numbering.order ?? '', protocol: data.requisites.numbering.protocol ?? '', reference: data.requisites.numbering.reference ?? '' });
  }, [data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!values) return;
    setSaveError(null);
    setSaved(false);
    try {
      const patterns = Object.fromEntries(DOCUMENT_KINDS.filter((k) => numbering[k].trim()).map((k) => [k, numbering[k].trim()]));
      await request('PUT', '/api/settings/requisites', { ...values, numbering: patterns });
      setSaved(true);
      reload();
    } catch (err) {
      setSaveError(asApiError(err));
    }
  };

  const fieldErrors: Record<string, string> = {};
  for (const f of saveError?.fields ?? []) fieldErrors[f.path] ??= f.message;

  return (
    <>
      <h2 id="requisites-title">Реквизиты управления (бланк документов)</h2>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && values && (
        <form className="card form" aria-labelledby="requisites-title" noValidate onSubmit={(e) => void save(e)}>
          <p className="muted small">
            Печатаются на бланке писем и приказов по ГОСТ Р 7.0.97-2016. {data.savedAt ? `Сохранено ${formatDateTime(data.savedAt)} (${data.savedBy ?? 'система'}); прежние редакции хранятся.` : 'Ещё не заполнены.'}
          </p>
          {KEYS.map((k) => (
            <Field key={k} label={REQUISITE_LABELS[k]} error={fieldErrors[k]} hint={HINTS[k]}>
              <input value={values[k]} onChange={(e) => setValues({ ...values, [k]: e.target.value })} autoComplete="off" />
            </Field>
          ))}
          {DOCUMENT_KINDS.map((k) => (
            <Field key={k} label={`Шаблон номера: ${DOCUMENT_KIND_LABELS[k].toLowerCase()}`} error={fieldErrors[`numbering.${k}`]} hint="{n} — порядковый номер в году, {yyyy} — год; пусто — просто {n}. Например: 21/{n}">
              <input value={numbering[k]} onChange={(e) => setNumbering({ ...numbering, [k]: e.target.value })} autoComplete="off" />
            </Field>
          ))}
          <ErrorBox error={saveError && !saveError.fields.length ? saveError : null} />
          {saveError && saveError.fields.length > 0 && <p className="alert alert-error" role="alert">Проверьте отмеченные поля.</p>}
          {saved && <p className="alert alert-success" role="status">Реквизиты сохранены.</p>}
          <button type="submit" className="btn btn-primary">
            Сохранить реквизиты
          </button>
        </form>
      )}
    </>
  );
}
