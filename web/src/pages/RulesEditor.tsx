/** The methodology editor's recommendation rules (`recommendation_rules`): condition over an organisation's results
 * (checked while typing against the names a rule may use: indicators, `<показатель>_level`, `_points`,
 * `total_points`), addressee, text, days to the deadline, source; rules are added and removed. */
import { ADDRESSEE_KINDS, ADDRESSEE_LABELS } from '../../../src/core/cycle/api-schema.ts';
import type { RecommendationRuleDef } from '../../../src/core/cycle/recommendation-rule-schema.ts';
import { checkFormula } from '../../../src/core/methodology/expression.ts';
import { Field } from '../components/Field.tsx';
import { parseNumber } from './BandsEditor.tsx';

export interface RuleDraft { id: string; when: string; addressee: RecommendationRuleDef['addressee']; text: string; dueDays: string; source: string }

export function ruleDraft(r: RecommendationRuleDef): RuleDraft {
  return { id: r.id, when: r.when, addressee: r.addressee, text: r.text, dueDays: r.due_days === undefined ? '' : String(r.due_days), source: r.source ?? '' };
}

/** The rule to save, or the Russian message about what is wrong with it. */
export function ruleOf(d: RuleDraft, n: number, known: ReadonlySet<string>): { ok: true; rule: RecommendationRuleDef } | { ok: false; message: string } {
  const where = `правило ${n + 1}${d.id ? ` «${d.id}»` : ''}`;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(d.id)) return { ok: false, message: `${where}: код — строчные латинские буквы, цифры, «_», «-»` };
  if (!d.when.trim()) return { ok: false, message: `${where}: нет условия` };
  const wrong = checkFormula(d.when, known);
  if (wrong) return { ok: false, message: `${where}, условие: ${wrong.message}` };
  if (!d.text.trim()) return { ok: false, message: `${where}: нет текста рекомендации` };
  const due = parseNumber(d.dueDays);
  if (due === null || (due !== undefined && (!Number.isInteger(due) || due < 1 || due > 730))) return { ok: false, message: `${where}: срок — целое число дней от 1 до 730` };
  const rule: RecommendationRuleDef = { id: d.id, when: d.when.trim(), addressee: d.addressee, text: d.text.trim() };
  if (due !== undefined) rule.due_days = due;
  if (d.source.trim()) rule.source = d.source.trim();
  return { ok: true, rule };
}

const EMPTY: RuleDraft = { id: '', when: '', addressee: 'organisation', text: '', dueDays: '', source: '' };

export function RulesEditor({ rules, known, onChange }: { rules: RuleDraft[]; known: ReadonlySet<string>; onChange: (r: RuleDraft[]) => void }) {
  const set = (i: number, patch: Partial<RuleDraft>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">Правила адресных рекомендаций</h2>
      <p className="muted">
        Условие — над результатами организации: показатель (значение), «показатель_level» (high, above_average, average, below_average, low),
        «показатель_points», total_points. Например: <code>coverage_share &lt; 75</code>.
      </p>
      {rules.map((r, i) => {
        const check = ruleOf(r, i, known);
        return (
          <fieldset key={i} className="card">
            <legend>Правило {i + 1}{r.id ? ` «${r.id}»` : ''}</legend>
            <div className="form-row">
              <Field label={`Правило ${i + 1}: код`}>
                <input value={r.id} onChange={(e) => set(i, { id: e.target.value })} />
              </Field>
              <Field label={`Правило ${i + 1}: адресат`}>
                <select value={r.addressee} onChange={(e) => set(i, { addressee: e.target.value as RuleDraft['addressee'] })}>
                  {ADDRESSEE_KINDS.map((k) => <option key={k} value={k}>{ADDRESSEE_LABELS[k]}</option>)}
                </select>
              </Field>
            </div>
            <Field label={`Правило ${i + 1}: условие`} error={check.ok ? undefined : check.message}>
              <input className="code-input" spellCheck={false} value={r.when} onChange={(e) => set(i, { when: e.target.value })} />
            </Field>
            <Field label={`Правило ${i + 1}: текст рекомендации`}>
              <textarea rows={2} value={r.text} onChange={(e) => set(i, { text: e.target.value })} />
            </Field>
            <div className="form-row">
              <Field label={`Правило ${i + 1}: срок, дней`}>
                <input inputMode="numeric" value={r.dueDays} onChange={(e) => set(i, { dueDays: e.target.value })} />
              </Field>
              <Field label={`Правило ${i + 1}: источник`}>
                <input value={r.source} onChange={(e) => set(i, { source: e.target.value })} />
              </Field>
            </div>
            <button type="button" className="btn" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
              Удалить правило {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="btn" onClick={() => onChange([...rules, { ...EMPTY }])}>
        Добавить правило
      </button>
    </section>
  );
}
