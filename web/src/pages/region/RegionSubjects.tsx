/** «Регион», per subject × grade (issue 22): for a methodology with ВПР data per subject and grade (direction-preparation
 * 2021.2), every municipality's figures of the chosen subject and grade — the methodology's aggregates (the success
 * share by the number of participants), the mean shares over the schools, the number of schools with the sign of
 * non-objectivity — from GET /api/region/subjects. */
import { useEffect, useState } from 'react';
import type { RegionSubjectsDto } from '../../../../src/core/region/api-schema.ts';
import { formatNumber } from '../../../../src/core/format.ts';
import { PageError } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

export function RegionSubjects({ methodologyId, period }: { methodologyId: string; period: string }) {
  const res = useFetch<RegionSubjectsDto>(`/api/region/subjects?${q({ methodologyId, period })}`);
  const [sel, setSel] = useState<Record<string, string>>({});
  const data = res.data;
  useEffect(() => {
    if (!data) return;
    const next: Record<string, string> = {};
    for (const d of data.dimensions) next[d.id] = d.values.some((v) => v.value === sel[d.id]) ? (sel[d.id] as string) : (d.values[0]?.value ?? '');
    if (JSON.stringify(next) !== JSON.stringify(sel)) setSel(next);
  }, [data, sel]);
  if (res.error) return <PageError error={res.error} />;
  if (!data) return null;
  const rows = data.rows.filter((r) => data.dimensions.every((d) => r.dimensions[d.id] === sel[d.id]));
  const label = data.dimensions.map((d) => d.values.find((v) => v.value === sel[d.id])?.label ?? sel[d.id]).join(', ');
  return (
    <section aria-labelledby="region-subjects-title">
      <h2 id="region-subjects-title">По предметам и классам</h2>
      {data.rows.length === 0 ? (
        <p className="empty">В опубликованных мониторингах за {data.periodLabel} нет данных по предметам и классам.</p>
      ) : (
        <>
          <form className="form-row" aria-label="Предмет и класс" onSubmit={(e) => e.preventDefault()}>
            {data.dimensions.map((d) => (
              <label key={d.id}>
                {d.title}{' '}
                <select value={sel[d.id] ?? ''} onChange={(e) => setSel({ ...sel, [d.id]: e.target.value })}>
                  {d.values.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label}
                    </option>
                  ))}
                </select>{' '}
              </label>
            ))}
          </form>
          <div className="table-wrap" role="region" aria-label="Муниципалитеты по предмету и классу" tabIndex={0}>
            <table className="table" data-testid="region-subjects">
              <caption>
                {label}, {data.periodLabel}: по муниципалитетам
              </caption>
              <thead>
                <tr>
                  <th scope="col">Муниципалитет</th>
                  {data.measures.map((x) => (
                    <th key={x.metric} scope="col" className="num">
                      {x.title}
                      {x.unit ? `, ${x.unit}` : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.municipalityId}>
                    <td>{r.municipality}</td>
                    {data.measures.map((x) => {
                      const f = r.figures[x.metric];
                      if (!f || f.value === null) return <td key={x.metric} className="num">—</td>;
                      return (
                        <td key={x.metric} className="num">
                          {x.kind === 'signs' ? `${formatNumber(f.value)} из ${formatNumber(f.count)}` : formatNumber(f.value, 1)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted">
            Доля успешности — как её агрегирует методика (отношение сумм: выполнившие на «3»–«5» к участникам); остальные доли — среднее по школам. Признак необъективности считается по школам, где его можно вычислить.
          </p>
        </>
      )}
    </section>
  );
}
