/** Criteria table like Таблица № 1 of seed 004: criterion, indicator, target, bands → points, max. */
import { formatNumber, plural } from '../../../src/core/format.ts';
import { bandName, describeBounds } from '../../../src/core/methodology/scale.ts';
import type { Band, IndicatorDef, Methodology } from '../../../src/core/methodology/schema.ts';

function bandText(b: Band, digits: number | undefined): string {
  const name = bandName(b);
  // As the document printed it (the table reads like the source), else the exact bounds.
  const bounds = b.label ?? describeBounds(b, digits);
  const points =
    b.points === undefined ? '' : ` → ${formatNumber(b.points)} ${plural(b.points, ['балл', 'балла', 'баллов'])}`;
  return `${name ? `${name}: ` : ''}${bounds}${points}`;
}

function target(ind: IndicatorDef | undefined): string {
  if (ind?.target === undefined) return '–';
  return `${formatNumber(ind.target)}${ind.unit === '%' ? ' %' : ind.unit ? ` ${ind.unit}` : ''}`;
}

export function CriteriaTable({ doc }: { doc: Methodology }) {
  const criteria = doc.criteria ?? [];
  const total = doc.total?.max ?? criteria.reduce((s, c) => s + c.max, 0);
  if (criteria.length === 0) return <p className="muted">В методике нет критериев с баллами.</p>;
  return (
    <>
      <h2>Критерии и баллы</h2>
      <div className="table-wrap">
        <table className="table criteria" aria-label="Критерии и баллы">
          <colgroup>
            <col style={{ width: '19%' }} />
            <col style={{ width: '5%' }} />
            <col style={{ width: '28%' }} />
            <col style={{ width: '11%' }} />
            <col style={{ width: '27%' }} />
            <col style={{ width: '10%' }} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Критерий</th>
              <th scope="col">№</th>
              <th scope="col">Показатель</th>
              <th scope="col">Целевой показатель</th>
              <th scope="col" className="bands-col">
                Значения и баллы
              </th>
              <th scope="col" className="num">
                Макс. балл
              </th>
            </tr>
          </thead>
          <tbody>
            {criteria.flatMap((c) =>
              c.indicators.map((name, i) => {
                const ind = doc.indicators[name];
                const scale = ind?.scale && ind.scale !== 'none' ? doc.scales?.[ind.scale] : undefined;
                return (
                  <tr key={`${c.id}-${name}`}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={c.indicators.length}>
                        {c.id}. {c.title}
                      </th>
                    )}
                    <td className="nowrap">{ind?.code ?? '—'}</td>
                    <td>
                      {ind?.title ?? name}
                      {ind?.formula && <div className="muted formula">{ind.formula}</div>}
                    </td>
                    <td>{target(ind)}</td>
                    <td>
                      {scale ? (
                        scale.bounds === 'unspecified' ? (
                          <>
                            <ul className="bands">
                              {scale.bands.map((b, n) => (
                                <li key={n}>
                                  {bandName(b) ?? b.label ?? '—'}
                                  {b.points !== undefined &&
                                    ` → ${formatNumber(b.points)} ${plural(b.points, ['балл', 'балла', 'баллов'])}`}
                                </li>
                              ))}
                            </ul>
                            <div className="muted">Границы уровней в документе не указаны</div>
                          </>
                        ) : (
                          <ul className="bands">
                            {scale.bands.map((b, n) => (
                              <li key={n}>{bandText(b, ind?.round)}</li>
                            ))}
                          </ul>
                        )
                      ) : (
                        <span className="muted">{ind?.scale_note ?? 'без шкалы'}</span>
                      )}
                    </td>
                    {i === 0 && (
                      <td className="num" rowSpan={c.indicators.length}>
                        {formatNumber(c.max)}
                      </td>
                    )}
                  </tr>
                );
              }),
            )}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={5}>Максимальная сумма баллов</td>
              <td className="num">{formatNumber(total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
