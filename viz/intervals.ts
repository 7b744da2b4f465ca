/**
 * Means and 95% confidence intervals for compare mode, computed in the browser: a Student-t
 * interval of the mean over replications, and of the paired difference between two strategies
 * run on the same seeds (common random numbers, as the CLI's `compare` does), which is far
 * tighter than comparing two independent means. Pure (no DOM).
 */

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The t quantile for a 95% interval with `df` degrees of freedom. */
export function t975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  return 1.96 + 2.4 / df; // within 0.002 of the exact value above 30
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/** Mean of `values` with a 95% t interval (lo = hi = mean when n < 2). Non-finite values are skipped. */
export function meanInterval(values: readonly number[]): Interval {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = t975(n - 1) * Math.sqrt(variance / n);
  return { mean, lo: mean - half, hi: mean + half, n };
}

/** The mean paired difference b - a over replications that share seeds, with its 95% interval. */
export function pairedDifference(a: readonly number[], b: readonly number[]): Interval {
  const n = Math.min(a.length, b.length);
  const d: number[] = [];
  for (let i = 0; i < n; i++) d.push(b[i] - a[i]);
  return meanInterval(d);
}
