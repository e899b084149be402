/** Results of a computation: organisations × indicators (value, level, points); a click on a value shows its
 * explanation; then the discrepancies with the published figures, the aggregates and the methodology's lint. */
import { useMemo, useState } from 'react';
import { formatNumber, formatYesNo } from '../../../src/core/format.ts';
import { ORG_TYPE_LABELS } from '../labels.ts';
import { show, type ComputeResponse, type ComputeResultRow } from '../methodologyTypes.ts';
import type { OrgType } from '../types.ts';

const FIELD_LABELS: Record<string, string> = { value: 'значение', level: 'уровень', points: 'баллы', aggregate: 'итог' };

export function ComputeResults({ result }: { result: ComputeResponse }) {
  const [picked, setPicked] = useState<ComputeResultRow | null>(null);
  const { orgs, cells } = useMemo(() => pivot(result), [result]);
  const dims = result.dimensions ?? [];
  const indicators = result.indicators;
  const titleOf = (id: string) => {
    const i = indicators.find((x) => x.id === id);
    return i ? `${i.code ? `${i.code}. ` : ''}${i.title}` : id;
  };
  // Rows of a table by organisation type are keyed `school`, `preschool`…: print them the Russian way.
  const rowName = (key: string) =>
    result.dataset.unit === 'organisation_type' ? (ORG_TYPE_LABELS[key as OrgType] ?? (key === 'total' ? 'Всего' : key)) : key;
  const mismatched = new Set(result.discrepancies.map((d) => `${d.organisation ?? ''}|${d.indicator}`));

  return (
    <>
      <p className="muted">
        {result.methodology.title}, версия {result.methodology.version}.{' '}
        {result.files && result.files.length > 1
          ? `Файлы: ${result.files.map((f) => `«${f.name}»${f.sheet ? ` (лист «${f.sheet}»)` : ''}`).join(', ')}`
          : `Файл «${result.file.name}»`}
        , набор данных «{result.dataset.title}», строк: {result.dataset.rows}.
      </p>

      <h2>Результаты организаций</h2>
      <p className="muted">Нажмите на значение, чтобы увидеть, как оно рассчитано.</p>
      <div className="table-wrap">
        <table className="table" aria-label="Результаты организаций">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Организация
              </th>
              {dims.map((d) => (
                <th scope="col" rowSpan={2} key={d.id}>
                  {d.title}
                </th>
              ))}
              {indicators.map((i) => (
                <th scope="colgroup" colSpan={3} key={i.id}>
                  {titleOf(i.id)}
                </th>
              ))}
            </tr>
            <tr>
              {indicators.map((i) => [
                <th scope="col" className="num" key={`${i.id}v`}>
                  Значение
                </th>,
                <th scope="col" key={`${i.id}l`}>
                  Уровень
                </th>,
                <th scope="col" className="num" key={`${i.id}p`}>
                  Баллы
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {orgs.map(({ key: org, name, dimensions }) => (
              <tr key={org}>
                <th scope="row">{rowName(name)}</th>
                {dims.map((d) => (
                  <td key={d.id}>{dimensionText(d, dimensions?.[d.id])}</td>
                ))}
                {indicators.map((i) => {
                  const c = cells.get(`${org}|${i.id}`);
                  const cls = mismatched.has(`${org}|${i.id}`) ? 'cell-mismatch' : '';
                  return [
                    <td className={`num ${cls}`} key={`${i.id}v`}>
                      {c ? (
                        <button
                          type="button"
                          className="cell-button"
                          aria-pressed={picked === c}
                          title="Показать расчёт"
                          onClick={() => setPicked(c)}
                        >
                          {(i.kind === 'yes_no' ? formatYesNo(c.value) : null) ?? show(c.value)}
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>,
                    <td className={cls} key={`${i.id}l`}>
                      {c?.level ?? '—'}
                    </td>,
                    <td className="num" key={`${i.id}p`}>
                      {c ? show(c.points) : '—'}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="card explanation-card" aria-live="polite" aria-label="Расчёт значения">
        {picked ? (
          <>
            <h3>
              {rowName(picked.organisation)}
              {picked.dimensions ? `, ${dims.map((d) => dimensionText(d, picked.dimensions?.[d.id])).join(', ')}` : ''} — {titleOf(picked.indicator)}
            </h3>
            <p className="explanation" data-testid="explanation">
              {picked.explanation}
            </p>
          </>
        ) : (
          <p className="muted">Здесь появится расчёт выбранного значения.</p>
        )}
      </section>

      <h2>Расхождения с опубликованными данными</h2>
      {result.discrepancies.length === 0 ? (
        <p className="muted">Расхождений нет: опубликованные значения совпадают с расчётом.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Расхождения с опубликованными данными">
            <thead>
              <tr>
                <th scope="col">Организация</th>
                <th scope="col">Показатель</th>
                <th scope="col">Что расходится</th>
                <th scope="col">В отчёте</th>
                <th scope="col">Рассчитано</th>
                <th scope="col">Как могло получиться</th>
              </tr>
            </thead>
            <tbody>
              {result.discrepancies.map((d, n) => (
                <tr key={n} title={d.message}>
                  <td>{d.organisation === null ? 'Муниципалитет' : rowName(d.organisation)}</td>
                  <td>{titleOf(d.indicator)}</td>
                  <td>{FIELD_LABELS[d.field] ?? d.field}</td>
                  <td>{d.published === '' ? 'не указано' : show(d.published)}</td>
                  <td>{show(d.computed)}</td>
                  <td>
                    {d.diagnosis?.[0]?.message ?? '—'}
                    {(d.diagnosis?.length ?? 0) > 1 && <span className="muted"> (ещё объяснений: {(d.diagnosis?.length ?? 1) - 1})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Итоги по муниципалитету</h2>
      <div className="table-wrap">
        <table className="table" aria-label="Итоги по муниципалитету">
          <thead>
            <tr>
              <th scope="col">Показатель</th>
              <th scope="col" className="num">
                Значение
              </th>
              <th scope="col">Уровень</th>
              <th scope="col">Расчёт</th>
            </tr>
          </thead>
          <tbody>
            {result.aggregates.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  {a.title}
                  {a.group && <span className="muted"> — {ORG_TYPE_LABELS[a.group as OrgType] ?? a.group}</span>}
                </th>
                <td className="num">{a.value === null ? '—' : formatNumber(a.value)}</td>
                <td>{a.level ?? '—'}</td>
                <td className="small">{a.explanation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {result.lint.length > 0 && (
        <details className="card lint-card">
          <summary>Замечания проверки методики: {result.lint.length}</summary>
          <ul className="lint-list">
            {result.lint.map((l, n) => (
              <li key={n}>
                {l.severity === 'error' ? 'Ошибка' : 'Предупреждение'}: {l.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

/** A dimension value as printed: its label («5 класс») when the methodology gives one. */
function dimensionText(d: NonNullable<ComputeResponse['dimensions']>[number], v: string | number | undefined): string {
  return v === undefined ? '—' : (d.labels?.[String(v)] ?? String(v));
}

/** Rows (an organisation, or an organisation × subject × grade in a table with dimensions) × indicators. */
function pivot(result: ComputeResponse) {
  const orgs: { key: string; name: string; dimensions: ComputeResultRow['dimensions'] }[] = [];
  const seen = new Set<string>();
  const cells = new Map<string, ComputeResultRow>();
  for (const r of result.results) {
    const key = r.dimensions ? [r.organisation, ...Object.values(r.dimensions)].join(' · ') : r.organisation;
    if (!seen.has(key)) {
      seen.add(key);
      orgs.push({ key, name: r.organisation, dimensions: r.dimensions });
    }
    cells.set(`${key}|${r.indicator}`, r);
  }
  return { orgs, cells };
}
