/**
 * The statistics of batch experiments: mean, standard deviation, Student-t quantiles and the 95%
 * confidence intervals of a mean and of paired differences (common random numbers make the
 * arms of a comparison paired, so the interval of the differences is the honest one).
 *
 * The t quantile inverts the t CDF, written with the regularized incomplete beta function
 * (continued fraction, Numerical Recipes 3rd ed. section 6.4), by bisection to full double
 * precision; test/experiments/stats.test.ts checks it against printed table values.
 */

/** Arithmetic mean (NaN for no values). */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator; NaN below two values). */
export function sd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** Sample variance (n - 1 in the denominator). */
export function variance(xs: ArrayLike<number>): number {
  return sd(xs) ** 2;
}

const LANCZOS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 607/128, relative error below 1e-15). */
export function lnGamma(x: number): number {
  let y = x;
  const tmp = x + 5.24218750000000000 - (x + 0.5) * Math.log(x + 5.24218750000000000);
  let ser = 0.999999999999997092;
  for (const c of LANCZOS) ser += c / ++y;
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  // The fraction converges fast only on one side of the mean; use the symmetry on the other.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalCdf(t);
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** erfc to ~1e-15: a power series near zero, a continued fraction in the tails. */
function erfc(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2) {
    // Series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)).
    let term = ax, sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction (Lentz) for erfc at large x.
    const tiny = 1e-300;
    let f = ax, c = ax, d = 0;
    for (let n = 1; n < 500; n++) {
      const an = n / 2;
      d = ax + an * d; if (Math.abs(d) < tiny) d = tiny;
      c = ax + an / c; if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      const del = c * d;
      f *= del;
      if (Math.abs(del - 1) < 1e-16) break;
    }
    r = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  }
  return x >= 0 ? r : 2 - r;
}

/** The p-quantile of Student's t with `df` degrees of freedom (df may be Infinity). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  // Bracket then bisect: the CDF is monotone, so bisection cannot fail, and 200 halvings reach
  // the resolution of a double long before the loop ends.
  let lo = 0, hi = 1;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** A mean with its confidence interval. */
export interface Interval {
  n: number;
  mean: number;
  sd: number;
  /** Lower and upper bounds of the interval (NaN below two values). */
  low: number;
  high: number;
}

/**
 * The values of `xs` that are defined: an undefined metric (NaN: a share of nothing, a median of
 * no answers) is left out of means and out of n, never read as 0.
 */
export function defined(xs: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (!Number.isNaN(xs[i])) out.push(xs[i]);
  return out;
}

/** The `level` (default 95%) t interval of the mean of `xs`; NaN values are left out (`n` counts the rest). */
export function meanInterval(values: ArrayLike<number>, level = 0.95): Interval {
  const xs = defined(values);
  const n = xs.length;
  const m = mean(xs);
  const s = sd(xs);
  if (n < 2) return { n, mean: m, sd: s, low: NaN, high: NaN };
  const half = (tQuantile(0.5 + level / 2, n - 1) * s) / Math.sqrt(n);
  return { n, mean: m, sd: s, low: m - half, high: m + half };
}

/** Relative change from `a` to `b`: (b - a) / |a| (NaN when a is 0). */
export function relativeChange(a: number, b: number): number {
  return a === 0 ? NaN : (b - a) / Math.abs(a);
}

/** The comparison of arm `b` against arm `a` on paired replications. */
export interface PairedDifference {
  /** Replications where both arms have a value (a pair with an undefined value is left out). */
  n: number;
  /** Means of each arm over the paired replications. */
  a: number;
  b: number;
  /** Mean of b - a and its interval. */
  diff: number;
  ciLow: number;
  ciHigh: number;
  relChange: number;
  /** The interval excludes zero. */
  significant: boolean;
}

/**
 * Paired comparison: `a[i]` and `b[i]` come from replication i with the same seed, so the
 * interval is that of the mean of the differences (much narrower than two separate intervals
 * when the seed explains much of the variation). Only pairs where both values are defined (not
 * NaN) count, for the means as for the differences, so both arms are averaged over the same seeds.
 */
export function pairedDifference(armA: ArrayLike<number>, armB: ArrayLike<number>, level = 0.95): PairedDifference {
  if (armA.length !== armB.length) throw new Error(`experiments/stats: paired samples differ in length (${armA.length} vs ${armB.length})`);
  const a: number[] = [], b: number[] = [], d: number[] = [];
  for (let i = 0; i < armA.length; i++) {
    if (Number.isNaN(armA[i]) || Number.isNaN(armB[i])) continue;
    a.push(armA[i]);
    b.push(armB[i]);
    d.push(armB[i] - armA[i]);
  }
  const iv = meanInterval(d, level);
  const ma = mean(a), mb = mean(b);
  return {
    n: d.length,
    a: ma,
    b: mb,
    diff: iv.mean,
    ciLow: iv.low,
    ciHigh: iv.high,
    relChange: relativeChange(ma, mb),
    // A zero-variance difference (identical arms) is significant only if it is not zero itself.
    significant: iv.low > 0 || iv.high < 0 || (iv.sd === 0 && iv.mean !== 0),
  };
}

/** The p-quantile of sorted values (linear interpolation, R's type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
