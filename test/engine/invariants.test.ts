/**
 * Invariants over arbitrary small scenarios (fast-check): runs never throw, every value is in
 * its metric's range or NaN exactly where undefined (test/engine/metric-values.ts), members add
 * up; invalid input is rejected with a field-path message and never with another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioError, createSimulation, parseScenario, scenarioJsonSchema, type ScenarioInput } from '../../engine/index.js';
import { expectDailyRow, expectSummary } from './metric-values.js';

const scenarioArb: fc.Arbitrary<ScenarioInput> = fc.record({
  days: fc.integer({ min: 1, max: 40 }),
  population: fc.record({
    initialMembers: fc.integer({ min: 0, max: 120 }),
    organicPerDay: fc.double({ min: 0, max: 8, noNaN: true }),
    mix: fc.record({ lurker: fc.double({ min: 0.01, max: 1, noNaN: true }), troll: fc.double({ min: 0, max: 1, noNaN: true }) }),
    graph: fc.record({ generator: fc.constantFrom('small-world', 'preferential-attachment', 'random', 'none'), meanDegree: fc.integer({ min: 0, max: 12 }) }),
  }),
  manager: fc.record({ hoursPerDay: fc.double({ min: 0, max: 24, noNaN: true }) }),
  policies: fc.record({
    moderation: fc.record({ strictness: fc.double({ min: 0, max: 1, noNaN: true }), explainRemovals: fc.boolean() }),
    response: fc.record({ targetHours: fc.option(fc.double({ min: 0, max: 200, noNaN: true }), { nil: null }), welcomeNewcomers: fc.boolean() }),
  }),
  metrics: fc.constant({ graphEvery: 10 }),
}) as fc.Arbitrary<ScenarioInput>;

describe('invariants of valid scenarios', () => {
  it('values inside each metric\'s range, NaN only where undefined, members add up', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (input, seed) => {
        const sim = createSimulation(parseScenario(input), { seed });
        const r = sim.run();
        let members = r.series[0].members;
        for (const row of r.series) {
          expectDailyRow(row);
          if (row.day > 0) members += row.joins - row.churned - row.banned;
          expect(row.members).toBe(members);
          expect(row.active).toBeLessThanOrEqual(row.members + row.churned + row.banned);
        }
        expectSummary(r.summary);
        // a run of fewer than 30 days cannot measure D30 retention
        if (r.series.length <= 30) expect(r.summary.retentionD30).toBeNaN();
        expect(Number.isNaN(r.summary.growthRate)).toBe(r.series[0].members === 0);
        r.cohorts.share.forEach((row, c) => row.forEach((v) => expect(r.cohorts.sizes[c] === 0 ? Number.isNaN(v) : v >= 0 && v <= 1).toBe(true)));
      }),
      { numRuns: 40 },
    );
  });

  it('active <= activeWeek <= activeMonth <= members, and the hours used within the day\'s capacity, with schedules and shocks on any day, day 0 included', () => {
    const timed = fc.record({
      days: fc.integer({ min: 1, max: 25 }),
      population: fc.record({ initialMembers: fc.integer({ min: 0, max: 150 }), burnInDays: fc.integer({ min: 0, max: 20 }), mix: fc.record({ troll: fc.double({ min: 0, max: 1, noNaN: true }) }) }),
      behaviour: fc.record({ churnBase: fc.double({ min: 0, max: 1, noNaN: true }) }),
      policies: fc.record({ moderation: fc.record({ strictness: fc.double({ min: 0, max: 1, noNaN: true }), sanctions: fc.record({ banAfter: fc.integer({ min: 1, max: 3 }) }) }) }),
      schedule: fc.array(fc.record({ day: fc.integer({ min: 0, max: 25 }), set: fc.record({ 'manager.hoursPerDay': fc.double({ min: 0, max: 6, noNaN: true }) }) }), { maxLength: 3 }),
      shocks: fc.array(
        fc.oneof(
          fc.record({ type: fc.constant('troll-raid'), day: fc.integer({ min: 0, max: 25 }), size: fc.integer({ min: 1, max: 40 }) }),
          fc.record({ type: fc.constant('leader-leaves'), day: fc.integer({ min: 0, max: 25 }), replacementAfterDays: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }) }),
          fc.record({ type: fc.constant('manager-incident'), day: fc.integer({ min: 0, max: 25 }), kind: fc.constantFrom('aggression', 'misinformation') }),
          fc.record({ type: fc.constant('festival'), day: fc.integer({ min: 0, max: 25 }), messages: fc.integer({ min: 0, max: 300 }) }),
        ),
        { maxLength: 3 },
      ),
    }) as fc.Arbitrary<ScenarioInput>;
    fc.assert(
      fc.property(timed, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (input, seed) => {
        const r = createSimulation(parseScenario(input), { seed }).run();
        for (const row of r.series) {
          expect(row.active).toBeLessThanOrEqual(row.activeWeek);
          expect(row.activeWeek).toBeLessThanOrEqual(row.activeMonth);
          expect(row.activeMonth).toBeLessThanOrEqual(row.members);
          expect(row.managerHoursUsed).toBeLessThanOrEqual(row.managerHours + 1e-9);
        }
      }),
      {
        numRuns: 40,
        // found by CI: a misinformation correction listed before the leader leaving the same day
        // spent two hours of a day whose capacity the leaving then made 0
        examples: [[{ days: 10, population: { initialMembers: 0, burnInDays: 0, mix: { troll: 0 } }, behaviour: { churnBase: 0 }, policies: { moderation: { strictness: 0, sanctions: { banAfter: 1 } } }, schedule: [], shocks: [{ type: 'manager-incident', day: 10, kind: 'misinformation' }, { type: 'leader-leaves', day: 10, replacementAfterDays: null }] } as ScenarioInput, 2806840300]],
      },
    );
  });

  it('same seed, same trace', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 1000 }), (input, seed) => {
        const s = parseScenario(input);
        expect(JSON.stringify(createSimulation(s, { seed }).run())).toBe(JSON.stringify(createSimulation(s, { seed }).run()));
      }),
      { numRuns: 15 },
    );
  });
});

describe('invalid input', () => {
  it('is rejected with a field path and what was expected, never another exception', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('days', 'seed', 'population.initialMembers', 'policies.moderation.strictness', 'manager.hoursPerDay', 'policies.response.targetHours'), (value, path) => {
        const input = path.split('.').reduceRight<unknown>((acc, k) => ({ [k]: acc }), value);
        try {
          parseScenario(input);
        } catch (e) {
          expect(e).toBeInstanceOf(ScenarioError);
          const first = (e as ScenarioError).issues[0];
          expect(first.path.length).toBeGreaterThan(0);
          expect(first.message).toMatch(/expected|unknown/);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('names the field of an out-of-range value', () => {
    expect(() => parseScenario({ policies: { moderation: { strictness: 1.7 } } })).toThrow('policies.moderation.strictness: expected a number in [0, 1], got 1.7');
    expect(() => parseScenario({ policies: { moderation: { strictnes: 1 } } })).toThrow('policies.moderation.strictnes: unknown field');
    expect(() => parseScenario({ schedule: [{ day: 5, set: { 'policies.moderation.strictness': 3 } }] })).toThrow('schedule[0].set.policies.moderation.strictness: expected a number in [0, 1], got 3');
  });
  it('accepts {} and fills every field with the default the schema declares', () => {
    const s = parseScenario({}) as unknown as Record<string, unknown>;
    // walk the JSON Schema (the same zod schema) and compare each declared default with the value
    type Node = { default?: unknown; properties?: Record<string, Node> };
    let checked = 0;
    const walk = (node: Node, value: Record<string, unknown>, path: string) => {
      for (const [k, field] of Object.entries(node.properties ?? {})) {
        if ('default' in field && (typeof field.default !== 'object' || field.default === null)) {
          expect(value[k], `${path}${k}`).toEqual(field.default);
          checked++;
        }
        if (field.properties) walk(field, value[k] as Record<string, unknown>, `${path}${k}.`);
      }
    };
    walk(scenarioJsonSchema() as Node, s, '');
    expect(checked).toBeGreaterThan(100);
    expect(s.days).toBe(365);
    expect((s.policies as { moderation: { strictness: number } }).moderation.strictness).toBe(0.5);
  });
});
