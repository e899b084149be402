/** One finding of the methodology linter (lint.ts); its own module so that results (run.ts) can carry lint items
 * without depending on the linter, which depends on the recommendation rules, which read results. */
export interface LintItem {
  severity: 'error' | 'warning';
  path: string;
  message: string;
  /** Line/column inside a formula, when the item is about one. */
  formulaLine?: number;
  formulaColumn?: number;
}
