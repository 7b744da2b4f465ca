// Parameter recovery over several seeds (the small version of bench/recovery.ts): a community of
// known thread-starting and reply rates, seen only as a platform sees it (weekly contributors,
// posts, replies, questions), fitted back from priors spanning two orders of magnitude with a
// tiny budget. The true values lie inside the 90% posterior intervals in most cases, and the
// intervals are narrower than the priors (a fit that ignored the data would cover the truth too,
// with intervals as wide as the priors).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.js';
import { InlineExecutor } from '../../experiments/executor.js';
import { platformSeries, recover } from '../../experiments/recovery.js';

// 150 fresh members (no burn-in, to keep runs cheap), four weeks.
const base = parseScenario({ days: 28, population: { initialMembers: 150, burnInDays: 0 } });
const params = {
  'behaviour.posting.postRate.contributor': { truth: 0.15, min: 0.015, max: 1, scale: 'log' as const },
  'behaviour.posting.replyRate.contributor': { truth: 0.3, min: 0.03, max: 3, scale: 'log' as const },
};

describe('parameter recovery (small)', () => {
  it('the platform series is what the run shows, week by week', () => {
    const s = platformSeries(base, 1);
    expect(Object.keys(s.columns)).toEqual(['contributors', 'posts', 'replies', 'questions']);
    expect(s.starts).toEqual([0, 7, 14, 21]);
    expect(s.columns.posts.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(s.columns.posts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('over three seeds, the true values lie inside the 90% intervals in most cases, which are narrower than the priors', async () => {
    const results = [];
    for (const seed of [1, 2, 3]) {
      const r = await recover({ base, params, seed, spec: { particles: 20, generations: 2, seed: 100 + seed } }, new InlineExecutor());
      results.push(...r.recovered);
    }
    // 6 intervals at 90%: 4 or more inside has probability 0.98 for a calibrated fit (5 or more
    // only 0.89: a test that would fail one time in nine with a perfect fit). With the defaults of
    // the toxicity pass (fewer troll-prone members) seeds 1-6 give 9 of 12 inside, the misses
    // all but one thread-starting rates estimated low (also seen in bench/recovery.ts).
    expect(results.filter((r) => r.inside).length).toBeGreaterThanOrEqual(4);
    // Informative: on average an interval spans under three quarters of its prior's log range
    // (measured: about 0.65 at this budget; the prior itself gives 0.9).
    const share = results.map((r) => {
      const p = params[r.name as keyof typeof params];
      return Math.log(r.hi90 / r.lo90) / Math.log(p.max / p.min);
    });
    expect(share.reduce((a, b) => a + b, 0) / share.length).toBeLessThan(0.75);
  }, 60_000);
});
