/** Policy state survives snapshots: a run with every lever and shock resumes bit-identically. */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, resumeSimulation } from '../../../engine/index.js';

const EVERYTHING = parseScenario({
  days: 90,
  population: { initialMembers: 150 },
  policies: {
    rubrics: { perWeek: 3, memberHostedShare: 0.5 },
    experts: { invitesPerMonth: 3, selection: 'most-active' },
    moderation: { strictness: 0.7, explainRemovals: true },
    response: { targetHours: 8, welcomeNewcomers: true },
    contests: { perMonth: 2, durationDays: 10 },
    events: { perMonth: 2, offline: true },
    leader: { personalShare: 0.6 },
    acquisition: { adsPerDay: 2, referralIncentive: 1 },
    values: { clarity: 0.8 },
  },
  schedule: [{ day: 45, set: { 'policies.events.offline': false } }],
  shocks: [
    { type: 'troll-raid', day: 20, size: 20 },
    { type: 'festival', day: 33, messages: 400 },
    { type: 'viral-spike', day: 40, newcomers: 50 },
    { type: 'manager-incident', day: 50, kind: 'misinformation' },
    { type: 'leader-leaves', day: 55, replacementAfterDays: 10 },
  ],
});

describe('snapshots with every lever', () => {
  it.each([12, 25, 34, 41, 60])('resuming from day %i gives the same run', (at) => {
    const straight = createSimulation(EVERYTHING, { seed: 11 });
    straight.run();
    const first = createSimulation(EVERYTHING, { seed: 11 });
    first.step(at);
    const resumed = resumeSimulation(structuredClone(first.snapshot()));
    resumed.run();
    expect(resumed.series()).toEqual(straight.series());
    expect(resumed.events()).toEqual(straight.events());
  });
});
