/**
 * Runs bounded up front and while they go (engine/cost.ts): a community that outgrows its member
 * limit stops with a GrowthLimitError naming the day, never an allocation failure, and a limit
 * the run stays within changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { GrowthLimitError, RunCostError, checkRunCost, createSimulation, memberLimit, parseScenario, runCost, runScenario, resumeSimulation } from '../../engine/index.js';

// referrals at high settings (the reliability review's fuzz scenario #136 multiplied 4.4-fold every 10 days),
// in an open market (an unstated one would be 3 x 76 people and stop it there)
const explosive = parseScenario({ days: 365, population: { initialMembers: 76, burnInDays: 30, audience: 1_000_000 }, behaviour: { referralRate: 0.56 }, policies: { acquisition: { referralIncentive: 7.7 } } });

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
    expect(c.arrivals).toEqual([{ path: 'shocks[0].newcomers', members: 500 }, { path: 'population.organicPerDay', members: 200 }]);
  });

  it('counts bought newcomers, raiders, and only the days of a shock that fall within the run', () => {
    const s = parseScenario({
      days: 10,
      population: { initialMembers: 100, organicPerDay: 0 },
      policies: { acquisition: { adsPerDay: 30, adsSaturation: 200 } },
      shocks: [
        { type: 'troll-raid', day: 2, size: 40 },
        { type: 'viral-spike', day: 9, newcomers: 700, durationDays: 7 },
        { type: 'viral-spike', day: 11, newcomers: 5000 },
      ],
    });
    const c = runCost(s);
    expect(c.arrivals).toEqual([
      { path: 'policies.acquisition.adsPerDay', members: Math.round(200 * (1 - Math.exp(-30 / 200)) * 10) },
      { path: 'shocks[1].newcomers', members: 200 },
      { path: 'shocks[0].size', members: 40 },
    ]);
    expect(c.maxMembers).toBe(100 + 279 + 40 + 200);
  });

  it('a day brings from the market no more people than the audience not on the rolls (the estimate counts on it)', () => {
    // organic inflow far above the audience: it follows visible activity, which newcomers raise;
    // without the cap day 1 admitted tens of thousands to an audience of 3,000
    const flood = parseScenario({ days: 6, population: { initialMembers: 20, burnInDays: 0, organicPerDay: 1_000_000, audience: 3_000 } });
    const rows = runScenario(flood, { seed: 1 }).series;
    expect(Math.max(...rows.map((d) => d.members))).toBeLessThanOrEqual(3_000);
    expect(rows[1].members).toBeGreaterThan(2_500);
    expect(runCost(flood).maxMembers).toBe(3_000);
    // referrals at the schema's top settings fill the audience and stop there
    const referred = parseScenario({ ...explosive, days: 200, population: { ...explosive.population, audience: 2_000 } });
    const r = runScenario(referred, { seed: 1 }).series;
    expect(Math.max(...r.map((d) => d.members))).toBeLessThanOrEqual(2_000);
  });

  it('a run estimated past its limit is refused before it is built, naming the fields that bring the members', () => {
    const s = parseScenario({ days: 5, population: { initialMembers: 20, burnInDays: 0 }, shocks: [{ type: 'viral-spike', day: 2, newcomers: 10_000_000 }] });
    const t = performance.now();
    let error: unknown;
    try {
      checkRunCost(s, 1_000_000);
    } catch (e) {
      error = e;
    }
    expect(performance.now() - t).toBeLessThan(100);
    expect(error).toBeInstanceOf(RunCostError);
    expect((error as RunCostError).message).toMatch(/^up to 10,000,0\d\d members by day 5 \(20 at the start, 10,000,000 from shocks\[0\]\.newcomers.*\) exceed the limit of 1,000,000 members; lower the arrivals or the days$/);
    expect((error as RunCostError).cost.seconds).toBeGreaterThan(100);
    expect(checkRunCost(s, 20_000_000).maxMembers).toBe((error as RunCostError).cost.maxMembers);
  });
});
