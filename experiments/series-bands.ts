/**
 * The daily series the reports draw (`run --report`, `compare --report`, optimise's
 * report.html), kept over replications as a median with a 5th-95th percentile band per day.
 * A percentile band (not a t interval of the mean) because a manager asks "what range can my
 * community end up in?", which is the spread of the runs, not the precision of their mean.
 *
 * Only the few metrics drawn are kept, as Float32 columns per run, so holding every run of a
 * comparison costs runs x days x 8 x 4 bytes (100 runs of a year: 1.2 MB).
 */
import type { DailyMetric, DailyRow } from '../engine/index.js';
import { quantileSorted } from './stats.js';

/** The series a report draws, in order: size, activity, contribution, toxicity, answers, mood, the manager's hours, customers. */
export const REPORT_SERIES: DailyMetric[] = ['members', 'active', 'contributors', 'toxicShare', 'answeredShare', 'meanSatisfaction', 'managerHoursUsed', 'customers'];

/** One metric's band over replications: per day the median and the 5th and 95th percentiles of the runs that had a value. */
export interface SeriesBand {
  metric: DailyMetric;
  day: number[];
  median: number[];
  low: number[];
  high: number[];
  /** Runs the band is made of. */
  runs: number;
}

/** Collects runs' series by group (an arm, a strategy) and gives their bands. */
export class SeriesBands {
  private readonly runs: Float32Array[][][] = [];
  private readonly days: number[] = [];
  private readonly firstDay: number[] = [];

  constructor(readonly metrics: DailyMetric[] = REPORT_SERIES) {}

  /** Keeps the drawn metrics of one run of `group`. */
  add(group: number, rows: readonly DailyRow[]): void {
    const cols = this.metrics.map((m) => Float32Array.from(rows, (r) => (r[m] == null ? NaN : r[m])));
    (this.runs[group] ??= []).push(cols);
    this.days[group] = Math.max(this.days[group] ?? 0, rows.length);
    if (rows.length) this.firstDay[group] = rows[0].day;
  }

  /** Runs kept for `group`. */
  count(group: number): number {
    return this.runs[group]?.length ?? 0;
  }

  /** The bands of `group` (empty when none of its runs was kept). */
  bands(group: number): SeriesBand[] {
    const runs = this.runs[group] ?? [];
    if (!runs.length) return [];
    const len = this.days[group];
    const day0 = this.firstDay[group] ?? 0;
    return this.metrics.map((metric, k) => {
      const band: SeriesBand = { metric, day: [], median: [], low: [], high: [], runs: runs.length };
      const values: number[] = [];
      for (let d = 0; d < len; d++) {
        values.length = 0;
        for (const run of runs) if (d < run[k].length && !Number.isNaN(run[k][d])) values.push(run[k][d]);
        values.sort((a, b) => a - b);
        band.day.push(day0 + d);
        band.median.push(quantileSorted(values, 0.5));
        band.low.push(quantileSorted(values, 0.05));
        band.high.push(quantileSorted(values, 0.95));
      }
      return band;
    });
  }
}
