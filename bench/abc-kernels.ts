/**
 * The effective sample size of ABC-SMC's two perturbation kernels (experiments/abc-smc.ts),
 * measured on a cheap stand-in simulator so that only the sampler is timed: d parameters on
 * [0, 1], three of them informative (a distance to a target plus noise), and a floor of distance
 * 1 where the first parameter is small (as when a community never takes off, the flat region a
 * real fit starts in). Prints the tolerance and ESS of each generation, per dimension, particle
 * count and kernel (README "How runs meet the data").
 *
 * Run: `npx tsx bench/abc-kernels.ts`
 */
import { abcSmc } from '../experiments/abc-smc.js';
import { Stream } from '../engine/rng.js';

for (const d of [5, 7]) {
  for (const N of [100, 200]) {
    for (const kernel of ['olcm', 'global'] as const) {
      const priors = Array.from({ length: d }, (_, i) => ({ name: `p${i}`, min: 0, max: 1 }));
      const r = await abcSmc({
        priors, seed: 1, particles: N, generations: 6, kernel,
        simulate: async (batch) => batch.map((p) => {
          const [a, b, c, e] = p.params;
          if (a < 0.2) return 1;
          return Math.sqrt((a - 0.6) ** 2 + (b - 0.3) ** 2 + (c * e - 0.2) ** 2) + 0.05 * Math.abs(Stream.derive(p.seed, 'noise').normal());
        }),
      });
      console.log(`d ${d}, ${N} particles, ${kernel}: ${r.generations.map((g) => `${Number.isFinite(g.tolerance) ? g.tolerance.toFixed(3) : 'prior'} ESS ${g.ess.toFixed(0)}`).join('; ')}`);
    }
  }
}
