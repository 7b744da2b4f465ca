/**
 * Comparisons of strategies: two or more arms (scenarios) run with the same replication seeds
 * (common random numbers), so each metric's difference is paired replication by replication and
 * its 95% interval answers "is B better than A, and by how much?". With more than two arms, each
 * arm is compared against the first.
 *
 * ```ts
 * const run = compare([{ name: 'A', scenario: a }, { name: 'B', scenario: b }], { reps: 30 });
 * const { rows } = await run.result; // [{ metric, a, b, diff, ciLow, ciHigh, relChange, significant, n }]
 * ```
 */
import { clipInterval, deriveSeed, summaryMetric, type Scenario, type SummaryMetric } from '../engine/index.js';
import { pairedDifference, type PairedDifference } from './stats.js';
import { DEFAULT_METRICS, HOURS_METRICS, hashJson } from './schema.js';
import { particleOfSeed } from './posterior-draws.js';
import { SeriesBands, type SeriesBand } from './series-bands.js';
import { Batch, runDesign, type RunFailure, type RunRecord, type RunnerOptions } from './runner.js';

export interface Arm {
  name: string;
  scenario: Scenario;
}

export interface CompareOptions extends RunnerOptions {
  /** Replications per arm (default 10). */
  reps?: number;
  /** Base seed (default 1): replication r runs with deriveSeed(seed, r) in every arm. */
  seed?: number;
  /** Metrics to compare (default DEFAULT_METRICS). */
  metrics?: SummaryMetric[];
  /**
   * Keep each arm's main daily series (series-bands.ts) for the report's charts: the result gets
   * `series`. Runs finished before a resume are not run again, so they are not in the bands.
   */
  seriesBands?: boolean;
}

/**
 * One metric of one arm against the first (`a` is the first arm, `b` this one). `n` counts the
 * paired replications where both arms have a value; the interval is clipped to the range of a
 * difference of the metric; `relChange` is NaN except for amounts (counts, hours: see MetricKind).
 */
export type CompareRow = {
  metric: SummaryMetric;
  /** The arm compared with the first (present when there are more than two arms). */
  arm?: string;
} & PairedDifference;

export interface CompareResult {
  arms: string[];
  reps: number;
  seeds: number[];
  rows: CompareRow[];
  /** Per arm: mean hours a day over its runs, in all (`managerHoursUsed`) and by activity (`hours*`). */
  hours: Record<string, number>[];
  /** With a posterior (`options.posterior`): replication r's particle, the same in every arm. */
  particles?: number[];
  failures: RunFailure[];
  out?: string;
  /** With `seriesBands`: per arm, the median and 5th-95th percentile band of the main daily series. */
  series?: SeriesBand[][];
}

/** Runs every arm `reps` times with shared seeds; iterate for runs, await `.result` for the rows. */
export function compare(arms: Arm[], options: CompareOptions = {}): Batch<RunRecord, CompareResult> {
  if (arms.length < 2) throw new Error('experiments/compare: expected at least two arms');
  const reps = options.reps ?? 10;
  const seed = options.seed ?? 1;
  const metrics = options.metrics ?? DEFAULT_METRICS;
  // values[arm][metric][rep], filled from the sorted runs.csv.
  const values = arms.map(() => metrics.map(() => new Float64Array(reps).fill(NaN)));
  const hourKeys: SummaryMetric[] = ['managerHoursUsed', ...HOURS_METRICS];
  const hourSums = arms.map(() => hourKeys.map(() => ({ sum: 0, n: 0 })));
  const inner = runDesign(
    {
      kind: 'compare',
      hash: hashJson({ arms: arms.map((a) => a.scenario), reps, seed }),
      baseSeed: seed,
      reps,
      points: arms.length,
      paramNames: ['arm'],
      paramsOf: (p) => [arms[p].name],
      scenarioOf: (p) => arms[p].scenario,
      series: false,
      keepSeries: options.seriesBands,
      metrics,
      manifest: { arms: arms.map((a) => a.name), scenarioHashes: Object.fromEntries(arms.map((a) => [a.name, hashJson(a.scenario)])) },
      collect: (row) => {
        metrics.forEach((m, i) => (values[row.point][i][row.rep] = row.summary[m]));
        hourKeys.forEach((m, i) => {
          const v = row.summary[m];
          if (Number.isFinite(v)) { hourSums[row.point][i].sum += v; hourSums[row.point][i].n++; }
        });
      },
    },
    options,
  );
  const bands = options.seriesBands ? new SeriesBands() : undefined;
  return new Batch<RunRecord, CompareResult>(inner.total, inner.skipped, async function* () {
    for await (const run of inner) {
      if (bands && run.series) bands.add(run.point, run.series);
      yield run;
    }
    const done = await inner.result;
    const rows: CompareRow[] = [];
    metrics.forEach((metric, i) => {
      for (let arm = 1; arm < arms.length; arm++) {
        // pairs where either arm is undefined (NaN) are left out of n
        const d = pairedDifference(values[0][i], values[arm][i]);
        const def = summaryMetric(metric);
        // a difference of shares cannot pass +-1: clip the symmetric t interval to what it can be
        const [ciLow, ciHigh] = clipInterval(def, d.ciLow, d.ciHigh, true);
        // a relative change means something for amounts (counts, hours); for a share or a rate
        // the difference itself (in percentage points) is the change, and -740% of a growth rate
        // or +2100% of a share from near 0 says nothing
        const relChange = def?.kind === 'amount' ? d.relChange : NaN;
        rows.push({ metric, ...(arms.length > 2 ? { arm: arms[arm].name } : {}), a: d.a, b: d.b, diff: d.diff, ciLow, ciHigh, relChange, significant: d.significant, n: d.n });
      }
    });
    const seeds = Array.from({ length: reps }, (_, r) => deriveSeed(seed, r));
    const hours = hourSums.map((sums) => Object.fromEntries(hourKeys.map((m, i) => [m, sums[i].n ? sums[i].sum / sums[i].n : NaN])));
    const particles = options.posterior ? seeds.map((s) => particleOfSeed(options.posterior!.weights, s)) : undefined;
    return { arms: arms.map((a) => a.name), reps, seeds, rows, hours, ...(particles ? { particles } : {}), failures: done.failures, out: done.out, ...(bands ? { series: arms.map((_, i) => bands.bands(i)) } : {}) };
  });
}
