/**
 * Global sensitivity analysis: which levers move a metric most.
 *
 * - Morris elementary effects (Morris 1991; mu* of Campolongo, Cariboni & Saltelli 2007): mu* is
 *   the mean absolute effect of moving one factor by delta (in the unit cube, so factors with
 *   different units compare), sigma its standard deviation (nonlinearity or interactions).
 * - Sobol indices from Saltelli's A/B/AB design: first order by Saltelli et al. (2010, eq. (b)
 *   of table 2), total by Jansen (1999), both divided by the variance of f over A and B.
 *   Confidence intervals are percentile bootstraps over the N sample rows (and over the
 *   trajectories for mu*), as in SALib.
 *
 * The estimators take model outputs in design order (design.ts) and know nothing of the engine
 * (test/experiments/sensitivity.test.ts checks them on the Ishigami function); `sensitivity()`
 * runs the simulation on the design points, each with the experiment's replications, and feeds
 * the estimators the mean of the chosen metric per point.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SummaryMetric } from '../engine/index.js';
import { Stream } from '../engine/rng.js';
import { writeFileAtomic } from './io/atomic-write.js';
import { cell } from './io/csv.js';
import { morrisDesign, saltelliDesign, scaleUnit, type MorrisDesign } from './design.js';
import { Batch, runDesign, type RunFailure, type RunRecord, type RunnerOptions } from './runner.js';
import { hashJson, sensitivityRanges } from './schema.js';
import { mean, quantileSorted, sd } from './stats.js';
import { asResolved, experimentPlan, type ExperimentArg } from './sweep.js';

export interface BootstrapOptions {
  /** Bootstrap resamples for the intervals (default 1000). */
  resamples?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Seed of the resampling stream (default 1). */
  seed?: number;
}

export interface MorrisIndex {
  factor: string;
  /** Mean absolute elementary effect, and its bootstrap interval. */
  muStar: number;
  muStarLow: number;
  muStarHigh: number;
  /** Mean signed elementary effect (effects of both signs cancel). */
  mu: number;
  /** Standard deviation of the elementary effects. */
  sigma: number;
  /** Trajectories used: those where the metric is defined at every point (left out: a failed run, a metric undefined in every replication of a point). */
  n: number;
}

export interface SobolIndex {
  factor: string;
  /** First-order index (share of variance explained by the factor alone) and its interval. */
  S1: number;
  S1Low: number;
  S1High: number;
  /** Total index (alone and in all interactions) and its interval. */
  ST: number;
  STLow: number;
  STHigh: number;
  /** Sample rows used: those where the metric is defined at every point of the row. */
  n: number;
}

/** Percentile interval of `stat` over bootstrap resamples of the given units (row or trajectory indices). */
function bootstrap(units: Int32Array, stat: (pick: Int32Array) => number[], width: number, opts: BootstrapOptions): { low: number[]; high: number[] } {
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const stream = Stream.derive(opts.seed ?? 1, 'bootstrap');
  const draws = Array.from({ length: width }, () => new Float64Array(resamples));
  const n = units.length;
  const pick = new Int32Array(n);
  for (let b = 0; b < resamples && n > 0; b++) {
    for (let i = 0; i < n; i++) pick[i] = units[stream.int(n)];
    stat(pick).forEach((v, i) => (draws[i][b] = v));
  }
  const low: number[] = [], high: number[] = [];
  for (const d of draws) {
    const finite = n > 0 ? d.filter(Number.isFinite).sort() : new Float64Array(0);
    low.push(quantileSorted(finite, (1 - level) / 2));
    high.push(quantileSorted(finite, (1 + level) / 2));
  }
  return { low, high };
}

/**
 * The units (0..n-1) whose outputs are all finite: a run that failed, or a point where the metric
 * is undefined in every replication, leaves NaN, and its unit is left out (counted in `n`).
 */
const finiteUnits = (n: number, ok: (u: number) => boolean) => Int32Array.from({ length: n }, (_, i) => i).filter(ok);

/** Morris mu*, mu and sigma per factor from outputs `y` in the order of `design.points`. */
export function morrisIndices(y: ArrayLike<number>, design: MorrisDesign, names: string[], opts: BootstrapOptions = {}): MorrisIndex[] {
  const { k, delta, moved, sign } = design;
  const r = design.points.length / (k + 1);
  // ee[f][t]: the elementary effect of factor f on trajectory t.
  const ee = Array.from({ length: k }, () => new Float64Array(r));
  for (let t = 0; t < r; t++) {
    for (let s = 0; s < k; s++) {
      const p = t * (k + 1) + s;
      ee[moved[t * k + s]][t] = (y[p + 1] - y[p]) / (sign[t * k + s] * delta);
    }
  }
  const muStarOf = (pick: Int32Array) =>
    ee.map((e) => {
      let s = 0;
      for (const t of pick) s += Math.abs(e[t]);
      return s / pick.length;
    });
  const units = finiteUnits(r, (t) => ee.every((e) => Number.isFinite(e[t])));
  const point = muStarOf(units);
  const ci = bootstrap(units, muStarOf, k, opts);
  return names.map((factor, f) => {
    const effects = Array.from(units, (t) => ee[f][t]);
    return { factor, muStar: point[f], muStarLow: ci.low[f], muStarHigh: ci.high[f], mu: mean(effects), sigma: sd(effects), n: units.length };
  });
}

/** First-order and total Sobol indices from outputs `y` in the order of `saltelliDesign(k, n)`. */
export function sobolIndices(y: ArrayLike<number>, k: number, n: number, names: string[], opts: BootstrapOptions = {}): SobolIndex[] {
  const stride = k + 2;
  if (y.length !== n * stride) throw new Error(`experiments/sensitivity: expected ${n * stride} outputs, got ${y.length}`);
  const estimate = (pick: Int32Array): number[] => {
    // Variance of f over the A and B rows of the resample.
    let s = 0, s2 = 0;
    for (const j of pick) {
      const a = y[j * stride], b = y[j * stride + k + 1];
      s += a + b;
      s2 += a * a + b * b;
    }
    const m = s / (2 * pick.length);
    const v = s2 / (2 * pick.length) - m * m;
    const out: number[] = [];
    for (let i = 0; i < k; i++) {
      let first = 0, total = 0;
      for (const j of pick) {
        const a = y[j * stride], ab = y[j * stride + 1 + i], b = y[j * stride + k + 1];
        first += b * (ab - a);
        total += (a - ab) ** 2;
      }
      out.push(first / pick.length / v, total / (2 * pick.length) / v);
    }
    return out;
  };
  const units = finiteUnits(n, (j) => {
    for (let q = 0; q < stride; q++) if (!Number.isFinite(y[j * stride + q])) return false;
    return true;
  });
  const point = estimate(units);
  const ci = bootstrap(units, estimate, 2 * k, opts);
  return names.map((factor, i) => ({
    factor,
    S1: point[2 * i],
    S1Low: ci.low[2 * i],
    S1High: ci.high[2 * i],
    ST: point[2 * i + 1],
    STLow: ci.low[2 * i + 1],
    STHigh: ci.high[2 * i + 1],
    n: units.length,
  }));
}

/** What `sobolCheck` finds: warnings (empty when the indices are possible) and a sample size to try. */
export interface SobolCheck {
  warnings: string[];
  /** Base samples N that would bring the widest 95% interval to WIDTH_GOAL, when a warning was given. */
  suggestedSamples: number | null;
}

/** Beyond this, an index out of [0, 1] (or S1 above ST) is not rounding but too few samples. */
const SLACK = 0.05;
/** The widest interval a suggested N aims at: indices to about +-0.1, enough to rank levers. */
const WIDTH_GOAL = 0.2;

/**
 * Checks Sobol indices for values no variance decomposition can give: an S1 or ST outside
 * [0, 1], an S1 above its ST, first-order indices adding up to more than 1 (each by more than
 * SLACK), or undefined indices (a metric that did not vary). They come from too few sample rows
 * (the estimators' error falls as 1/sqrt(N)): the suggested N scales N by the square of the
 * widest bootstrap interval over WIDTH_GOAL (at least 4 N when the intervals are undefined).
 */
export function sobolCheck(indices: SobolIndex[], samples: number): SobolCheck {
  const warnings: string[] = [];
  const out = (v: number) => v < -SLACK || v > 1 + SLACK;
  const f = (v: number) => Number(v.toFixed(2));
  for (const s of indices) {
    if (!Number.isFinite(s.S1) || !Number.isFinite(s.ST)) {
      warnings.push(`${s.factor}: indices undefined (the metric did not vary over the ${s.n} sample rows used, or none was usable)`);
      continue;
    }
    if (out(s.S1)) warnings.push(`${s.factor}: S1 = ${f(s.S1)} is outside [0, 1]`);
    if (out(s.ST)) warnings.push(`${s.factor}: ST = ${f(s.ST)} is outside [0, 1]`);
    if (s.S1 > s.ST + SLACK) warnings.push(`${s.factor}: S1 = ${f(s.S1)} exceeds its total index ST = ${f(s.ST)}`);
  }
  const sum = indices.reduce((a, s) => a + (Number.isFinite(s.S1) ? s.S1 : 0), 0);
  if (sum > 1 + SLACK) warnings.push(`the first-order indices add up to ${f(sum)}, more than 1`);
  if (!warnings.length) return { warnings, suggestedSamples: null };
  const widths = indices.flatMap((s) => [s.S1High - s.S1Low, s.STHigh - s.STLow]).filter(Number.isFinite);
  const widest = widths.length ? Math.max(...widths) : NaN;
  const scale = Number.isFinite(widest) && widest > 0 ? Math.max(4, (widest / WIDTH_GOAL) ** 2) : 4;
  const suggestedSamples = niceCeil(samples * scale);
  warnings.push(`too few samples for these indices (N = ${samples}${Number.isFinite(widest) ? `; the widest 95% interval is ${f(widest)} wide` : ''}): try sensitivity.samples = ${suggestedSamples} or more`);
  return { warnings, suggestedSamples };
}

/** Rounds up to two significant digits (13,417 -> 14,000). */
function niceCeil(v: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(v)) - 1);
  return Math.ceil(v / unit) * unit;
}

export interface SensitivityOptions extends RunnerOptions {
  /** Overrides the experiment's `sensitivity.method`. */
  method?: 'morris' | 'sobol';
  /** Overrides the experiment's `sensitivity.metric`. */
  metric?: SummaryMetric;
}

export interface SensitivityResult {
  method: 'morris' | 'sobol';
  metric: SummaryMetric;
  /** Design points run (each with the experiment's replications). */
  points: number;
  /** Morris step as a share of each factor's range (levels / (2 (levels - 1))). */
  delta?: number;
  /** Morris or Sobol indices, one entry per factor in the experiment's order. */
  morris?: MorrisIndex[];
  sobol?: SobolIndex[];
  /** Impossible Sobol indices and what N to try (sobolCheck); empty for Morris and for possible indices. */
  warnings: string[];
  suggestedSamples: number | null;
  failures: RunFailure[];
  out?: string;
}

/** The indices as CSV (the same columns as the objects). */
export function sensitivityCsv(result: SensitivityResult): string {
  const rows: object[] = result.morris ?? result.sobol ?? [];
  const cols = rows.length ? Object.keys(rows[0]) : ['factor'];
  return [['method', 'metric', ...cols].join(','), ...rows.map((r) => [result.method, result.metric, ...cols.map((c) => cell((r as Record<string, string | number>)[c]))].join(','))].join('\n') + '\n';
}

/**
 * Runs a sensitivity analysis of one metric over the experiment's factors (every one a range);
 * with `out`, the runs go to runs.csv and friends like a sweep's, and the indices to
 * sensitivity.csv.
 */
export function sensitivity(experiment: ExperimentArg, options: SensitivityOptions = {}): Batch<RunRecord, SensitivityResult> {
  const exp = asResolved(experiment);
  const opts = exp.spec.sensitivity;
  const method = options.method ?? opts.method;
  const metric = options.metric ?? opts.metric;
  const { names, ranges } = sensitivityRanges(exp.spec);
  const k = names.length;
  const stream = Stream.derive(exp.spec.seed, `sensitivity/${method}`);
  const morris = method === 'morris' ? morrisDesign(k, opts.trajectories, opts.levels, stream) : null;
  const unit = morris ? morris.points : saltelliDesign(k, opts.samples, stream);
  const points = unit.map((u) => scaleUnit(u, ranges));
  // Mean of the metric over each point's replications, from the sorted runs.csv.
  const sum = new Float64Array(points.length);
  const count = new Float64Array(points.length);
  const inner = runDesign(
    experimentPlan(exp, names, points, {
      kind: 'sensitivity',
      hash: hashJson({ experiment: exp.hash, method, design: morris ? [opts.trajectories, opts.levels] : [opts.samples] }),
      series: false,
      metrics: [...new Set([metric, ...exp.spec.metrics])],
      manifest: { method, metric },
      collect: (row) => {
        const v = row.summary[metric];
        if (Number.isFinite(v)) {
          sum[row.point] += v;
          count[row.point]++;
        }
      },
    }),
    options,
  );
  return new Batch<RunRecord, SensitivityResult>(inner.total, inner.skipped, async function* () {
    yield* inner;
    const done = await inner.result;
    const y = Float64Array.from(sum, (s, i) => (count[i] ? s / count[i] : NaN));
    const boot = { resamples: opts.resamples, level: opts.level, seed: exp.spec.seed };
    const result: SensitivityResult = { method, metric, points: points.length, warnings: [], suggestedSamples: null, failures: done.failures, out: done.out };
    if (morris) {
      result.delta = morris.delta;
      result.morris = morrisIndices(y, morris, names, boot);
    } else {
      result.sobol = sobolIndices(y, k, opts.samples, names, boot);
      Object.assign(result, sobolCheck(result.sobol, opts.samples));
    }
    if (done.out) {
      writeFileAtomic(join(done.out, 'sensitivity.csv'), sensitivityCsv(result));
      // the warnings travel with the results: a reader of the directory sees them too
      const manifestPath = join(done.out, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
      writeFileAtomic(manifestPath, `${JSON.stringify({ ...manifest, warnings: result.warnings, suggestedSamples: result.suggestedSamples }, null, 2)}\n`);
    }
    return result;
  });
}
