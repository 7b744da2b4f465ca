/**
 * How a run is compared with an observed series (experiments/fit.ts): the columns a fit can
 * compare, a run's days added up over the observed periods, and the distance. Apart from
 * fit.ts so that the executor (experiments/executor.ts) can stop a run once its distance is
 * sure to exceed the tolerance without loading the rest of the fit.
 */
import type { DailyRow } from '../engine/index.js';

export interface ObservedSeries {
  /** Days a period spans: 1 or 7. */
  period: number;
  /** Observed days in all (the last period may be shorter than `period`). */
  days: number;
  /** First day of each period. */
  starts: number[];
  /** Values by column name, one a period (NaN where the file had an empty cell). */
  columns: Record<string, number[]>;
}

type Aggregate = 'sum' | 'last' | 'mean' | 'distinct';

/**
 * The columns a fit can compare, how a run's days add up to a period, and the engine columns
 * read (added together when several). `contributions` is posts and replies together, for logs
 * that cannot tell them apart (private messages, chat: every line a post); the observed series
 * gets it from its posts and replies.
 */
export const FIT_COLUMNS: Record<string, { aggregate: Aggregate; daily: string | string[]; weekly?: string }> = {
  contributions: { aggregate: 'sum', daily: ['posts', 'replies'] },
  posts: { aggregate: 'sum', daily: 'posts' },
  replies: { aggregate: 'sum', daily: 'replies' },
  questions: { aggregate: 'sum', daily: 'questions' },
  joins: { aggregate: 'sum', daily: 'joins' },
  newContributors: { aggregate: 'sum', daily: 'newContributors' },
  contributors: { aggregate: 'distinct', daily: 'contributors', weekly: 'contributorsWeek' },
  members: { aggregate: 'last', daily: 'members' },
  answeredShare: { aggregate: 'mean', daily: 'answeredShare' },
  medianResponseHours: { aggregate: 'mean', daily: 'medianResponseHours' },
};

/** Engine columns a fit column needs at a period length. */
export const engineColumns = (column: string, period: number): string[] => {
  const c = FIT_COLUMNS[column];
  return c.aggregate === 'distinct' && period > 1 ? [c.weekly!] : typeof c.daily === 'string' ? [c.daily] : c.daily;
};

/** A run's value of `column` over each observed period (observed day k = run day k + 1). */
export function simulatedPeriods(series: readonly DailyRow[], column: string, obs: Pick<ObservedSeries, 'period' | 'days' | 'starts'>): number[] {
  const c = FIT_COLUMNS[column];
  const names = engineColumns(column, obs.period);
  const at = (day: number) => {
    const row = series[day] as unknown as Record<string, number> | undefined;
    return row ? names.reduce((s, n) => s + (row[n] ?? NaN), 0) : NaN;
  };
  return obs.starts.map((start) => {
    const first = start + 1;
    const last = Math.min(start + obs.period, obs.days);
    if (c.aggregate === 'last' || c.aggregate === 'distinct') return at(last);
    let s = 0;
    let n = 0;
    for (let d = first; d <= last; d++) {
      const v = at(d);
      if (Number.isFinite(v)) (s += v), n++;
    }
    // A period with no defined day (a run that ended before it, a column the run never filled) is
    // undefined, not zero: the distance penalises it (see MISSING_PENALTY).
    return n ? (c.aggregate === 'sum' ? s : s / n) : NaN;
  });
}

/**
 * The scaled error of a period the run leaves undefined where the observed value is defined (a
 * share with no questions in the run, a median response time with no replies, a period past a
 * run's last day): the error a zero would have plus one whole scale, |observed| / scale + 1. A
 * missing value is thus always farther than any zero and at least a column's typical size away,
 * so a run that fails to produce what was observed never looks like a perfect (or a zero) match.
 */
export const missingError = (observed: number, scale: number): number => Math.abs(observed) / scale + 1;

/**
 * How a period's simulated and observed values are compared: `relative`, their difference over
 * the column's scale (the root mean square of the observed column); `log`, the difference of
 * log(1 + value), a ratio (the scales are then 1). See experiments/fit.ts.
 */
export type FitDistanceKind = 'relative' | 'log';

/** What a run is compared with: the observed periods, the fitted columns' weights and scales. */
export interface FitTarget {
  observed: ObservedSeries;
  weights: Record<string, number>;
  scales: Record<string, number>;
  /** Default `relative`. */
  distance?: FitDistanceKind;
}

/** A value as the distance compares it: log(1 + value) for the `log` distance (negatives as 0). */
const compared = (v: number, kind: FitDistanceKind | undefined) => (kind === 'log' ? Math.log1p(Math.max(0, v)) : v);

/**
 * The distance over the first `periods` observed periods (default all), each column's squares
 * divided by its count over all periods: later periods only add, so the distance of a run cut
 * short is a lower bound on its full distance, and a run past the tolerance can stop there.
 */
function distanceOver(series: readonly DailyRow[], t: FitTarget, periods: number): number {
  let total = 0;
  let wsum = 0;
  for (const [column, w] of Object.entries(t.weights)) {
    const sim = simulatedPeriods(series, column, t.observed);
    const o = t.observed.columns[column].map((v) => compared(v, t.distance));
    let s = 0;
    let n = 0;
    for (let p = 0; p < o.length; p++) {
      if (!Number.isFinite(o[p])) continue;
      n++;
      if (p >= periods) continue;
      s += (Number.isFinite(sim[p]) ? (compared(sim[p], t.distance) - o[p]) / t.scales[column] : missingError(o[p], t.scales[column])) ** 2;
    }
    if (!n) continue;
    total += (w * s) / n;
    wsum += w;
  }
  return wsum > 0 ? Math.sqrt(total / wsum) : NaN;
}

/** The distance of a run from the observed series (see experiments/fit.ts). */
export function fitDistance(series: readonly DailyRow[], obs: ObservedSeries, weights: Record<string, number>, scales: Record<string, number>, distance?: FitDistanceKind): number {
  return distanceOver(series, { observed: obs, weights, scales, distance }, obs.starts.length);
}

/** A lower bound on the distance of a run that has reached the end of period `periods - 1`. */
export function fitLowerBound(series: readonly DailyRow[], t: FitTarget, periods: number): number {
  return distanceOver(series, t, periods);
}
