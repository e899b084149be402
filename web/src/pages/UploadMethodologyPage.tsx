/** «Загрузить новую версию»: paste or open a YAML file, check it (errors with line numbers, lint warnings),
 * then save; versions are immutable, so an existing id + version is refused. */
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { ErrorBox } from '../components/Status.tsx';
import type { LintResponse } from '../methodologyTypes.ts';

export function UploadMethodologyPage() {
  const navigate = useNavigate();
  // A draft handed over by «Импорт таблицы критериев» (router state), else empty.
  const handed = (useLocation().state as { yaml?: unknown } | null)?.yaml;
  const [yaml, setYaml] = useState(typeof handed === 'string' ? handed : '');
  const [checked, setChecked] = useState<LintResponse | null>(null);
  const [checkedText, setCheckedText] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setYaml(await file.text());
    setChecked(null);
  };

  const lint = async () => {
    setError(null);
    if (!yaml.trim()) {
      setError('Вставьте текст методики или выберите файл YAML.');
      return;
    }
    setBusy(true);
    try {
      setChecked(await api.post<LintResponse>('/api/methodologies/lint', { yaml }));
      setCheckedText(yaml);
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.post<{ id: string; version: string }>('/api/methodologies', { yaml });
      navigate(`/methodologies/${encodeURIComponent(saved.id)}/${encodeURIComponent(saved.version)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    } finally {
      setBusy(false);
    }
  };

  const upToDate = checked !== null && checkedText === yaml;
  return (
    <section aria-labelledby="upload-title">
      <p className="breadcrumbs">
        <Link to="/methodologies">Методики</Link> / Новая версия
      </p>
      <h1 id="upload-title">Загрузить новую версию методики</h1>
      <div className="card form">
        <ErrorBox error={error} />
        <Field label="Файл YAML" hint="или вставьте текст ниже">
          <input type="file" accept=".yaml,.yml,text/yaml" onChange={(e) => void onFile(e.target.files?.[0])} />
        </Field>
        <Field label="Текст методики (YAML)">
          <textarea className="code-input" rows={18} spellCheck={false} value={yaml} onChange={(e) => setYaml(e.target.value)} />
        </Field>
        {upToDate && checked && <LintReport result={checked} />}
        <div className="actions">
          <button type="button" className="btn" disabled={busy} onClick={() => void lint()}>
            Проверить
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || !upToDate || !checked?.ok || checked.exists}
            onClick={() => void save()}
          >
            Сохранить версию
          </button>
        </div>
      </div>
    </section>
  );
}

function LintReport({ result }: { result: LintResponse }) {
  if (!result.ok) {
    return (
      <div className="alert alert-error" role="alert">
        Методика не принята — исправьте ошибки:
        <ul className="lint-list">
          {result.errors.map((e, n) => (
            <li key={n}>
              {e.line ? `строка ${e.line}${e.column ? `, позиция ${e.column}` : ''}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className={`alert ${result.exists ? 'alert-error' : result.lint.length ? 'alert-info' : 'alert-success'}`} role="status">
      {result.exists
        ? `Версия уже существует — версии неизменяемы (${result.id}, версия ${result.version}).`
        : `Методика «${result.title}», версия ${result.version}: ошибок нет${result.lint.length ? ', есть замечания:' : '.'}`}
      {result.lint.length > 0 && (
        <ul className="lint-list">
          {result.lint.map((l, n) => (
            <li key={n}>
              {l.line ? `строка ${l.line}: ` : l.path ? `${l.path}: ` : ''}
              {l.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
