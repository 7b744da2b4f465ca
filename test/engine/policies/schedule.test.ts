/**
 * Schedules (`schedule`): any manager or policy parameter changes on a given day, from that day
 * on; `Simulation.set` does the same live, from the next day.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, type ScenarioInput } from '../../../engine/index.js';

const BASE: ScenarioInput = { days: 60, population: { initialMembers: 600, burnInDays: 60, mix: { lurker: 0.7, contributor: 0.2, expert: 0.04, troll: 0.06 } }, behaviour: { dormantDays: 60 }, policies: { moderation: { strictness: 0.9 } } };

describe('schedule', () => {
  it('switching moderation off on day 30 stops removals from day 30, not before', () => {
    const plain = createSimulation(parseScenario(BASE), { seed: 3 });
    const scheduled = createSimulation(parseScenario({ ...BASE, schedule: [{ day: 30, set: { 'policies.moderation.strictness': 0 } }] }), { seed: 3 });
    plain.run();
    scheduled.run();
    // identical up to day 29, bit for bit
    expect(scheduled.series().slice(0, 30)).toEqual(plain.series().slice(0, 30));
    const removed = scheduled.column('removedPosts');
    for (let d = 30; d <= 60; d++) expect(removed[d]).toBe(0);
    let before = 0;
    for (let d = 1; d < 30; d++) before += removed[d];
    expect(before).toBeGreaterThan(0);
    expect(scheduled.scenario.policies.moderation.strictness).toBe(0);
    expect(scheduled.events()).toContainEqual({ day: 30, kind: 'schedule', text: 'policies.moderation.strictness set to 0' });
  });

  it('the manager stops answering on the scheduled day', () => {
    const sim = createSimulation(parseScenario({ ...BASE, schedule: [{ day: 20, set: { 'policies.response.targetHours': null } }] }), { seed: 4 });
    sim.run();
    const used = sim.column('managerHoursUsed');
    const answered = sim.column('answered');
    const questions = sim.column('questions');
    let asked = 0;
    let answeredAfter = 0;
    for (let d = 20; d <= 60; d++) {
      asked += questions[d];
      answeredAfter += answered[d];
    }
    expect(asked).toBeGreaterThan(0);
    // members still answer some questions, the manager none: fewer answers than questions
    expect(answeredAfter).toBeLessThan(asked);
    expect(used[19]).toBeGreaterThan(0);
  });

  it('several changes on several days apply in order', () => {
    const sim = createSimulation(parseScenario({
      ...BASE,
      schedule: [
        { day: 10, set: { 'manager.hoursPerDay': 1, 'policies.rubrics.perWeek': 7 } },
        { day: 40, set: { 'manager.hoursPerDay': 5 } },
      ],
    }), { seed: 5 });
    sim.run();
    const hours = sim.column('managerHours');
    expect(hours[9]).toBe(3);
    expect(hours[10]).toBe(1);
    expect(hours[39]).toBe(1);
    expect(hours[40]).toBe(5);
  });

  it('a live change applies from the next day', () => {
    const sim = createSimulation(parseScenario(BASE), { seed: 6 });
    sim.step(15);
    sim.set('manager.hoursPerDay', 7);
    sim.step(2);
    expect(sim.column('managerHours')[15]).toBe(3);
    expect(sim.column('managerHours')[16]).toBe(7);
  });

  it('a 2,000-entry schedule costs next to nothing (it took 400 s when each entry re-validated the scenario)', () => {
    const schedule = Array.from({ length: 2_000 }, (_, i) => ({ day: 1 + (i % 10), set: { 'policies.moderation.strictness': (i % 7) / 10 } }));
    const scenario = parseScenario({ days: 10, population: { initialMembers: 20, burnInDays: 0 }, schedule });
    const t = performance.now();
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run();
    expect(performance.now() - t).toBeLessThan(2000);
    // the last entry of each day holds: day 10's last entry is i = 1999, 1999 % 7 = 4
    expect(sim.scenario.policies.moderation.strictness).toBe(0.4);
    expect(sim.events().filter((e) => e.kind === 'schedule')).toHaveLength(2_000);
  }, 10_000);
});

describe('schedule timing', () => {
  const small: ScenarioInput = { days: 20, population: { initialMembers: 300, burnInDays: 30 }, policies: { moderation: { strictness: 0.9 } } };

  it('a change on day 0 holds from the start: the run is its twin with the value set in the file (burn-in included), logged on day 0', () => {
    const scheduled = createSimulation(parseScenario({ ...small, schedule: [{ day: 0, set: { 'policies.moderation.strictness': 0, 'manager.hoursPerDay': 1 } }] }), { seed: 2 });
    const twin = createSimulation(parseScenario({ ...small, policies: { moderation: { strictness: 0 } }, manager: { hoursPerDay: 1 } }), { seed: 2 });
    scheduled.run();
    twin.run();
    expect(scheduled.series()).toEqual(twin.series());
    expect(scheduled.events().filter((e) => e.kind === 'schedule')).toEqual([
      { day: 0, kind: 'schedule', text: 'policies.moderation.strictness set to 0' },
      { day: 0, kind: 'schedule', text: 'manager.hoursPerDay set to 1' },
    ]);
    // the result still reports the scenario as given, schedule and all
    expect((scheduled.result().scenario as { policies: { moderation: { strictness: number } } }).policies.moderation.strictness).toBe(0.9);
  });

  it('a scheduled hoursPerDay change reaches the budget on its day, also when a new leader arrives that day', () => {
    const sim = createSimulation(parseScenario({ ...small, schedule: [{ day: 10, set: { 'manager.hoursPerDay': 0.1 } }, { day: 14, set: { 'manager.hoursPerDay': 2 } }], shocks: [{ type: 'leader-leaves', day: 12, replacementAfterDays: 2 }] }), { seed: 3 });
    sim.run();
    const cap = sim.column('managerHours');
    const used = sim.column('managerHoursUsed');
    expect(cap[10]).toBeCloseTo(0.1);
    for (let d = 1; d <= 20; d++) expect(used[d], `day ${d}`).toBeLessThanOrEqual(cap[d] + 1e-9);
    expect(used[14]).toBeGreaterThan(0.1); // the new leader works with the new 2 h on their first day
  });
});
