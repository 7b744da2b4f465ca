// ABC-SMC against posteriors known in closed form:
// - the mixture toy of Sisson et al. (2007), used by Toni et al. (2009) and Beaumont et al. (2009):
//   theta ~ U(-10, 10), x ~ 0.5 N(theta, 1) + 0.5 N(theta, 1/100), x observed = 0. The ABC
//   posterior at tolerance eps is prior x P(|x| <= eps | theta), computed here on a grid;
// - a normal mean with known variance (1-D): the posterior is N(xbar, 1/n), widened by eps;
// - a normal with unknown mean and log-uniform sd (the Jeffreys prior 1/sigma): mu | x is
//   xbar + s / sqrt(n) t(n - 1) and sigma has density sigma^-n exp(-(n - 1) s^2 / 2 sigma^2);
//   summaries (mean, sd) compared on scales from generation 0;
// - coverage of 50% and 90% intervals over 40 data sets drawn from the prior;
// and determinism: a seed gives the same result whatever the batch sizes, and a resumed run
// equals an uninterrupted one.
import { describe, expect, it } from 'vitest';
import { Stream } from '../../engine/rng.js';
import { abcSmc, marginal, weightedQuantile, type AbcOptions, type AbcProposal } from '../../experiments/abc-smc.js';
import { normalCdf, tCdf } from '../../experiments/stats.js';

/** A stream from a simulation's seed, without seedrandom's key schedule (10^5 simulations a test). */
function streamOf(seed: number): Stream {
  const s = new Stream(Int32Array.of(seed, 0x9e3779b9, seed ^ 0x85ebca6b, 1));
  for (let i = 0; i < 12; i++) s.next();
  return s;
}

const mixture = (batch: AbcProposal[]) =>
  Promise.resolve(batch.map((p) => {
    const r = streamOf(p.seed);
    const sd = r.next() < 0.5 ? 1 : 0.1;
    return Math.abs(p.params[0] + sd * r.normal());
  }));

/** The weighted CDF of a generation's first parameter at x. */
const weightedCdf = (params: number[][], weights: number[], x: number) => params.reduce((s, p, i) => s + (p[0] <= x ? weights[i] : 0), 0);

describe('abc-smc: the mixture toy (Sisson et al. 2007; Beaumont et al. 2009)', () => {
  it('matches the exact ABC posterior at its final tolerance, for both kernels', async () => {
    for (const kernel of ['olcm', 'global'] as const) {
      const res = await abcSmc({ priors: [{ name: 'theta', min: -10, max: 10 }], simulate: mixture, seed: 3, particles: 1000, generations: 20, minTolerance: 0.025, kernel });
      const g = res.posterior;
      expect(res.stopped).toBe('tolerance');
      expect(g.tolerance).toBeLessThanOrEqual(0.025);
      expect(g.ess).toBeGreaterThan(300);
      // Exact: density proportional to P(|x| <= eps | theta) on [-10, 10], on a fine grid.
      const eps = g.tolerance;
      const grid = Array.from({ length: 8001 }, (_, i) => -4 + i * 0.001);
      const dens = grid.map((th) => 0.5 * (normalCdf(eps - th) - normalCdf(-eps - th)) + 0.5 * (normalCdf((eps - th) / 0.1) - normalCdf((-eps - th) / 0.1)));
      const total = dens.reduce((s, v) => s + v, 0);
      const cdf = (x: number) => dens.reduce((s, v, i) => s + (grid[i] <= x ? v : 0), 0) / total;
      // (The sd is not compared: the wide component's tails rest on a few heavy particles, and
      // the sample sd of this mixture (kurtosis 5.9) varies by +-15% between seeds.)
      const m = marginal(g, 0);
      expect(Math.abs(m.mean)).toBeLessThan(0.1);
      // Kolmogorov distance at 99% for the effective sample size.
      const ks = Math.max(...[-2, -1, -0.5, -0.2, -0.1, 0, 0.1, 0.2, 0.5, 1, 2].map((x) => Math.abs(weightedCdf(g.params, g.weights, x) - cdf(x))));
      expect(ks).toBeLessThan(1.63 / Math.sqrt(g.ess));
      // The narrow component's mass: about 0.5 x 0.954 + 0.5 x 0.159 within 0.2 of 0.
      const inner = weightedCdf(g.params, g.weights, 0.2) - weightedCdf(g.params, g.weights, -0.2);
      expect(Math.abs(inner - (cdf(0.2) - cdf(-0.2)))).toBeLessThan(0.05);
      // Tolerances shrink generation by generation.
      const tols = res.generations.map((x) => x.tolerance);
      for (let t = 2; t < tols.length; t++) expect(tols[t]).toBeLessThan(tols[t - 1]);
    }
  });
});

/** n draws of N(mu, sigma) from a seed. */
function sample(seed: number, mu: number, sigma: number, n: number): number[] {
  const r = streamOf(seed);
  return Array.from({ length: n }, () => mu + sigma * r.normal());
}
const meanOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const sdOf = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + (v - meanOf(xs)) ** 2, 0) / (xs.length - 1));

describe('abc-smc: a normal mean with known variance', () => {
  const n = 20;
  const simulateMean = (batch: AbcProposal[]) => Promise.resolve(batch.map((p) => [meanOf(sample(p.seed, p.params[0], 1, n))]));

  it('recovers the closed-form posterior N(xbar, 1/n), widened by the tolerance', async () => {
    const xbar = meanOf(sample(99, 1.3, 1, n));
    const res = await abcSmc({ priors: [{ name: 'mu', min: -5, max: 5 }], observed: [xbar], simulate: simulateMean, seed: 5, particles: 800, generations: 12, minTolerance: 0.02 });
    const g = res.posterior;
    // Distances are in units of generation 0's spread of simulated means; back to the data's units.
    const eps = g.tolerance * g.scales![0];
    const s = 1 / Math.sqrt(n);
    const m = marginal(g, 0);
    expect(Math.abs(m.mean - xbar)).toBeLessThan(0.15 * s);
    expect(m.sd / Math.sqrt(s * s + (eps * eps) / 3)).toBeGreaterThan(0.9);
    expect(m.sd / Math.sqrt(s * s + (eps * eps) / 3)).toBeLessThan(1.1);
    expect(eps).toBeLessThan(0.3 * s);
  });

  it('90% and 50% intervals cover the truth at their rates over 40 data sets from the prior', async () => {
    let in90 = 0;
    let in50 = 0;
    for (let k = 0; k < 40; k++) {
      const truth = -3 + 6 * Stream.derive(k, 'truth').next();
      const xbar = meanOf(sample(1000 + k, truth, 1, n));
      const res = await abcSmc({ priors: [{ name: 'mu', min: -5, max: 5 }], observed: [xbar], simulate: simulateMean, seed: k, particles: 200, generations: 10, minTolerance: 0.03 });
      const [q05, q25, q75, q95] = marginal(res.posterior, 0, [0.05, 0.25, 0.75, 0.95]).quantiles;
      if (truth >= q05 && truth <= q95) in90++;
      if (truth >= q25 && truth <= q75) in50++;
    }
    // Binomial(40, 0.9) is below 30 with probability 0.5%; Binomial(40, 0.5) outside [12, 28] 1.3%.
    expect(in90).toBeGreaterThanOrEqual(30);
    expect(in50).toBeGreaterThanOrEqual(12);
    expect(in50).toBeLessThanOrEqual(28);
  });
});

describe('abc-smc: a normal with unknown mean and log-uniform sd (Jeffreys prior)', () => {
  it('recovers the t posterior of the mean and the posterior of the sd', async () => {
    const n = 50;
    const data = sample(7, 2, 1.5, n);
    const xbar = meanOf(data);
    const s = sdOf(data);
    const se = s / Math.sqrt(n);
    // The distance is given by the simulator, in units of the summaries' sampling errors.
    const opts: AbcOptions = {
      priors: [{ name: 'mu', min: -10, max: 10 }, { name: 'sigma', min: 0.1, max: 10, log: true }],
      simulate: (batch) => Promise.resolve(batch.map((p) => {
        const x = sample(p.seed, p.params[0], p.params[1], n);
        return Math.hypot((meanOf(x) - xbar) / se, (sdOf(x) - s) / (s / Math.sqrt(2 * (n - 1))));
      })),
      seed: 11, particles: 600, generations: 30, minTolerance: 0.3,
    };
    const res = await abcSmc(opts);
    const g = res.posterior;
    expect(res.stopped).toBe('tolerance');
    const mu = marginal(g, 0, [0.05, 0.5, 0.95]);
    // mu | x = xbar + se t(n - 1): mean xbar, sd se sqrt((n - 1) / (n - 3)), 95th percentile where the t CDF is 0.95.
    expect(Math.abs(mu.mean - xbar)).toBeLessThan(0.15 * se);
    expect(mu.sd / (se * Math.sqrt((n - 1) / (n - 3)))).toBeGreaterThan(0.9);
    expect(mu.sd / (se * Math.sqrt((n - 1) / (n - 3)))).toBeLessThan(1.12);
    expect(tCdf((mu.quantiles[2] - xbar) / se, n - 1)).toBeGreaterThan(0.92);
    expect(tCdf((mu.quantiles[2] - xbar) / se, n - 1)).toBeLessThan(0.975);
    // sigma: density sigma^-n exp(-(n - 1) s^2 / (2 sigma^2)) on a grid.
    const grid = Array.from({ length: 4000 }, (_, i) => 0.5 + i * 0.001);
    const logd = grid.map((x) => -n * Math.log(x) - ((n - 1) * s * s) / (2 * x * x));
    const top = Math.max(...logd);
    const dens = logd.map((l) => Math.exp(l - top));
    const total = dens.reduce((a, b) => a + b, 0);
    const quant = (q: number) => {
      let c = 0;
      for (let i = 0; i < grid.length; i++) if ((c += dens[i] / total) >= q) return grid[i];
      return NaN;
    };
    const sig = marginal(g, 1, [0.05, 0.5, 0.95]);
    const width = quant(0.95) - quant(0.05);
    for (const [k, q] of [0.05, 0.5, 0.95].entries()) expect(Math.abs(sig.quantiles[k] - quant(q))).toBeLessThan(0.1 * width);
  });
});

describe('abc-smc: determinism, batches, resuming, options', () => {
  const base = { priors: [{ name: 'theta', min: -10, max: 10 }], simulate: mixture, seed: 8, particles: 100, generations: 4 };

  it('the same seed gives the same particles whatever the batch sizes; another seed does not', async () => {
    const a = await abcSmc(base);
    const b = await abcSmc({ ...base, minBatch: 37, maxBatch: 37 });
    const c = await abcSmc({ ...base, maxBatch: 5 });
    expect(b.generations).toEqual(a.generations);
    expect(c.generations).toEqual(a.generations);
    expect(b.runs).not.toBe(a.runs); // batches of 37 waste a different number of runs
    expect((await abcSmc({ ...base, seed: 9 })).posterior.params).not.toEqual(a.posterior.params);
  });

  it('a run resumed from its first generations equals the uninterrupted one', async () => {
    const whole = await abcSmc(base);
    const resumed = await abcSmc({ ...base, resume: whole.generations.slice(0, 2) });
    expect(resumed.generations).toEqual(whole.generations);
    expect(resumed.runs).toBeLessThan(whole.runs);
  });

  it('hands every proposal its own seed and the tolerance it must meet; weights sum to 1', async () => {
    const seen: AbcProposal[] = [];
    const res = await abcSmc({ ...base, simulate: (batch) => (seen.push(...batch), mixture(batch)) });
    expect(new Set(seen.map((p) => p.seed)).size).toBe(seen.length);
    expect(seen.filter((p) => p.generation === 0).every((p) => p.tolerance === Infinity)).toBe(true);
    for (const g of res.generations.slice(1)) {
      expect(seen.filter((p) => p.generation === g.generation).every((p) => p.tolerance === g.tolerance)).toBe(true);
      expect(g.distances.every((d) => d <= g.tolerance)).toBe(true);
    }
    for (const g of res.generations) expect(g.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(res.simulations).toBe(res.generations.reduce((s, g) => s + g.simulations, 0));
  });

  it('stops at the simulation budget with the last finished generation; NaN outcomes are rejected', async () => {
    const res = await abcSmc({ ...base, generations: 50, maxSimulations: 600 });
    expect(res.stopped).toBe('simulations');
    expect(res.simulations).toBeLessThanOrEqual(600);
    const nan = await abcSmc({ ...base, simulate: (batch) => mixture(batch).then((d) => d.map((x, i) => (batch[i].params[0] > 0 ? NaN : x))) });
    expect(nan.posterior.params.every((p) => p[0] <= 0)).toBe(true);
  });

  it('names bad options', async () => {
    await expect(abcSmc({ ...base, priors: [{ name: 'k', min: 0, max: 1, log: true }] })).rejects.toThrow('priors[0] (k): a log-uniform prior needs min > 0, got 0');
    await expect(abcSmc({ ...base, priors: [{ name: 'k', min: 2, max: 1 }] })).rejects.toThrow('priors[0] (k): expected finite min < max, got [2, 1]');
    await expect(abcSmc({ ...base, particles: 1 })).rejects.toThrow('particles: expected an integer >= 2, got 1');
    await expect(abcSmc({ ...base, quantile: 1 })).rejects.toThrow('quantile: expected a number in (0, 1), got 1');
    await expect(abcSmc({ ...base, simulate: (b) => Promise.resolve(b.map(() => [1])) })).rejects.toThrow('observed: expected the observed summaries');
  });

  it('weightedQuantile', () => {
    expect(weightedQuantile([3, 1, 2], [1, 1, 1], 0.5)).toBe(2);
    expect(weightedQuantile([3, 1, 2], [1, 0, 0], 0.1)).toBe(3);
    expect(weightedQuantile([3, 1, 2], [0.1, 0.8, 0.1], 0.85)).toBe(2);
  });
});
