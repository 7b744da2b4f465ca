/**
 * Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC): likelihood-free
 * calibration of a stochastic simulator's parameters to observed data (Toni et al. 2009, J. R.
 * Soc. Interface 6:187; Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96:983).
 *
 * Generation 0 draws particles from the prior and keeps them all. Each later generation t sets
 * its tolerance eps_t to a weighted quantile (default the median) of generation t-1's distances,
 * then proposes parameters by drawing a particle of t-1 by weight and perturbing it with a
 * multivariate normal kernel, simulates, and keeps a proposal when its distance is at most eps_t,
 * until it has `particles` of them. A kept particle weighs prior / sum_j w_j K(theta | theta_j)
 * (importance sampling against the mixture proposal). The kernel is, by default, the optimal
 * local covariance of Filippi, Barnes, Cornebise & Stumpf (2013, Stat. Appl. Genet. Mol. Biol.
 * 12:87): around particle j, the weighted second moment about theta_j of the particles of t-1
 * already within eps_t, which shrinks with the tolerance and follows the posterior's shape; or
 * twice the weighted covariance of the whole population (Beaumont et al. 2009).
 *
 * Parameters are searched in unit coordinates: uniform priors linearly, log-uniform priors on
 * the log scale, so every prior is uniform on [0, 1]^d there, its density a constant, and the
 * weights reduce to 1 / sum_j w_j K. A proposal outside the prior's support is drawn again
 * without being simulated.
 *
 * Generic: the caller's `simulate` takes a batch of proposals (parameters, a seed of their own
 * and the tolerance they must meet, so a run may stop early once it is past it) and returns a
 * distance, or a vector of summaries compared with `observed` on scales set by generation 0
 * (median absolute deviation per component). A batch can go to a worker pool or a queue.
 *
 * Deterministic for a seed, whatever the batch sizes or the order runs finish in: generation t's
 * proposals come from one stream in a fixed sequence, proposal k of generation t is simulated
 * with a seed mixed from (seed, t, k), and the generation keeps the first `particles` accepted
 * proposals in sequence order; runs past the last needed one are wasted, never used.
 */
import { Stream } from '../engine/rng.js';

/** A parameter's prior: uniform on [min, max], or log-uniform (uniform in log) with `log`. */
export interface AbcPrior {
  name: string;
  min: number;
  max: number;
  log?: boolean;
}

/** A proposal to simulate. */
export interface AbcProposal {
  generation: number;
  /** Its place in the generation's sequence of proposals (from 0). */
  index: number;
  /** The seed of this simulation. */
  seed: number;
  /** Parameter values, in the priors' order and units. */
  params: number[];
  /** The distance it must not exceed to be kept (Infinity in generation 0). */
  tolerance: number;
}

/** A simulation's outcome: a distance, or summaries to compare with `observed`. NaN or a failure: rejected. */
export type AbcOutcome = number | readonly number[];

export interface AbcOptions {
  priors: readonly AbcPrior[];
  /** Simulates a batch; returns one outcome per proposal, in order. */
  simulate(batch: AbcProposal[]): Promise<ArrayLike<AbcOutcome>>;
  /** The observed summaries, when `simulate` returns summaries; NaN components are ignored. */
  observed?: readonly number[];
  /** Weights of the summary components (default 1 each). */
  summaryWeights?: readonly number[];
  seed: number;
  /** Particles per generation (default 500). */
  particles?: number;
  /** Generations after the prior's (default 8). */
  generations?: number;
  /** The quantile of the last generation's distances that sets the next tolerance (default 0.5). */
  quantile?: number;
  /** Stop once the tolerance is at most this (default 0). */
  minTolerance?: number;
  /** Stop before a generation whose acceptance would fall below this (judged on the last one; default 0.005). */
  minAcceptance?: number;
  /** The most simulations needed in all; a generation that would pass it is not finished (default unlimited). */
  maxSimulations?: number;
  /** Perturbation kernel (default 'olcm'). */
  kernel?: 'olcm' | 'global';
  /** Proposals per batch at least (e.g. the number of workers; default 1) and at most (default 4 x particles). */
  minBatch?: number;
  maxBatch?: number;
  /** Called when a generation is done. */
  onGeneration?(g: AbcGeneration): void;
  /** Called after every batch. */
  onBatch?(p: { generation: number; tolerance: number; accepted: number; proposed: number }): void;
  /** Resume from finished generations (from an earlier result with the same options): they are kept as they are. */
  resume?: readonly AbcGeneration[];
}

/** A finished generation: its particles (parameter values, by particle then parameter), weights summing to 1, distances. */
export interface AbcGeneration {
  generation: number;
  tolerance: number;
  params: number[][];
  weights: number[];
  distances: number[];
  /** Proposals simulated up to the last kept one (the generation's cost, batch-independent). */
  simulations: number;
  acceptance: number;
  /** Effective sample size of the weights, 1 / sum w^2. */
  ess: number;
  /** Summary scales (from generation 0), when summaries are compared. */
  scales?: number[];
}

export interface AbcResult {
  generations: AbcGeneration[];
  /** The last generation. */
  posterior: AbcGeneration;
  /** Simulations needed (sum of the generations'); `runs` counts the ones actually done, waste included. */
  simulations: number;
  runs: number;
  stopped: 'generations' | 'tolerance' | 'acceptance' | 'simulations';
}

/** A bad option (a prior range, a count): names the option and what was expected. */
export class AbcOptionError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'AbcOptionError';
  }
}

/**
 * The seed of simulation k under `seed`: a murmur3-style integer mix, since a simulation costs
 * less than seedrandom's key schedule when the simulator is cheap (tests run 10^5 of them).
 */
export function proposalSeed(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 0x632be5ab, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Small dense linear algebra (d is the number of fitted parameters: a handful)

/** Lower Cholesky factor of a symmetric d x d matrix (row-major), or null when not positive definite. */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/** A normal kernel: its Cholesky factor and log normalising constant. */
interface Kernel {
  chol: Float64Array;
  logNorm: number;
}

function kernelOf(cov: Float64Array, d: number): Kernel | null {
  const chol = cholesky(cov, d);
  if (!chol) return null;
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(chol[i * d + i]);
  return { chol, logNorm: -0.5 * (d * Math.log(2 * Math.PI) + logDet) };
}

/** log N(x; m, LL^T), with `z` as scratch. */
function logDensity(k: Kernel, x: Float64Array, xo: number, m: Float64Array, mo: number, d: number, z: Float64Array): number {
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = x[xo + i] - m[mo + i];
    for (let j = 0; j < i; j++) s -= k.chol[i * d + j] * z[j];
    z[i] = s / k.chol[i * d + i];
    q += z[i] * z[i];
  }
  return k.logNorm - 0.5 * q;
}

/** Weighted covariance of points (n x d, row-major) about their weighted mean. */
function weightedCovariance(u: Float64Array, w: ArrayLike<number>, n: number, d: number, keep?: (i: number) => boolean): { mean: Float64Array; cov: Float64Array; total: number } {
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (keep && !keep(i)) continue;
    total += w[i];
    for (let a = 0; a < d; a++) mean[a] += w[i] * u[i * d + a];
  }
  if (!(total > 0)) return { mean, cov, total };
  for (let a = 0; a < d; a++) mean[a] /= total;
  for (let i = 0; i < n; i++) {
    if (keep && !keep(i)) continue;
    for (let a = 0; a < d; a++) {
      const da = u[i * d + a] - mean[a];
      for (let b = 0; b <= a; b++) cov[a * d + b] += (w[i] * da * (u[i * d + b] - mean[b])) / total;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[b * d + a] = cov[a * d + b];
  return { mean, cov, total };
}

// ---------------------------------------------------------------------------------------------
// Statistics of weighted samples

/** The weighted q-quantile of values (the smallest value whose cumulative weight reaches q). */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, q: number): number {
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (const i of idx) total += weights[i];
  let cum = 0;
  for (const i of idx) {
    cum += weights[i];
    if (cum >= q * total) return values[i];
  }
  return values[idx[idx.length - 1]];
}

/** Effective sample size of weights: (sum w)^2 / sum w^2. */
export function effectiveSampleSize(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    s2 += weights[i] * weights[i];
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

/** Median absolute deviation (about the median); the mean absolute deviation when that is 0; 1 when both are. */
function robustScale(values: number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!finite.length) return 1;
  const med = finite[finite.length >> 1];
  const dev = finite.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  const mad = dev[dev.length >> 1];
  if (mad > 0) return mad;
  const mean = dev.reduce((s, v) => s + v, 0) / dev.length;
  return mean > 0 ? mean : 1;
}

// ---------------------------------------------------------------------------------------------
// The sampler

function checkOptions(o: AbcOptions): void {
  if (!o.priors.length) throw new AbcOptionError('priors', 'expected at least one parameter');
  o.priors.forEach((p, i) => {
    const at = `priors[${i}] (${p.name})`;
    if (!(Number.isFinite(p.min) && Number.isFinite(p.max) && p.min < p.max)) throw new AbcOptionError(at, `expected finite min < max, got [${p.min}, ${p.max}]`);
    if (p.log && !(p.min > 0)) throw new AbcOptionError(at, `a log-uniform prior needs min > 0, got ${p.min}`);
  });
  const count = (name: keyof AbcOptions, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new AbcOptionError(name, `expected an integer >= ${min}, got ${v}`);
  };
  count('particles', o.particles, 2);
  count('generations', o.generations, 0);
  count('minBatch', o.minBatch, 1);
  count('maxBatch', o.maxBatch, 1);
  if (o.quantile !== undefined && !(o.quantile > 0 && o.quantile < 1)) throw new AbcOptionError('quantile', `expected a number in (0, 1), got ${o.quantile}`);
  if (o.maxSimulations !== undefined && !(o.maxSimulations >= (o.particles ?? 500))) throw new AbcOptionError('maxSimulations', `expected at least as many as particles (${o.particles ?? 500}), got ${o.maxSimulations}`);
  if (o.summaryWeights && o.observed && o.summaryWeights.length !== o.observed.length) throw new AbcOptionError('summaryWeights', `expected ${o.observed.length} weights (one per observed summary), got ${o.summaryWeights.length}`);
}

/** Runs ABC-SMC to its stopping rule; see the module comment. */
export async function abcSmc(o: AbcOptions): Promise<AbcResult> {
  checkOptions(o);
  const d = o.priors.length;
  const N = o.particles ?? 500;
  const T = o.generations ?? 8;
  const alpha = o.quantile ?? 0.5;
  const minTol = o.minTolerance ?? 0;
  const minAcc = o.minAcceptance ?? 0.005;
  const budget = o.maxSimulations ?? Infinity;
  const minBatch = o.minBatch ?? 1;
  const maxBatch = Math.max(minBatch, o.maxBatch ?? 4 * N);
  const lo = o.priors.map((p) => (p.log ? Math.log(p.min) : p.min));
  const span = o.priors.map((p, i) => (p.log ? Math.log(p.max) : p.max) - lo[i]);
  const toParams = (u: Float64Array, at: number) => o.priors.map((p, i) => (p.log ? Math.exp(lo[i] + span[i] * u[at + i]) : lo[i] + span[i] * u[at + i]));
  const toUnit = (params: readonly number[]) => params.map((v, i) => ((o.priors[i].log ? Math.log(v) : v) - lo[i]) / span[i]);

  const generations: AbcGeneration[] = [];
  let scales: number[] | undefined;
  let runs = 0;

  /** The distance of an outcome (summaries need `scales`). */
  const distanceOf = (out: AbcOutcome | undefined): number => {
    if (out === undefined) return Infinity;
    if (typeof out === 'number') return Number.isNaN(out) ? Infinity : out;
    const obs = o.observed;
    if (!obs) throw new AbcOptionError('observed', 'expected the observed summaries when simulate returns summaries');
    if (out.length !== obs.length) throw new AbcOptionError('simulate', `expected ${obs.length} summaries (as observed), got ${out.length}`);
    let s = 0;
    for (let k = 0; k < obs.length; k++) {
      if (Number.isNaN(obs[k])) continue;
      if (!Number.isFinite(out[k])) return Infinity;
      const z = (out[k] - obs[k]) / scales![k];
      s += (o.summaryWeights?.[k] ?? 1) * z * z;
    }
    return Math.sqrt(s);
  };

  const simulate = async (batch: AbcProposal[]): Promise<ArrayLike<AbcOutcome>> => {
    runs += batch.length;
    const out = await o.simulate(batch);
    if (out.length !== batch.length) throw new Error(`abc-smc: simulate returned ${out.length} outcomes for ${batch.length} proposals`);
    return out;
  };

  let stopped: AbcResult['stopped'] = 'generations';
  let used = 0;
  for (const g of o.resume ?? []) {
    generations.push(g);
    used += g.simulations;
    scales ??= g.scales;
  }

  if (!generations.length) {
    // Generation 0: the prior, all kept (its distances set the first tolerance and the scales).
    const rng = Stream.derive(o.seed, 'abc-smc/0');
    const u = new Float64Array(N * d);
    for (let i = 0; i < N * d; i++) u[i] = rng.next();
    const batch: AbcProposal[] = [];
    for (let i = 0; i < N; i++) batch.push({ generation: 0, index: i, seed: proposalSeed(proposalSeed(o.seed, 0), i), params: toParams(u, i * d), tolerance: Infinity });
    const outs = await simulate(batch);
    if (o.observed) {
      const obs = o.observed;
      scales = obs.map((_, k) => robustScale(Array.from(outs, (x) => (typeof x === 'number' ? NaN : x[k]))));
    }
    const g0: AbcGeneration = {
      generation: 0, tolerance: Infinity, params: batch.map((b) => b.params), weights: new Array(N).fill(1 / N),
      distances: Array.from(outs, distanceOf), simulations: N, acceptance: 1, ess: N, ...(scales ? { scales } : {}),
    };
    used += N;
    generations.push(g0);
    o.onGeneration?.(g0);
  }

  while (true) {
    const prev = generations[generations.length - 1];
    const t = prev.generation + 1;
    if (t > T) break;
    // Over the particles whose runs gave a distance (generation 0 keeps failed ones too).
    const finite = prev.distances.map((x) => Number.isFinite(x));
    if (!finite.some(Boolean)) {
      stopped = 'acceptance';
      break;
    }
    const tol = weightedQuantile(prev.distances.filter((_, i) => finite[i]), prev.weights.filter((_, i) => finite[i]), alpha);
    if (prev.generation > 0 && prev.tolerance <= minTol) {
      stopped = 'tolerance';
      break;
    }
    if (prev.acceptance < minAcc) {
      stopped = 'acceptance';
      break;
    }
    const next = await generation(t, prev, tol);
    if (!next) {
      stopped = 'simulations';
      break;
    }
    generations.push(next);
    used += next.simulations;
    o.onGeneration?.(next);
  }
  return finish(stopped);

  function finish(why: AbcResult['stopped']): AbcResult {
    return { generations, posterior: generations[generations.length - 1], simulations: used, runs, stopped: why };
  }

  /** Generation t at tolerance `tol`, or null when the simulation budget runs out first. */
  async function generation(t: number, prev: AbcGeneration, tol: number): Promise<AbcGeneration | null> {
    const n = prev.params.length;
    const pu = new Float64Array(n * d);
    prev.params.forEach((p, i) => pu.set(toUnit(p), i * d));
    const pw = prev.weights;
    const kernels = perturbationKernels(pu, pw, prev.distances, n, tol);
    const cum = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += pw[i];

    const rng = Stream.derive(o.seed, `abc-smc/${t}`);
    const genSeed = proposalSeed(o.seed, t);
    const z = new Float64Array(d);
    const x = new Float64Array(d);
    const propose = (): Float64Array => {
      for (;;) {
        const r = rng.next() * acc;
        let a = 0;
        let b = n - 1;
        while (a < b) {
          const m = (a + b) >> 1;
          if (cum[m] < r) a = m + 1;
          else b = m;
        }
        const k = kernels[a];
        for (let i = 0; i < d; i++) z[i] = rng.normal();
        let inside = true;
        for (let i = 0; i < d; i++) {
          let s = pu[a * d + i];
          for (let j = 0; j <= i; j++) s += k.chol[i * d + j] * z[j];
          x[i] = s;
          if (!(s >= 0 && s <= 1)) inside = false;
        }
        if (inside) return x.slice();
      }
    };

    const keptU: Float64Array[] = [];
    const keptD: number[] = [];
    let proposed = 0;
    let needed = 0;
    const rate = Math.max(prev.acceptance, minAcc);
    while (keptU.length < N) {
      // Enough proposals for the particles still missing at the last generation's acceptance, and some.
      const size = Math.min(budget - used - proposed, maxBatch, Math.max(minBatch, Math.ceil(((N - keptU.length) / rate) * 1.2)));
      if (size <= 0) return null;
      const us: Float64Array[] = [];
      const batch: AbcProposal[] = [];
      for (let k = 0; k < size; k++) {
        const uk = propose();
        us.push(uk);
        batch.push({ generation: t, index: proposed + k, seed: proposalSeed(genSeed, proposed + k), params: toParams(uk, 0), tolerance: tol });
      }
      const outs = await simulate(batch);
      for (let k = 0; k < batch.length && keptU.length < N; k++) {
        const dist = distanceOf(outs[k]);
        if (dist <= tol) {
          keptU.push(us[k]);
          keptD.push(dist);
          needed = proposed + k + 1;
        }
      }
      proposed += batch.length;
      o.onBatch?.({ generation: t, tolerance: tol, accepted: keptU.length, proposed });
    }

    // Importance weights: uniform prior density over the mixture of perturbation kernels.
    const logW = new Float64Array(N);
    const logPw = Array.from(pw, (w) => Math.log(w));
    const terms = new Float64Array(n);
    const flat = new Float64Array(N * d);
    keptU.forEach((uk, i) => flat.set(uk, i * d));
    for (let i = 0; i < N; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        terms[j] = pw[j] > 0 ? logPw[j] + logDensity(kernels[j], flat, i * d, pu, j * d, d, z) : -Infinity;
        if (terms[j] > max) max = terms[j];
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(terms[j] - max);
      logW[i] = -(max + Math.log(s));
    }
    let maxW = -Infinity;
    for (let i = 0; i < N; i++) maxW = Math.max(maxW, logW[i]);
    const weights = Array.from(logW, (l) => Math.exp(l - maxW));
    const total = weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < N; i++) weights[i] /= total;
    return {
      generation: t, tolerance: tol, params: keptU.map((uk) => toParams(uk, 0)), weights, distances: keptD,
      simulations: needed, acceptance: N / needed, ess: effectiveSampleSize(weights), ...(scales ? { scales } : {}),
    };
  }

  /** One kernel per particle of the last generation (the same one for all with 'global'). */
  function perturbationKernels(pu: Float64Array, pw: readonly number[], dist: readonly number[], n: number, tol: number): Kernel[] {
    const whole = weightedCovariance(pu, pw, n, d);
    const global = twiceCovariance(whole.cov);
    if (o.kernel === 'global') return new Array(n).fill(global);
    // Filippi et al. (2013) OLCM: sum_k w~_k (theta_k - theta_j)(theta_k - theta_j)^T over the
    // particles within the new tolerance = their covariance + (mean - theta_j)(mean - theta_j)^T.
    const near = weightedCovariance(pu, pw, n, d, (i) => dist[i] <= tol);
    if (!(near.total > 0)) return new Array(n).fill(global);
    const out: Kernel[] = [];
    const c = new Float64Array(d * d);
    for (let j = 0; j < n; j++) {
      for (let a = 0; a < d; a++) {
        const da = near.mean[a] - pu[j * d + a];
        for (let b = 0; b < d; b++) c[a * d + b] = near.cov[a * d + b] + da * (near.mean[b] - pu[j * d + b]);
      }
      out.push(kernelOf(c, d) ?? global);
    }
    return out;
  }

  /** 2 x the weighted covariance (Beaumont et al. 2009), with a floor so a collapsed population still moves. */
  function twiceCovariance(cov: Float64Array): Kernel {
    const c = cov.map((v) => 2 * v);
    for (let a = 0; a < d; a++) c[a * d + a] = Math.max(c[a * d + a], 1e-10);
    return kernelOf(c, d) ?? kernelOf(diagonal(c), d)!;
  }

  function diagonal(c: Float64Array): Float64Array {
    const out = new Float64Array(d * d);
    for (let a = 0; a < d; a++) out[a * d + a] = c[a * d + a];
    return out;
  }
}

/** Weighted mean and quantiles of one parameter of a generation. */
export function marginal(g: AbcGeneration, param: number, quantiles: readonly number[] = [0.05, 0.5, 0.95]): { mean: number; sd: number; quantiles: number[] } {
  const v = g.params.map((p) => p[param]);
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += g.weights[i] * v[i];
  let varSum = 0;
  for (let i = 0; i < v.length; i++) varSum += g.weights[i] * (v[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(varSum), quantiles: quantiles.map((q) => weightedQuantile(v, g.weights, q)) };
}
