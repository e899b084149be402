/** Results table of a campaign (organisations × indicators: value, level, points; total), sortable by any column and
 * filtered by organisation type and by attribute («Точка роста»), with the ranking bar chart of one indicator. */
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { ResultsTable } from '../../../../src/core/analysis/index.ts';
import { typeName } from '../../../../src/core/analysis/index.ts';
import { formatNumber, formatYesNo } from '../../../../src/core/format.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { RecordsButton, useRecordInputs } from './RecordsDrillDown.tsx';

type SortKey = 'no' | 'name' | 'type' | 'total' | `ind:${string}`;

export function fmt(v: number | null | undefined, unit: string | null, round: number | null): string {
  if (v === null || v === undefined) return '—';
  return unit === '%' ? `${formatNumber(v, round ?? 1)}\u00A0%` : formatNumber(v, round ?? undefined);
}

export function ResultsSection({ table }: { table: ResultsTable }) {
  const [type, setType] = useState('');
  const [growth, setGrowth] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'no', desc: false });
  const [rankBy, setRankBy] = useState(table.indicators[0]?.id ?? '');
  const types = [...new Set(table.rows.map((r) => r.type ?? ''))].filter(Boolean);
  const { id: campaignId = '' } = useParams();
  const recordInputs = useRecordInputs(campaignId || undefined);

  const rows = useMemo(() => {
    const filtered = table.rows.filter((r) => (!type || r.type === type) && (!growth || r.growthPoint));
    const val = (r: (typeof filtered)[number]): number | string | null => {
      if (sort.key === 'no') return Number(r.no ?? NaN);
      if (sort.key === 'name') return r.name;
      if (sort.key === 'type') return r.type ?? '';
      if (sort.key === 'total') return r.total?.points ?? null;
      return r.cells[sort.key.slice(4)]?.value ?? null;
    };
    return [...filtered].sort((a, b) => {
      const x = val(a);
      const y = val(b);
      if (x === null || (typeof x === 'number' && Number.isNaN(x))) return 1;
      if (y === null || (typeof y === 'number' && Number.isNaN(y))) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'ru');
      return sort.desc ? -c : c;
    });
  }, [table.rows, type, growth, sort]);

  const head = (key: SortKey, label: string, num = false) => {
    const active = sort.key === key;
    return (
      <th scope="col" className={num ? 'num' : undefined} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="link-button" onClick={() => setSort({ key, desc: active ? !sort.desc : key !== 'no' && key !== 'name' && key !== 'type' })}>
          {label}
          {active ? (sort.desc ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };

  const ind = table.indicators.find((i) => i.id === rankBy);
  const ranked = ind ? rows.filter((r) => r.cells[ind.id]?.value !== null && r.cells[ind.id]?.value !== undefined).sort((a, b) => (b.cells[ind.id]!.value ?? 0) - (a.cells[ind.id]!.value ?? 0)) : [];
  const rankingOption: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 110, right: 20, top: 10, bottom: 20 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: ranked.map((r) => r.name), axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', data: ranked.map((r) => r.cells[rankBy]?.value ?? null), itemStyle: { color: '#2f6db5' } }],
  };

  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Результаты организаций</h2>
      <div className="filters">
        <label className="inline-field">
          Тип организации{' '}
          <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Тип организации">
            <option value="">все</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {typeName(t)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={growth} onChange={(e) => setGrowth(e.target.checked)} /> только «Точка роста»
        </label>
        <span className="muted">
          Показано {rows.length} из {table.rows.length}
        </span>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="results-table">
          <caption className="visually-hidden">Результаты организаций по показателям</caption>
          <thead>
            <tr>
              {head('no', '№', true)}
              {head('name', 'Организация')}
              {head('type', 'Тип')}
              {table.indicators.map((i) => (
                <th key={i.id} colSpan={1} scope="col" className="num">
                  <button type="button" className="link-button" title={i.title} onClick={() => setSort({ key: `ind:${i.id}`, desc: sort.key === `ind:${i.id}` ? !sort.desc : true })}>
                    {i.code ?? i.id}
                    {sort.key === `ind:${i.id}` ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
              {table.maxPoints !== null && head('total', `Сумма баллов (из ${formatNumber(table.maxPoints)})`, true)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td className="num">{r.no}</td>
                <td>
                  {r.name}
                  {r.id && recordInputs.length > 0 && (
                    <>
                      {' '}
                      <RecordsButton campaignId={campaignId} organisationId={r.id} organisationName={r.name} inputs={recordInputs} />
                    </>
                  )}
                </td>
                <td>{typeName(r.type, 'short')}</td>
                {table.indicators.map((i) => {
                  const c = r.cells[i.id];
                  return (
                    <td key={i.id} className="num" title={c?.explanation}>
                      {(i.yesNo ? formatYesNo(c?.value) : null) ?? fmt(c?.value, i.unit, i.round)}
                      {c?.level ? <div className="small muted">{c.level}</div> : null}
                      {c?.points !== null && c?.points !== undefined ? <div className="small">{formatNumber(c.points)} б.</div> : null}
                    </td>
                  );
                })}
                {table.maxPoints !== null && <td className="num">{r.total ? `${formatNumber(r.total.points)}${r.total.complete ? '' : ' *'}` : '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.maxPoints !== null && <p className="small muted">* — не по всем показателям организации есть данные. Наведите на значение, чтобы увидеть расчёт.</p>}

      <h3>Рейтинг</h3>
      {table.indicators.length > 1 && (
        <label className="inline-field">
          Показатель{' '}
          <select value={rankBy} onChange={(e) => setRankBy(e.target.value)}>
            {table.indicators.map((i) => (
              <option key={i.id} value={i.id}>
                {i.code ? `${i.code}. ` : ''}
                {i.title}
              </option>
            ))}
          </select>
        </label>
      )}
      {ind && ranked.length > 0 ? <Chart option={rankingOption} height={Math.max(200, ranked.length * 18 + 40)} label={`Рейтинг организаций по показателю «${ind.title}»`} /> : <p className="muted">Нет значений для рейтинга.</p>}
    </section>
  );
}
