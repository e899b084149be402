/** Recommendation rules of a methodology (`recommendation_rules`): lint (the expression parses and names only what a
 * result row provides) and generation of proposed addressed recommendations from computed results. Pure. */
import { checkNames, evaluateExpression, parseExpression, type Value } from '../methodology/expression.ts';
import type { Methodology } from '../methodology/schema.ts';
import type { ResultRow, TotalRow } from '../methodology/run.ts';
import type { AddresseeKindCode, RecommendationRuleDef } from './recommendation-rule-schema.ts';

export interface RuleLintItem { path: string; message: string }

/** Names a rule may use: every indicator, its `_level` and `_points`, and `total_points`. */
export function ruleNames(m: Methodology): Set<string> {
  const names = new Set<string>(['total_points']);
  for (const id of Object.keys(m.indicators)) {
    names.add(id);
    names.add(`${id}_level`);
    names.add(`${id}_points`);
  }
  return names;
}

export function lintRecommendationRules(m: Methodology): RuleLintItem[] {
  const rules = m.recommendation_rules ?? [];
  const out: RuleLintItem[] = [];
  const known = ruleNames(m);
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    const path = `recommendation_rules[${i}]`;
    if (seen.has(r.id)) out.push({ path: `${path}.id`, message: `правило рекомендации «${r.id}» повторяется` });
    seen.add(r.id);
    const parsed = parseExpression(r.when);
    if (!parsed.ok) {
      out.push({ path: `${path}.when`, message: `строка ${parsed.error.line}, столбец ${parsed.error.column} условия: ${parsed.error.message}` });
      return;
    }
    const unknown = checkNames(parsed.expr, known);
    if (unknown) out.push({ path: `${path}.when`, message: `условие правила «${r.id}»: ${unknown.message} (доступны показатели, <показатель>_level, <показатель>_points, total_points)` });
  });
  return out;
}

export interface ProposedRecommendation {
  organisation: string;
  rule: string;
  addressee: AddresseeKindCode;
  text: string;
  dueDays: number | null;
  /** Why: the condition with the organisation's values («coverage_share = 68.2 < 75»). */
  because: string;
}

/** Evaluates each rule for each organisation of the computed results; a rule whose condition cannot be evaluated for
 * lack of data proposes nothing for that organisation (and says so in `skipped`). */
export function proposeRecommendations(
  rules: readonly RecommendationRuleDef[],
  output: { results: readonly ResultRow[]; totals: readonly TotalRow[] },
): { proposals: ProposedRecommendation[]; skipped: { organisation: string; rule: string; reason: string }[] } {
  const envs = new Map<string, Record<string, Value>>();
  for (const r of output.results) {
    const env = envs.get(r.organisation) ?? {};
    env[r.indicator] = r.value;
    env[`${r.indicator}_level`] = r.details.levelCode;
    env[`${r.indicator}_points`] = r.points;
    envs.set(r.organisation, env);
  }
  for (const t of output.totals) {
    const env = envs.get(t.organisation) ?? {};
    env.total_points = t.points;
    envs.set(t.organisation, env);
  }
  const proposals: ProposedRecommendation[] = [];
  const skipped: { organisation: string; rule: string; reason: string }[] = [];
  for (const rule of rules) {
    const parsed = parseExpression(rule.when);
    if (!parsed.ok) throw new Error(`recommendation rule ${rule.id}: ${parsed.error.message}`);
    for (const [organisation, env] of envs) {
      const result = evaluateExpression(parsed.expr, env);
      if (result.value === null) {
        skipped.push({ organisation, rule: rule.id, reason: result.reason ?? 'нет данных' });
        continue;
      }
      if (result.value !== true) continue;
      const used = [...new Set(Object.keys(env).filter((k) => new RegExp(`\\b${k}\\b`).test(rule.when)))];
      proposals.push({
        organisation, rule: rule.id, addressee: rule.addressee, text: rule.text, dueDays: rule.due_days ?? null,
        because: `${rule.when} при ${used.map((k) => `${k} = ${env[k] === null ? '—' : String(env[k])}`).join(', ')}`,
      });
    }
  }
  return { proposals, skipped };
}
