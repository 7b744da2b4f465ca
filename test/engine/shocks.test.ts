/**
 * Each shock shows in the metrics on its day: a run with the shock and the same run without it
 * (same seed) are identical up to the day before, and differ as the shock says on its day.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, deriveSeed, parseScenario, type ScenarioInput, type Simulation } from '../../engine/index.js';

const BASE: ScenarioInput = { days: 60, population: { initialMembers: 1500, burnInDays: 90 } };
const SEEDS = [0, 1, 2, 3, 4].map((r) => deriveSeed(7, r));
const DAY = 30;

function pair(shock: Record<string, unknown>, seed: number): { control: Simulation; shocked: Simulation } {
  const control = createSimulation(parseScenario(BASE), { seed });
  const shocked = createSimulation(parseScenario({ ...BASE, shocks: [{ day: DAY, ...shock }] }), { seed });
  control.run();
  shocked.run();
  return { control, shocked };
}

function sameUntil(a: Simulation, b: Simulation, day: number): void {
  expect(b.series().slice(0, day)).toEqual(a.series().slice(0, day));
}

describe.each(SEEDS)('shocks (seed %i)', (seed) => {
  it('troll-raid: trolls join at once, toxicity jumps, the raid ends after durationDays', () => {
    const { control, shocked } = pair({ type: 'troll-raid', size: 30, durationDays: 7 }, seed);
    sameUntil(control, shocked, DAY);
    const c = (n: string) => control.column(n);
    const s = (n: string) => shocked.column(n);
    expect(s('joins')[DAY] - c('joins')[DAY]).toBeGreaterThanOrEqual(30);
    expect(s('trollsActive')[DAY]).toBeGreaterThanOrEqual(c('trollsActive')[DAY] + 25);
    expect(s('toxicPosts')[DAY]).toBeGreaterThan(c('toxicPosts')[DAY]);
    const over = shocked.events().find((e) => e.kind === 'shock' && e.text.startsWith('troll raid over'));
    expect(over?.day).toBe(DAY + 7);
    const left = Number(/: (\d+) raiders leave/.exec(over!.text)![1]);
    expect(s('churned')[DAY + 7]).toBeGreaterThanOrEqual(left);
  });

  it('manager-incident: members lose trust on the day', () => {
    const { control, shocked } = pair({ type: 'manager-incident', kind: 'aggression', severity: 0.8 }, seed);
    sameUntil(control, shocked, DAY);
    expect(shocked.column('meanSatisfaction')[DAY]).toBeLessThan(control.column('meanSatisfaction')[DAY] - 0.005);
    expect(shocked.events().some((e) => e.day === DAY && e.kind === 'shock' && e.text.includes('aggression'))).toBe(true);
  });

  it('manager-incident (misinformation) also costs correction hours', () => {
    const { control, shocked } = pair({ type: 'manager-incident', kind: 'misinformation', severity: 0.5 }, seed);
    expect(shocked.column('meanSatisfaction')[DAY]).toBeLessThan(control.column('meanSatisfaction')[DAY]);
    expect(shocked.column('managerHoursUsed')[DAY]).toBeGreaterThan(control.column('managerHoursUsed')[DAY]);
  });

  it('leader-leaves: no manager hours until the replacement comes', () => {
    const { control, shocked } = pair({ type: 'leader-leaves', replacementAfterDays: 10 }, seed);
    sameUntil(control, shocked, DAY);
    const hours = shocked.column('managerHours');
    const used = shocked.column('managerHoursUsed');
    for (let d = DAY; d < DAY + 10; d++) {
      expect(hours[d]).toBe(0);
      expect(used[d]).toBe(0);
    }
    expect(hours[DAY + 10]).toBe(3);
    let waiting = 0;
    for (let d = DAY; d < DAY + 10; d++) waiting += shocked.column('backlog')[d] - control.column('backlog')[d];
    expect(waiting).toBeGreaterThan(0);
  });

  it('leader-leaves with no replacement: the manager never comes back', () => {
    const { shocked } = pair({ type: 'leader-leaves', replacementAfterDays: null }, seed);
    const hours = shocked.column('managerHours');
    for (let d = DAY; d <= 60; d++) expect(hours[d]).toBe(0);
  });

  it('festival: the flood takes the manager\'s hours, latency and backlog jump', () => {
    const { control, shocked } = pair({ type: 'festival', messages: 3500, durationDays: 3 }, seed);
    sameUntil(control, shocked, DAY);
    const s = (n: string) => shocked.column(n);
    const c = (n: string) => control.column(n);
    expect(s('managerHoursUsed')[DAY]).toBeGreaterThan(2.9); // all but a fraction of an answer
    let backlogJump = 0;
    let latencyJump = 0;
    for (let d = DAY; d < DAY + 5; d++) {
      backlogJump += s('backlog')[d] - c('backlog')[d];
      // a day without answers in either run has no median (NaN): no jump to read there
      const jump = s('medianResponseHours')[d] - c('medianResponseHours')[d];
      if (!Number.isNaN(jump)) latencyJump = Math.max(latencyJump, jump);
    }
    expect(backlogJump).toBeGreaterThan(0);
    expect(latencyJump).toBeGreaterThan(20);
  });

  it('viral-spike: a wave of newcomers over durationDays', () => {
    const { control, shocked } = pair({ type: 'viral-spike', newcomers: 90, durationDays: 3 }, seed);
    sameUntil(control, shocked, DAY);
    let extra = 0;
    for (let d = DAY; d < DAY + 3; d++) {
      const e = shocked.column('joins')[d] - control.column('joins')[d];
      expect(e).toBeGreaterThanOrEqual(30 - 5); // 30 a day, give or take referral noise
      extra += e;
    }
    expect(extra).toBeGreaterThanOrEqual(85);
  });
});

describe('shocks on day 0 (the starting state; the schema allows day 0)', () => {
  const small: ScenarioInput = { days: 12, population: { initialMembers: 200, burnInDays: 30 } };
  it('each shock strikes the starting state: raiders among day 0 joins, trust lost, the leader gone from day 1', () => {
    const run = (shocks: object[]) => {
      const sim = createSimulation(parseScenario({ ...small, shocks }), { seed: 5 });
      sim.run();
      return sim;
    };
    const control = run([]);
    const raid = run([{ type: 'troll-raid', day: 0, size: 25, durationDays: 5 }]);
    expect(raid.column('joins')[0]).toBe(25);
    expect(raid.column('members')[0]).toBe(control.column('members')[0] + 25);
    expect(raid.events().map((e) => [e.day, e.text.slice(0, 15)])).toEqual(expect.arrayContaining([[0, 'troll raid: 25 '], [5, 'troll raid over']]));
    const incident = run([{ type: 'manager-incident', day: 0, severity: 0.9 }]);
    // the loss is taken when satisfaction is next updated: on day 1
    expect(incident.events().find((e) => e.day === 0)?.text).toMatch(/^manager incident \(aggression\): [1-9]\d* members lose trust$/);
    expect(incident.column('meanSatisfaction')[1]).toBeLessThan(control.column('meanSatisfaction')[1]);
    const leader = run([{ type: 'leader-leaves', day: 0, replacementAfterDays: 6 }]);
    expect([...leader.column('managerHours').slice(1, 6)]).toEqual([0, 0, 0, 0, 0]);
    expect(leader.column('managerHours')[6]).toBe(3);
    const viral = run([{ type: 'viral-spike', day: 0, newcomers: 40, durationDays: 2 }]);
    expect(viral.column('joins')[0]).toBe(20);
    expect(viral.column('joins')[1] - control.column('joins')[1]).toBeGreaterThanOrEqual(15);
    // nothing on day 0: no draw moved, the run is the plain one
    expect(run([{ type: 'troll-raid', day: 1, size: 25 }]).series().slice(0, 1)).toEqual(control.series().slice(0, 1));
  });
});
