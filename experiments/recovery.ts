/**
 * Parameter recovery, the fit's own validation (the fit issue, "Validation"): run a scenario
 * whose parameters are known, keep only what a platform would see of it (weekly contributors,
 * posts, replies, questions), fit the parameters back from their priors, and ask whether each
 * true value lies inside its 90% posterior interval. Over several seeds, a calibrated fit covers
 * the truth in about 90% of cases; a fit that ignores the data (or a mechanism a parameter does
 * not reach) does not. Used by test/experiments/recovery.test.ts (small) and bench/recovery.ts.
 */
import { runScenario, type Scenario } from '../engine/index.js';
import { marginal } from './abc-smc.js';
import type { Executor } from './executor.js';
import { fitObserved, resolveFit, simulatedPeriods, type FitSpec, type ObservedSeries } from './fit.js';
import { withPath } from '../scenarios/schema.js';

/** What a platform's export shows of a community, week by week (no joins or members: many exports lack them). */
export const PLATFORM_COLUMNS = ['contributors', 'posts', 'replies', 'questions'] as const;

export interface RecoveryCase {
  /** The scenario the observed community is run from (its `days` are the observed days). */
  base: Scenario;
  /** The parameters to recover: their true values and the priors the fit searches. */
  params: Record<string, { truth: number; min: number; max: number; scale?: 'linear' | 'log' }>;
  /** The seed of the observed run (the fit has its own). */
  seed: number;
  /** The search (particles, generations, distance, kernel...) and its seed; the rest is FIT.json's defaults. */
  spec: Partial<Pick<FitSpec, 'particles' | 'generations' | 'quantile' | 'seed' | 'distance' | 'kernel'>>;
}

export interface Recovered {
  name: string;
  truth: number;
  lo90: number;
  median: number;
  hi90: number;
  inside: boolean;
}

/** The observed weekly series of a run, as a platform would see it. */
export function platformSeries(base: Scenario, seed: number): ObservedSeries {
  const run = runScenario(base, { seed });
  const weeks = Math.floor(base.days / 7);
  const frame = { period: 7, days: weeks * 7, starts: Array.from({ length: weeks }, (_, k) => 7 * k) };
  return { ...frame, columns: Object.fromEntries(PLATFORM_COLUMNS.map((c) => [c, simulatedPeriods(run.series, c, frame)])) };
}

/** Runs one recovery: the truth's platform series, then a fit of the parameters from their priors. */
export async function recover(c: RecoveryCase, executor: Executor): Promise<{ recovered: Recovered[]; runs: number; ms: number }> {
  const names = Object.keys(c.params);
  const truth = names.reduce((s, n) => withPath(s, n, c.params[n].truth), c.base);
  const observed = platformSeries(truth, c.seed);
  // The fit starts from the base without the true values: the priors are all it knows of them.
  const spec = { ...c.spec, predictive: 10, params: Object.fromEntries(names.map((n) => [n, { min: c.params[n].min, max: c.params[n].max, scale: c.params[n].scale ?? 'linear' }])), columns: Object.fromEntries(PLATFORM_COLUMNS.map((col) => [col, 1])) };
  const fit = resolveFit(spec, observed, c.base);
  const r = await fitObserved(fit, { executor });
  const recovered = names.map((name, i) => {
    const [lo90, median, hi90] = marginal(r.posterior, i, [0.05, 0.5, 0.95]).quantiles;
    const t = c.params[name].truth;
    return { name, truth: t, lo90, median, hi90, inside: lo90 <= t && t <= hi90 };
  });
  return { recovered, runs: r.runs, ms: r.ms };
}
