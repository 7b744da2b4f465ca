/**
 * Comparisons of strategies: two or more arms (scenarios) run with the same replication seeds
 * (common random numbers), so each metric's difference is paired replication by replication and
 * its 95% interval answers "is B better than A, and by how much?". With more than two arms, each
 * arm is compared against the first.
 *
 * ```ts
 * const run = compare([{ name: 'A', scenario: a }, { name: 'B', scenario: b }], { reps: 30 });
 * const { rows } = await run.result; // [{ metric, a, b, diff, ciLow, ciHigh, relChange, significant }]
 * ```
 */
import { deriveSeed, type Scenario, type SummaryMetric } from '../engine/index.js';
import { pairedDifference, type PairedDifference } from './stats.js';
import { DEFAULT_METRICS, hashJson } from './schema.js';
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
}

/** One metric of one arm against the first (`a` is the first arm, `b` this one; `n` paired replications used). */
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
  failures: RunFailure[];
  out?: string;
}

/** Runs every arm `reps` times with shared seeds; iterate for runs, await `.result` for the rows. */
export function compare(arms: Arm[], options: CompareOptions = {}): Batch<RunRecord, CompareResult> {
  if (arms.length < 2) throw new Error('experiments/compare: expected at least two arms');
  const reps = options.reps ?? 10;
  const seed = options.seed ?? 1;
  const metrics = options.metrics ?? DEFAULT_METRICS;
  // values[arm][metric][rep], filled from the sorted runs.csv.
  const values = arms.map(() => metrics.map(() => new Float64Array(reps).fill(NaN)));
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
      metrics,
      manifest: { arms: arms.map((a) => a.name), scenarioHashes: Object.fromEntries(arms.map((a) => [a.name, hashJson(a.scenario)])) },
      collect: (row) => metrics.forEach((m, i) => (values[row.point][i][row.rep] = row.summary[m])),
    },
    options,
  );
  return new Batch<RunRecord, CompareResult>(inner.total, inner.skipped, async function* () {
    yield* inner;
    const done = await inner.result;
    const rows: CompareRow[] = [];
    metrics.forEach((metric, i) => {
      for (let arm = 1; arm < arms.length; arm++) {
        const a: number[] = [], b: number[] = [];
        for (let r = 0; r < reps; r++) {
          const x = values[0][i][r], y = values[arm][i][r];
          if (Number.isFinite(x) && Number.isFinite(y)) { a.push(x); b.push(y); }
        }
        const d = pairedDifference(a, b);
        rows.push({ metric, ...(arms.length > 2 ? { arm: arms[arm].name } : {}), a: d.a, b: d.b, diff: d.diff, ciLow: d.ciLow, ciHigh: d.ciHigh, relChange: d.relChange, significant: d.significant, n: d.n });
      }
    });
    const seeds = Array.from({ length: reps }, (_, r) => deriveSeed(seed, r));
    return { arms: arms.map((a) => a.name), reps, seeds, rows, failures: done.failures, out: done.out };
  });
}
