/**
 * Invariants over generated lever settings and shocks (fast-check): whatever the manager does,
 * every metric is inside its range or NaN exactly where undefined, hours used never exceed capacity and are
 * all booked to an activity (the hours* columns add up to managerHoursUsed), and the same seed
 * gives the same trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAILY_METRIC_NAMES, createSimulation, parseScenario } from '../../../engine/index.js';
import { expectDailyRow } from '../metric-values.js';

const DAYS = 40;
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const levers = fc.record({
  rubrics: fc.record({ perWeek: fc.integer({ min: 0, max: 14 }), memberHostedShare: unit, quality: unit }),
  experts: fc.record({ invitesPerMonth: fc.integer({ min: 0, max: 20 }), selection: fc.constantFrom('most-active', 'most-expert', 'random') }),
  moderation: fc.record({ strictness: unit, rulesClarity: unit, explainRemovals: fc.boolean(), sanctions: fc.record({ warnAfter: fc.option(fc.integer({ min: 1, max: 5 })), muteAfter: fc.option(fc.integer({ min: 1, max: 5 })), banAfter: fc.option(fc.integer({ min: 1, max: 5 })) }) }),
  response: fc.record({ targetHours: fc.option(fc.integer({ min: 0, max: 200 })), welcomeNewcomers: fc.boolean() }),
  contests: fc.record({ perMonth: fc.integer({ min: 0, max: 10 }), durationDays: fc.integer({ min: 1, max: 20 }) }),
  events: fc.record({ perMonth: fc.integer({ min: 0, max: 10 }), capacity: fc.integer({ min: 1, max: 100 }), offline: fc.boolean() }),
  leader: fc.record({ personalShare: unit }),
  acquisition: fc.record({ adsPerDay: fc.integer({ min: 0, max: 20 }), referralIncentive: fc.double({ min: 0, max: 5, noNaN: true }) }),
  values: fc.record({ clarity: unit }),
});
const day = fc.integer({ min: 0, max: DAYS });
const shock = fc.oneof(
  fc.record({ type: fc.constant('troll-raid'), day, size: fc.integer({ min: 1, max: 60 }), durationDays: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ type: fc.constant('manager-incident'), day, kind: fc.constantFrom('aggression', 'misinformation'), severity: unit }),
  fc.record({ type: fc.constant('leader-leaves'), day, replacementAfterDays: fc.option(fc.integer({ min: 0, max: 20 })) }),
  fc.record({ type: fc.constant('festival'), day, messages: fc.integer({ min: 0, max: 3000 }), durationDays: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ type: fc.constant('viral-spike'), day, newcomers: fc.integer({ min: 0, max: 200 }), durationDays: fc.integer({ min: 1, max: 5 }) }),
);

/** Every lever off but the ones given (the shape `levers` generates). */
const idle = (on: object) => ({
  rubrics: { perWeek: 0, memberHostedShare: 0, quality: 0 },
  experts: { invitesPerMonth: 0, selection: 'most-active' as const },
  moderation: { strictness: 0, rulesClarity: 0, explainRemovals: false, sanctions: { warnAfter: null, muteAfter: null, banAfter: null } },
  response: { targetHours: null, welcomeNewcomers: false },
  contests: { perMonth: 0, durationDays: 1 },
  events: { perMonth: 0, capacity: 1, offline: false },
  leader: { personalShare: 0 },
  acquisition: { adsPerDay: 0, referralIncentive: 0 },
  values: { clarity: 0 },
  ...on,
});

const HOURS = DAILY_METRIC_NAMES.filter((n) => /^hours[A-Z]/.test(n));

describe('lever invariants', () => {
  it('values in range or NaN where undefined, hours within capacity, same seed same trace', () => {
    fc.assert(
      fc.property(levers, fc.array(shock, { maxLength: 3 }), fc.integer({ min: 0, max: 1000 }), (policies, shocks, seed) => {
        const scenario = parseScenario({ days: DAYS, population: { initialMembers: 80 }, manager: { hoursPerDay: 3 }, policies, shocks });
        const a = createSimulation(scenario, { seed });
        a.run();
        for (const row of a.series()) {
          expectDailyRow(row);
          expect(row.managerHoursUsed).toBeLessThanOrEqual(row.managerHours + 1e-9);
          // every hour spent is booked to one activity
          let booked = 0;
          for (const name of HOURS) booked += row[name];
          expect(booked).toBeCloseTo(row.managerHoursUsed, 9);
        }
        const b = createSimulation(scenario, { seed });
        b.run();
        expect(b.series()).toEqual(a.series());
      }),
      {
        numRuns: 25,
        seed: 42,
        // found by a longer run: the leader leaving on day 0 left the burn-in's last ad hours on a day of no capacity
        examples: [[idle({ acquisition: { adsPerDay: 1, referralIncentive: 0 } }), [{ type: 'leader-leaves', day: 0, replacementAfterDays: null }], 0]],
      },
    );
  });
});
