/** The demo municipality's year as plain data: how seed 004's totals are spread over organisations, the answers that
 * reproduce the parents' survey counts, the synthetic previous year, and dates relative to the seeding day. Pure:
 * the demo services (src/services/demo-*.ts) feed these into the services a user would use. */
import { addDays } from '../calendar/index.ts';
import { largestRemainder } from '../stats/distribution.ts';

/** Splits an integer `total` over `weights` by largest remainder (sums exactly to `total`; zero weight → 0). */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  if (weights.every((w) => w <= 0)) return weights.map(() => 0);
  return largestRemainder(weights, 0, total);
}

export interface LoyaltyCounts {
  promoters: number;
  neutrals: number;
  critics: number;
}

/** Scores 0–10 of `counts` respondents, deterministic: promoters 10/9, neutrals 8/7, critics 6…0 in turn. */
export function loyaltyScores(c: LoyaltyCounts): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.promoters; i++) out.push(i % 3 === 2 ? 9 : 10);
  for (let i = 0; i < c.neutrals; i++) out.push(i % 2 === 0 ? 8 : 7);
  for (let i = 0; i < c.critics; i++) out.push(6 - (i % 7));
  return out;
}

/** Interleaves the scores so that any prefix of the sequence has about the group's proportions (an interrupted
 * seeding leaves plausible partial results, and resuming appends the rest). */
export function interleave(scores: readonly number[]): number[] {
  const groups = [scores.filter((s) => s >= 9), scores.filter((s) => s === 7 || s === 8), scores.filter((s) => s <= 6)];
  const total = scores.length;
  const taken = [0, 0, 0];
  const out: number[] = [];
  for (let i = 0; i < total; i++) {
    let best = -1;
    let bestLag = -Infinity;
    groups.forEach((g, k) => {
      if (taken[k]! >= g.length) return;
      const lag = ((i + 1) * g.length) / total - taken[k]!;
      if (lag > bestLag) {
        bestLag = lag;
        best = k;
      }
    });
    out.push(groups[best]![taken[best]!]!);
    taken[best]!++;
  }
  return out;
}

/** Per-organisation loyalty counts of one organisation type: respondents split by `weights`, then each category
 * split in proportion so the type's promoters, neutrals and critics sum exactly to the printed counts. */
export function splitLoyalty(total: LoyaltyCounts, weights: readonly number[]): LoyaltyCounts[] {
  const respondents = apportion(total.promoters + total.neutrals + total.critics, weights);
  const promoters = apportion(total.promoters, respondents);
  const rest = respondents.map((r, i) => r - promoters[i]!);
  const neutrals = apportion(total.neutrals, rest);
  // Critics take what is left of each organisation; neutrals were apportioned over the same remainders, so the
  // critics also sum to the type's total.
  return respondents.map((_, i) => ({ promoters: promoters[i]!, neutrals: neutrals[i]!, critics: rest[i]! - neutrals[i]! }));
}

export interface OrganisationFigures {
  students: number;
  programmes: number;
  surveyedStudents: number;
}

/** The synthetic previous year («синтетические данные демо»): a little larger enrolment, fewer programmes, fewer
 * surveyed students, so the diversity index and the survey share grow into the real figures of the next year. */
export function syntheticPreviousYear(f: OrganisationFigures, no: number): OrganisationFigures {
  const programmesFactor = [0.7, 0.8, 0.9, 0.75, 1][no % 5]!;
  return {
    students: Math.round(f.students * (1 + (no % 4) / 100)),
    programmes: Math.max(1, Math.round(f.programmes * programmesFactor)),
    surveyedStudents: Math.round(f.surveyedStudents * 0.65),
  };
}

/** The current academic year of a day: 1 September starts it (code `2026/2027`). */
export function academicYearOf(today: string): { start: number; code: string } {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const start = month >= 9 ? year : year - 1;
  return { start, code: `${start}/${start + 1}` };
}

/** Dates of the open campaign of the current year: opened four weeks ago, due three days ago (so organisations that
 * have not submitted are overdue), closing in three weeks. */
export function currentCampaignDates(today: string): { opensOn: string; dueOn: string; closesOn: string } {
  return { opensOn: addDays(today, -28), dueOn: addDays(today, -3), closesOn: addDays(today, 21) };
}

/** What happens to each organisation in the open campaign, by registry number: accepted, submitted, returned with a
 * comment, draft (started, overdue) or nothing yet (overdue). Numbers 1 (school №1) and 47 (ДОУ №34) are the demo
 * representatives' organisations. */
export type CurrentState = 'accepted' | 'submitted' | 'returned' | 'draft' | 'not_started';
export function currentCampaignState(no: number): CurrentState {
  if (no === 1) return 'returned';
  if (no === 47) return 'draft';
  if (no === 26) return 'returned';
  if (no % 5 === 0) return 'not_started';
  if (no % 5 === 3) return 'submitted';
  if (no % 7 === 4) return 'draft';
  return 'accepted';
}

/** Current-year figures of an organisation from its seed-004 figures (students a little lower, programmes higher). */
export function currentYearFigures(f: OrganisationFigures, no: number): OrganisationFigures {
  return {
    students: Math.max(1, Math.round(f.students * (1 - (no % 3) / 100))),
    programmes: f.programmes + (no % 4 === 0 ? 2 : 1),
    surveyedStudents: Math.round(f.surveyedStudents * 1.2),
  };
}
