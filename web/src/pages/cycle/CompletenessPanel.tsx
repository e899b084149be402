/** «Полнота управленческого цикла»: the nine stages for a direction and year, what exists and what is missing. */
import { useEffect } from 'react';
import type { CompletenessReport, StageState } from '../../../../src/core/cycle/completeness.ts';
import { Loading, ErrorBox } from '../../components/Status.tsx';
import { useFetch } from '../../useFetch.ts';

const STATE_LABEL: Record<StageState, string> = { ok: 'есть', partial: 'есть пробелы', missing: 'нет' };
const STATE_CLASS: Record<StageState, string> = { ok: 'badge-done', partial: 'badge-soon', missing: 'badge-overdue' };

export function CompletenessPanel({ direction, year, tick }: { direction: string; year: number; tick: number }) {
  const { data, error, loading, reload } = useFetch<CompletenessReport>(`/api/cycle/${direction}/${year}`);
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);
  return (
    <section className="card completeness" aria-labelledby="completeness-title">
      <h2 id="completeness-title">Полнота управленческого цикла, {year} год</h2>
      {error ? (
        <ErrorBox error={error} />
      ) : loading && !data ? (
        <Loading />
      ) : data ? (
        <>
          <p className="muted">Этапов с подтверждением: {data.complete} из 9.</p>
          <ol className="stage-list">
            {data.stages.map((s) => (
              <li key={s.code}>
                <strong>{s.title}</strong> <span className={`badge ${STATE_CLASS[s.state]}`}>{STATE_LABEL[s.state]}</span>
                {s.found.length > 0 && (
                  <ul className="small">
                    {s.found.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                )}
                {s.missing.length > 0 && (
                  <ul className="small missing-list">
                    {s.missing.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
