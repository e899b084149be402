/** «Изменить методику»: a new version made from this one in a form — the passport fields (title, goal, expected result,
 * source), each indicator's title, formula, rounding and target, the bands of its scale, the criteria's maxima and the
 * total, the municipal figures and the recommendation rules. «Проверить» shows the changes in words («полоса «средний»: было 2,6–5,0, стало 2,6–5,5») and the linter's
 * remarks (gaps, overlaps, points not adding up); «Что если» computes the draft over a campaign's data; «Сохранить
 * версию» saves it (lint errors refuse it). The base version
 * never changes: campaigns keep the version they were created with. */
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { checkFormula } from '../../../src/core/methodology/expression.ts';
import type { IndicatorDef, Methodology } from '../../../src/core/methodology/schema.ts';
import type { EditPreview, MethodologyEdit } from '../../../src/services/methodology/methodology-edit.ts';
import type { MethodologyVersionDetail } from '../../../src/services/methodology/methodology-versions.ts';
import { ApiError, api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { ErrorBox, Loading, PageError } from '../components/Status.tsx';
import { useFetch } from '../useFetch.ts';
import { BandsEditor, bandDraft, bandOf, numberText, parseNumber, type BandDraft } from './BandsEditor.tsx';
import { WhatIfPanel } from './WhatIfPanel.tsx';
import { AggregatesEditor, aggregateDraft, aggregateOf, type AggregateDraft } from './AggregatesEditor.tsx';
import { RulesEditor, ruleDraft, ruleOf, type RuleDraft } from './RulesEditor.tsx';
import { ruleNames } from '../../../src/core/cycle/recommendation-rules.ts';

type Edit = MethodologyEdit['edits'][number];
const HEADER = [
  ['title', 'Название'],
  ['goal', 'Цель (паспорт)'],
  ['expected_result', 'Ожидаемый результат (паспорт)'],
  ['source', 'Документ-источник'],
] as const;
type HeaderKey = (typeof HEADER)[number][0];

interface IndicatorDraft { title: string; code: string; formula: string; round: string; target: string }

/** Another indicator of the form with the same code, unless the base version already had both so (a passport of seed
 * 001 numbers two indicators «1.1»: not the form's to refuse). */
function codeClash(m: Methodology, drafts: Record<string, IndicatorDraft>, id: string, code: string): [string, IndicatorDraft] | undefined {
  if (!code.trim()) return undefined;
  const changed = (x: string, c: string) => c.trim() !== (m.indicators[x]?.code ?? '');
  return Object.entries(drafts).find(([x, d]) => x !== id && d.code.trim() === code.trim() && (changed(id, code) || changed(x, d.code)));
}


/** «2021.1» → «2021.2», «3» → «4», otherwise «<version>.1». */
export function nextVersion(v: string): string {
  const m = /^(.*?)(\d+)$/.exec(v);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${v}.1`;
}

/** The first indicator using each scale edits it (a scale shared by 1.1 and 3.1 is shown once, under 1.1). */
function scaleOwners(m: Methodology): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, d] of Object.entries(m.indicators)) if (d.scale && m.scales?.[d.scale]) out.set(d.scale, [...(out.get(d.scale) ?? []), id]);
  return out;
}

export function MethodologyEditPage() {
  const { id = '', version = '' } = useParams();
  const { data, error, loading } = useFetch<MethodologyVersionDetail>(`/api/methodologies/${encodeURIComponent(id)}/${encodeURIComponent(version)}`);
  if (error) return <PageError error={error} />;
  if (loading || !data) return <Loading />;
  return <EditForm base={data} />;
}

function EditForm({ base }: { base: MethodologyVersionDetail }) {
  const navigate = useNavigate();
  const m = base.methodology;
  const owners = useMemo(() => scaleOwners(m), [m]);
  const known = useMemo(() => new Set([...Object.keys(m.inputs), ...Object.keys(m.indicators)]), [m]);
  const inputList = useMemo(() => Object.entries(m.inputs).map(([id, d]) => `${id} (${d.title})`).join(', '), [m]);
  const [newVersion, setNewVersion] = useState(nextVersion(base.version));
  const [header, setHeader] = useState<Record<HeaderKey, string>>(() => ({ title: m.title, goal: m.goal ?? '', expected_result: m.expected_result ?? '', source: m.source ?? '' }));
  const [indicators, setIndicators] = useState<Record<string, IndicatorDraft>>(() =>
    Object.fromEntries(Object.entries(m.indicators).map(([k, d]) => [k, { title: d.title, code: d.code ?? '', formula: d.formula ?? '', round: numberText(d.round), target: numberText(d.target) }])),
  );
  const [scales, setScales] = useState<Record<string, BandDraft[]>>(() => Object.fromEntries(Object.entries(m.scales ?? {}).map(([k, s]) => [k, s.bands.map(bandDraft)])));
  /** Scales added in the form to indicators that had none (a passport's «scale: none»): indicator → scale name. */
  const [added, setAdded] = useState<Record<string, string>>({});
  const [criteria, setCriteria] = useState<string[]>(() => (m.criteria ?? []).map((c) => numberText(c.max)));
  const [totalMax, setTotalMax] = useState(numberText(m.total?.max));
  const [aggregates, setAggregates] = useState<Record<string, AggregateDraft>>(() => Object.fromEntries(Object.entries(m.aggregates ?? {}).map(([k, a]) => [k, aggregateDraft(a)])));
  const [rules, setRules] = useState<RuleDraft[]>(() => (m.recommendation_rules ?? []).map(ruleDraft));
  const ruleKnown = useMemo(() => ruleNames(m), [m]);
  const [preview, setPreview] = useState<{ key: string; answer: EditPreview } | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  /** The edits against the base, or the problems that keep them from being sent. */
  const built = useMemo(() => {
    const edits: Edit[] = [];
    const problems: string[] = [];
    const setText = (path: (string | number)[], was: string | undefined, now: string, required = false) => {
      if ((was ?? '') === now.trim()) return;
      if (now.trim() === '') {
        if (required) problems.push(`${path.join('.')}: пустое значение`);
        else edits.push({ path, remove: true });
      } else edits.push({ path, value: now.trim() });
    };
    const setNumber = (path: (string | number)[], was: number | undefined, now: string, what: string, integer = false) => {
      const v = parseNumber(now);
      if (v === null || (integer && v !== undefined && !Number.isInteger(v))) {
        problems.push(`${what}: «${now}» — не ${integer ? 'целое ' : ''}число`);
        return;
      }
      if (v === was) return;
      edits.push(v === undefined ? { path, remove: true } : { path, value: v });
    };
    for (const [key] of HEADER) setText([key], m[key], header[key], key === 'title');
    for (const [id, d] of Object.entries(indicators)) {
      const def = m.indicators[id] as IndicatorDef;
      const name = `показатель ${def.code ?? id}`;
      setText(['indicators', id, 'title'], def.title, d.title, true);
      setText(['indicators', id, 'code'], def.code, d.code);
      const sameCode = codeClash(m, indicators, id, d.code);
      if (sameCode && sameCode[0] > id) problems.push(`код показателя «${d.code.trim()}» повторяется: он и у «${sameCode[1].title}», и у «${d.title}» — коды не повторяются`);
      if (def.formula !== undefined || d.formula.trim()) {
        const wrong = d.formula.trim() ? checkFormula(d.formula, known) : null;
        if (wrong) problems.push(`${name}, формула: ${wrong.message}`);
        setText(['indicators', id, 'formula'], def.formula?.trim(), d.formula, def.formula !== undefined);
      }
      setNumber(['indicators', id, 'round'], def.round, d.round, `${name}, знаков после запятой`, true);
      setNumber(['indicators', id, 'target'], def.target, d.target, `${name}, целевой показатель`);
      const newScale = added[id];
      if (newScale) {
        edits.push({ path: ['indicators', id, 'scale'], value: newScale });
        if (def.scale_note !== undefined) edits.push({ path: ['indicators', id, 'scale_note'], remove: true });
      }
    }
    for (const [name, drafts] of Object.entries(scales)) {
      const bands = drafts.map((b, i) => bandOf(b, i));
      const bad = bands.find((b) => !b.ok);
      if (bad && !bad.ok) {
        problems.push(`шкала ${name}: ${bad.message}`);
        continue;
      }
      const now = bands.map((b) => (b.ok ? b.band : null));
      if (JSON.stringify(now) !== JSON.stringify(m.scales?.[name]?.bands)) edits.push({ path: ['scales', name, 'bands'], value: now });
    }
    (m.criteria ?? []).forEach((c, i) => setNumber(['criteria', i, 'max'], c.max, criteria[i] ?? '', `критерий ${c.id}, максимум`));
    if (m.total) setNumber(['total', 'max'], m.total.max, totalMax, 'максимальное количество баллов');
    for (const [id, d] of Object.entries(aggregates)) {
      const r = aggregateOf(id, d);
      if (!r.ok) problems.push(r.message);
      else if (JSON.stringify(r.def) !== JSON.stringify(m.aggregates?.[id])) edits.push({ path: ['aggregates', id], value: r.def });
    }
    const checked = rules.map((r, i) => ruleOf(r, i, ruleKnown));
    for (const r of checked) if (!r.ok) problems.push(r.message);
    const now = checked.flatMap((r) => (r.ok ? [r.rule] : []));
    if (checked.every((r) => r.ok) && JSON.stringify(now) !== JSON.stringify(m.recommendation_rules ?? [])) {
      edits.push(now.length || m.recommendation_rules ? { path: ['recommendation_rules'], value: now } : { path: ['recommendation_rules'], remove: true });
    }
    return { edits, problems };
  }, [m, known, ruleKnown, header, indicators, scales, added, criteria, totalMax, aggregates, rules]);

  const body = { version: newVersion.trim(), edits: built.edits };
  const key = JSON.stringify(body);
  const base_ = `/api/methodologies/${encodeURIComponent(base.id)}/${encodeURIComponent(base.version)}/edits`;
  const upToDate = preview?.key === key;
  const check = upToDate ? preview.answer.check : null;
  const canSave = !busy && upToDate && built.problems.length === 0 && check?.ok === true && !check.exists && built.edits.length > 0;

  const run = async (save: boolean) => {
    setError(null);
    if (!newVersion.trim()) return setError('Укажите номер новой версии.');
    if (built.problems.length) return setError(`Исправьте поля: ${built.problems.join('; ')}.`);
    setBusy(true);
    try {
      if (save) {
        const saved = await api.post<{ id: string; version: string }>(base_, body);
        navigate(`/methodologies/${encodeURIComponent(saved.id)}/${encodeURIComponent(saved.version)}`);
      } else setPreview({ key, answer: await api.post<EditPreview>(`${base_}/preview`, body) });
    } catch (err) {
      setError(err instanceof ApiError ? err : 'Сервер недоступен.');
    } finally {
      setBusy(false);
    }
  };

  const formulaError = (src: string): string | undefined => {
    const e = src.trim() ? checkFormula(src, known) : null;
    return e ? `позиция ${e.column}${e.line > 1 ? `, строка ${e.line}` : ''}: ${e.message}` : undefined;
  };

  /** A code another indicator of the form already has. */
  const codeError = (id: string, code: string): string | undefined => {
    const other = codeClash(m, indicators, id, code);
    return other ? `Код «${code.trim()}» уже у показателя «${other[1].title}»` : undefined;
  };

  const indicatorFields = (id: string) => {
    const def = m.indicators[id];
    const d = indicators[id];
    if (!def || !d) return null;
    const set = (patch: Partial<IndicatorDraft>) => setIndicators({ ...indicators, [id]: { ...d, ...patch } });
    const scale = added[id] ?? (def.scale && owners.get(def.scale)?.[0] === id ? def.scale : null);
    const canAdd = !scale && !added[id] && (def.scale === undefined || def.scale === 'none' || !m.scales?.[def.scale]);
    const addScale = () => {
      let name = `${id}_scale`;
      for (let n = 2; m.scales?.[name] || scales[name]; n++) name = `${id}_scale_${n}`;
      setScales({ ...scales, [name]: [bandDraft({})] });
      setAdded({ ...added, [id]: name });
    };
    const shared = scale ? (owners.get(scale) ?? []).map((x) => m.indicators[x]?.code ?? x) : [];
    const name = `${def.code ? `${def.code} ` : ''}${def.title}`;
    return (
      <details key={id} className="card indicator-edit">
        <summary>{name}</summary>
        <Field label="Название показателя">
          <input value={d.title} onChange={(e) => set({ title: e.target.value })} />
        </Field>
        <Field label="Код (номер в документе)" hint="Например, «2.1»; по коду показатель находят в отчётах и таблицах" error={codeError(id, d.code)}>
          <input value={d.code} onChange={(e) => set({ code: e.target.value })} />
        </Field>
        {(def.formula !== undefined || !def.loyalty) && (
          <Field label="Формула" hint={`+ - * /, share(a, b), if(условие, a, b), min, max, sum, abs, round(x, n); входы: ${inputList}`} error={formulaError(d.formula)}>
            <textarea className="code-input" rows={2} spellCheck={false} value={d.formula} onChange={(e) => set({ formula: e.target.value })} />
          </Field>
        )}
        <div className="form-row">
          <Field label="Знаков после запятой">
            <input inputMode="numeric" value={d.round} onChange={(e) => set({ round: e.target.value })} />
          </Field>
          <Field label="Целевой показатель">
            <input inputMode="decimal" value={d.target} onChange={(e) => set({ target: e.target.value })} />
          </Field>
        </div>
        {canAdd && (
          <p>
            {def.scale_note ? <span className="muted">Шкалы нет: {def.scale_note} </span> : <span className="muted">Шкалы нет: значение не оценивается уровнем и баллами. </span>}
            <button type="button" className="btn" onClick={addScale}>Добавить шкалу</button>
          </p>
        )}
        {scale && (
          <>
            <h4>Полосы шкалы{shared.length > 1 ? ` (общая для показателей ${shared.join(', ')})` : ''}</h4>
            <BandsEditor caption={`Полосы показателя ${def.code ?? id}`} bands={scales[scale] ?? []} onChange={(b) => setScales({ ...scales, [scale]: b })} />
          </>
        )}
      </details>
    );
  };

  const inCriteria = new Set((m.criteria ?? []).flatMap((c) => c.indicators));
  const others = Object.keys(m.indicators).filter((id) => !inCriteria.has(id));
  return (
    <section aria-labelledby="edit-title">
      <p className="breadcrumbs">
        <Link to="/methodologies">Методики</Link> / <Link to={`/methodologies/${encodeURIComponent(base.id)}/${encodeURIComponent(base.version)}`}>{base.title}</Link> / Новая версия
      </p>
      <h1 id="edit-title">Новая версия методики «{base.title}»</h1>
      <p className="muted">
        На основе версии {base.version}. Сохранение создаёт новую версию; версия {base.version} и мониторинги на ней не меняются.
      </p>
      <div className="card form">
        <div className="form-row">
          <Field label="Номер новой версии">
            <input value={newVersion} onChange={(e) => setNewVersion(e.target.value)} />
          </Field>
        </div>
        {HEADER.map(([k, label]) => (
          <Field key={k} label={label}>
            {k === 'title' ? (
              <input value={header[k]} onChange={(e) => setHeader({ ...header, [k]: e.target.value })} />
            ) : (
              <textarea rows={k === 'source' ? 1 : 3} value={header[k]} onChange={(e) => setHeader({ ...header, [k]: e.target.value })} />
            )}
          </Field>
        ))}
        {m.total && (
          <Field label="Максимальное количество баллов">
            <input inputMode="decimal" value={totalMax} onChange={(e) => setTotalMax(e.target.value)} />
          </Field>
        )}
      </div>

      {(m.criteria ?? []).map((c, i) => (
        <section key={c.id} aria-label={`Критерий ${c.id}`}>
          <h2>Критерий {c.id}. {c.title}</h2>
          <Field label={`Критерий ${c.id}: максимум баллов`}>
            <input inputMode="decimal" value={criteria[i] ?? ''} onChange={(e) => setCriteria(criteria.map((x, j) => (j === i ? e.target.value : x)))} />
          </Field>
          {c.indicators.map(indicatorFields)}
        </section>
      ))}
      {others.length > 0 && (
        <section aria-label="Показатели без критериев">
          <h2>{m.criteria?.length ? 'Другие показатели' : 'Показатели'}</h2>
          {others.map(indicatorFields)}
        </section>
      )}

      <AggregatesEditor m={m} drafts={aggregates} onChange={setAggregates} />
      <RulesEditor rules={rules} known={ruleKnown} onChange={setRules} />

      <WhatIfPanel methodologyId={base.id} methodologyVersion={base.version} body={body} problems={built.problems.length} />

      <div className="card form edit-check" aria-live="polite">
        <ErrorBox error={error} />
        {built.problems.length > 0 && (
          <div className="alert alert-error" role="alert">
            Поля, которые нужно исправить:
            <ul className="lint-list">{built.problems.map((p) => <li key={p}>{p}</li>)}</ul>
          </div>
        )}
        {upToDate && <EditCheck answer={preview.answer} />}
        <p className="muted">Изменений в форме: {built.edits.length}.</p>
        <div className="actions">
          <button type="button" className="btn" disabled={busy} onClick={() => void run(false)}>Проверить</button>
          <button type="button" className="btn btn-primary" disabled={!canSave} onClick={() => void run(true)}>Сохранить версию</button>
        </div>
      </div>
    </section>
  );
}

function EditCheck({ answer }: { answer: EditPreview }) {
  const c = answer.check;
  if (!c.ok)
    return (
      <div className="alert alert-error" role="alert">
        Методика не читается: <ul className="lint-list">{c.errors.map((e, n) => <li key={n}>{e.message}</li>)}</ul>
      </div>
    );
  const errors = c.lint.filter((l) => l.severity === 'error');
  return (
    <div role="status">
      {c.exists && <div className="alert alert-error">Версия {c.version} уже существует — укажите другой номер.</div>}
      <h3>Что изменится ({answer.changes.length})</h3>
      {answer.changes.length ? (
        <ul className="lint-list" aria-label="Изменения новой версии">{answer.changes.map((x) => <li key={x.path + x.text}>{x.text}</li>)}</ul>
      ) : (
        <p>Изменений нет.</p>
      )}
      {c.lint.length > 0 && (
        <div className={`alert ${errors.length ? 'alert-error' : 'alert-info'}`}>
          {errors.length ? `Ошибки проверки (${errors.length}) — сохранить нельзя:` : 'Замечания проверки (сохранить можно):'}
          <ul className="lint-list" aria-label="Замечания проверки">
            {[...errors, ...c.lint.filter((l) => l.severity !== 'error')].map((l, n) => (
              <li key={n}>{l.severity === 'error' ? 'ошибка' : 'предупреждение'}: {l.message}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
