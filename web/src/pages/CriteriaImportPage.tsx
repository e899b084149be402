/** «Импорт таблицы критериев»: the methodologist's Word/Excel table («Таблица № 1. Перечень критериев и показателей»)
 * is read on the server (POST /api/methodologies/criteria-import, nothing saved), shown band by band — the text as
 * the document printed it beside the bounds msoko read — with the rows it could not read and the linter's remarks
 * (gaps such as 9,1–9,9, points not adding up); the draft then opens in «Загрузить новую версию» to be checked and
 * saved as a new methodology version. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { formatNumber } from '../../../src/core/format.ts';
import { LEVEL_NAMES } from '../../../src/core/methodology/schema.ts';
import { describeBounds } from '../../../src/core/methodology/scale.ts';
import type { CriteriaImportView } from '../../../src/services/methodology/criteria-import-view.ts';
import { ApiError, request } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { ErrorBox } from '../components/Status.tsx';
import { DIRECTION_LABELS } from '../methodologyTypes.ts';

type Answer = CriteriaImportView & { yaml: string | null };
type Band = Answer['indicators'][number]['bands'][number];

const MAX_BYTES = 10 * 1024 * 1024;

/** What msoko read from a band's text: the level it names, «да»/«нет», the bounds. */
function readAs(b: Band): string {
  const parts: string[] = [];
  if (b.bounds.level) parts.push(`«${LEVEL_NAMES[b.bounds.level]}»`);
  if (b.bounds.answer) parts.push(b.bounds.answer === 'yes' ? 'да' : 'нет');
  const hasBounds = b.bounds.from !== undefined || b.bounds.to !== undefined;
  if (hasBounds) parts.push(`${describeBounds(b.bounds)}${b.bounds.percent ? ' %' : ''}`);
  else if (!b.bounds.answer) parts.push('границы не указаны');
  return parts.join(': ');
}

export function CriteriaImportPage() {
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState({ id: '', version: '', title: '', direction: '', round: '1', capped: '', openTop: '', table: '', sheet: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof options) => (e: { target: { value: string } }) => setOptions({ ...options, [k]: e.target.value });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!file) fe.file = 'Выберите файл DOCX или XLSX с таблицей критериев';
    else if (!/\.(docx|xlsx)$/i.test(file.name)) fe.file = `«${file.name}»: нужен файл .docx или .xlsx`;
    else if (file.size > MAX_BYTES) fe.file = `Файл «${file.name}» больше 10 МБ`;
    setErrors(fe);
    setError(null);
    if (!file || Object.keys(fe).length) return;
    const form = new FormData();
    // Fields first: the server reads them with the file.
    for (const [k, v] of Object.entries(options)) if (v.trim()) form.append(k, v.trim());
    form.append('file', file, file.name);
    setBusy(true);
    try {
      setAnswer(await request<Answer>('POST', '/api/methodologies/criteria-import', form));
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.');
      setErrors(apiErr.fieldMap());
      setError(apiErr);
      setAnswer(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="criteria-import-title">
      <p className="breadcrumbs">
        <Link to="/methodologies">Методики</Link> / Импорт таблицы критериев
      </p>
      <h1 id="criteria-import-title">Импорт таблицы критериев</h1>
      <p className="muted">
        Таблица из Word или Excel, как «Таблица № 1. Перечень критериев и показателей»: №, критерий или показатель, целевой показатель, индикаторы (полосы),
        баллы. Полосы читаются из текста («от 20% до 25%», «более 25%», «выше среднего (от 5,1 до 7,5)»); ничего не сохраняется, пока вы не сохраните версию.
      </p>
      <form className="card form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <ErrorBox error={error} />
        <Field label="Файл с таблицей (DOCX или XLSX)" error={errors.file}>
          <input type="file" accept=".docx,.xlsx" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setAnswer(null); }} />
        </Field>
        <div className="form-row">
          <Field label="Идентификатор методики" hint="строчные латинские буквы, цифры, «.», «_», «-»" error={errors.id}>
            <input value={options.id} onChange={set('id')} placeholder="criteria-import" />
          </Field>
          <Field label="Версия" error={errors.version}>
            <input value={options.version} onChange={set('version')} placeholder="1" />
          </Field>
          <Field label="Название" error={errors.title}>
            <input value={options.title} onChange={set('title')} />
          </Field>
          <Field label="Направление" hint="по умолчанию — по словам таблицы" error={errors.direction}>
            <select value={options.direction} onChange={set('direction')}>
              <option value="">определить по таблице</option>
              {Object.entries(DIRECTION_LABELS).map(([code, label]) => (
                <option key={code} value={code}>{label}</option>
              ))}
            </select>
          </Field>
        </div>
        <details>
          <summary>Дополнительно: округление, доли до 100 %, открытые полосы, таблица или лист</summary>
          <div className="form-row">
            <Field label="Знаков после запятой у показателей" hint="полосы сравниваются с таким шагом" error={errors.round}>
              <select value={options.round} onChange={set('round')}>
                {['0', '1', '2', '3'].map((d) => <option key={d} value={d}>{d}</option>)}
              </select>
            </Field>
            <Field label="Доли, которые не превышают 100 %" hint="коды через запятую или all" error={errors.capped}>
              <input value={options.capped} onChange={set('capped')} placeholder="2.2, 3.1" />
            </Field>
            <Field label="Верхняя полоса открыта вверх" hint="коды через запятую или all; напечатанный край сохраняется" error={errors.openTop}>
              <input value={options.openTop} onChange={set('openTop')} placeholder="2.1" />
            </Field>
            <Field label="Номер таблицы в документе (DOCX)" hint="по умолчанию — первая таблица критериев" error={errors.table}>
              <input inputMode="numeric" value={options.table} onChange={set('table')} />
            </Field>
            <Field label="Лист (XLSX)" hint="по умолчанию — первый лист с таблицей критериев" error={errors.sheet}>
              <input value={options.sheet} onChange={set('sheet')} />
            </Field>
          </div>
        </details>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Читается…' : 'Прочитать таблицу'}
          </button>
        </div>
      </form>
      {answer && <ImportReport answer={answer} onOpen={(yaml) => navigate('/methodologies/new', { state: { yaml } })} />}
    </section>
  );
}

function ImportReport({ answer, onOpen }: { answer: Answer; onOpen: (yaml: string) => void }) {
  const bands = answer.indicators.reduce((s, i) => s + i.bands.length, 0);
  const errors = answer.lint.filter((l) => l.severity === 'error');
  const warnings = answer.lint.filter((l) => l.severity !== 'error');
  return (
    <div className="card" aria-labelledby="criteria-read-title">
      <h2 id="criteria-read-title">Прочитано: «{answer.file}», {answer.part}</h2>
      <p role="status">
        Критериев {answer.criteria.length}, показателей {answer.indicators.length}, полос {bands}
        {answer.statedMax ? `; максимум в документе — ${formatNumber(answer.statedMax.value)} (${answer.statedMax.where})` : ''}.
      </p>
      {answer.problems.length > 0 && (
        <div className="alert alert-error" role="alert">
          Строки, которые не прочитаны — исправьте документ и загрузите снова (черновик не составлен):
          <ul className="lint-list">
            {answer.problems.map((p, n) => (
              <li key={n}>{p.where}{p.text ? `: «${p.text}»` : ''} — {p.reason}</li>
            ))}
          </ul>
        </div>
      )}
      {answer.indicators.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Полосы таблицы критериев: текст документа и прочитанные границы">
            <thead>
              <tr>
                <th scope="col">Показатель</th>
                <th scope="col">Текст в документе</th>
                <th scope="col">Прочитано как</th>
                <th scope="col" className="num">Баллы</th>
                <th scope="col">Место в файле</th>
              </tr>
            </thead>
            <tbody>
              {answer.indicators.flatMap((ind) =>
                ind.bands.map((b, n) => (
                  <tr key={`${ind.code}-${n}`}>
                    {n === 0 && (
                      <th scope="rowgroup" rowSpan={ind.bands.length}>
                        {ind.code} {ind.title}
                      </th>
                    )}
                    <td>{b.text}</td>
                    <td>{readAs(b)}</td>
                    <td className="num">{formatNumber(b.points)}</td>
                    <td>{b.where}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {answer.lint.length > 0 && (
        <div className={`alert ${errors.length ? 'alert-error' : 'alert-info'}`} role="status">
          Замечания проверки ({errors.length ? `ошибок ${errors.length}, ` : ''}предупреждений {warnings.length}):
          <ul className="lint-list">
            {[...errors, ...warnings].map((l, n) => (
              <li key={n}>
                {l.severity === 'error' ? 'ошибка' : 'предупреждение'}: {l.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {answer.yaml !== null && (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => onOpen(answer.yaml ?? '')}>
            Открыть черновик методики
          </button>
          <span className="muted">Черновик откроется в «Загрузить новую версию»: проверьте, при необходимости поправьте и сохраните.</span>
        </div>
      )}
    </div>
  );
}
