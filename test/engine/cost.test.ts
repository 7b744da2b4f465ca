/**
 * Runs bounded up front and while they go (engine/cost.ts): a community that outgrows its member
 * limit stops with a GrowthLimitError naming the day, never an allocation failure, and a limit
 * the run stays within changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { GrowthLimitError, createSimulation, memberLimit, parseScenario, runCost, runScenario, resumeSimulation } from '../../engine/index.js';

// referrals at high settings (the reliability review's fuzz scenario #136 multiplied 4.4-fold every 10 days)
const explosive = parseScenario({ days: 365, population: { initialMembers: 76, burnInDays: 30 }, behaviour: { referralRate: 0.56 }, policies: { acquisition: { referralIncentive: 7.7 } } });

describe('member limit', () => {
  it('a community that grows without bound stops at the limit with the day and the cause named', () => {
    let error: unknown;
    const t = performance.now();
    try {
      runScenario(explosive, { seed: 1, maxMembers: 3_000 });
    } catch (e) {
      error = e;
    }
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(GrowthLimitError);
    const g = error as GrowthLimitError;
    expect(g.limit).toBe(3_000);
    expect(g.day).toBeGreaterThan(0);
    expect(g.present).toBeLessThanOrEqual(3_000);
    expect(g.message).toMatch(/^the community grew past the limit of 3,000 members on day \d+ \([\d,]+ present; .*behaviour\.referralRate/);
  });

  it('a start above the limit is refused at once, burn-in or not; a resumed run takes its own limit', () => {
    expect(() => createSimulation(parseScenario({ population: { initialMembers: 500 } }), { maxMembers: 100 })).toThrow(GrowthLimitError);
    const sim = createSimulation(explosive, { seed: 2 });
    sim.step(5);
    const resumed = resumeSimulation(sim.snapshot(), { maxMembers: sim.series().at(-1)!.members + 1 });
    expect(() => resumed.run()).toThrow(/grew past the limit/);
  });

  it('a limit the run stays within changes nothing (arrays stop doubling at the limit)', () => {
    const s = parseScenario({ days: 40, population: { initialMembers: 300, burnInDays: 30, organicPerDay: 20 } });
    const free = runScenario(s, { seed: 3 });
    // rows used by the free run: everyone who ever joined, burn-in included, is at most this
    const tight = runScenario(s, { seed: 3, maxMembers: 2_000 });
    expect(tight.series).toEqual(free.series);
  });

  it('the cost estimate counts the start, organic arrivals within the audience and shock newcomers; a byte budget gives a member limit', () => {
    const s = parseScenario({ days: 10, population: { initialMembers: 1000, organicPerDay: 50, audience: 1200 }, shocks: [{ type: 'viral-spike', day: 3, newcomers: 500 }] });
    const c = runCost(s);
    expect(c.members).toBe(1000);
    expect(c.maxMembers).toBe(1200 + 500);
    expect(memberLimit(s, { maxBytes: 460 * 1000 })).toBe(1000); // 250 + 70 x 6 / 2 bytes a member at degree 6
    expect(memberLimit(s, { maxBytes: 1e9, maxMembers: 10 })).toBe(10);
    expect(memberLimit(s)).toBe(Infinity);
  });
});
