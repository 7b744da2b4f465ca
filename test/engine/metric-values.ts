/**
 * What a day's or a run's metric values may be: a number inside the metric's range
 * (engine/metrics.ts), or NaN exactly when the metric is undefined (a share of nothing, a median
 * of no answers), never 0 in its place. Shared by the fast-check invariants.
 */
import { expect } from 'vitest';
import { DAILY_METRICS, DAILY_METRIC_NAMES, SUMMARY_METRICS, type DailyMetric, type DailyRow, type RunSummary, type SummaryMetric } from '../../engine/metrics.js';

/** Daily metrics undefined exactly when a condition on the same row holds. */
const UNDEFINED_WHEN: Partial<Record<DailyMetric, (row: DailyRow) => boolean>> = {
  toxicShare: (r) => r.posts + r.replies === 0,
  meanSatisfaction: (r) => r.members === 0,
  nps: (r) => r.surveyResponses === 0,
};
/**
 * Daily metrics that may be undefined for a reason the row does not show: no reads, no question
 * closed, no answer (answers to a flood of direct messages have response times but no question),
 * no visitor (exposure is a mean over today's visitors, leavers included, while active counts the
 * visitors still members at the day's end; day 0 has no visits).
 */
const MAY_BE_UNDEFINED = new Set<DailyMetric>(['toxicSeenShare', 'answeredShare', 'medianResponseHours', 'exposure']);
/** Summary metrics always defined: counts and days. */
const ALWAYS_DEFINED = new Set<SummaryMetric>(['finalMembers', 'peakMembers', 'totalJoins', 'totalChurned', 'totalBanned', 'lastPostDay', 'dead', 'finalCustomers', 'totalConversions', 'totalRecommendations', 'surveyResponses']);

const inRange = (v: number, [lo, hi]: readonly [number, number], what: string) => {
  expect(v, what).toBeGreaterThanOrEqual(lo);
  expect(v, what).toBeLessThanOrEqual(hi);
};

/** Checks every value of a daily row. */
export function expectDailyRow(row: DailyRow): void {
  for (const name of DAILY_METRIC_NAMES) {
    const v = row[name];
    const what = `${name} on day ${row.day}`;
    const when = UNDEFINED_WHEN[name];
    if (when) expect(Number.isNaN(v), `${what} (${v}) is NaN exactly when undefined`).toBe(when(row));
    else if (!MAY_BE_UNDEFINED.has(name)) expect(Number.isNaN(v), `${what} is never NaN`).toBe(false);
    if (!Number.isNaN(v)) inRange(v, DAILY_METRICS[name].range, what);
  }
  expect(row.customers, `customers on day ${row.day}`).toBeLessThanOrEqual(row.members);
  expect(row.surveyResponses, `survey responses on day ${row.day}`).toBeLessThanOrEqual(row.members);
}

/** Checks every summary value: inside the metric's range, NaN only where a metric can be undefined. */
export function expectSummary(summary: RunSummary): void {
  for (const [k, v] of Object.entries(summary) as [SummaryMetric, number][]) {
    if (ALWAYS_DEFINED.has(k)) expect(Number.isNaN(v), `${k} is never NaN`).toBe(false);
    if (!Number.isNaN(v)) inRange(v, SUMMARY_METRICS[k].range, k);
  }
}
