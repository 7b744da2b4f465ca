/**
 * What every lever shares (engine/policies/policy.ts): no hours are spent on a community with no
 * members, planned work (events, contests, invites) is prepared over the days before it so a
 * manager with fewer hours a day than one piece takes still does it, and a lever that cannot
 * act says why, once.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, withPath } from '../../../engine/index.js';

const EVERY_LEVER = {
  rubrics: { perWeek: 7 },
  experts: { invitesPerMonth: 4 },
  moderation: { strictness: 0.8 },
  response: { welcomeNewcomers: true },
  contests: { perMonth: 2 },
  events: { perMonth: 4 },
  leader: { personalShare: 0.6 },
  acquisition: { referralIncentive: 1 },
  values: { clarity: 0.8 },
};

describe('a community with no members', () => {
  const r = runScenario(parseScenario({ days: 30, population: { initialMembers: 0, organicPerDay: 0 }, policies: EVERY_LEVER }), { seed: 1 });

  it('spends no manager hours and reports no posts (manager rubrics are not member posts)', () => {
    for (const row of r.series) {
      expect(row.managerHoursUsed).toBe(0);
      expect(row.posts + row.replies).toBe(0);
    }
    expect(r.summary.dead).toBe(1);
  });

  it('says once, for each lever that would take hours, that it cannot act and why', () => {
    const told = r.events.filter((e) => e.kind === 'lever').map((e) => e.text);
    expect(told.length).toBe(new Set(told).size);
    for (const lever of ['rubric', 'events', 'contests', 'expert invites', 'personal profile']) {
      expect(told.filter((t) => t.includes(lever) && t.includes('no members')), lever).toHaveLength(1);
    }
  });
});

describe('planned work is prepared over the days before it', () => {
  // a manager with one hour a day and three-hour events: they can only be held by preparing
  // over several days (with the hours of one day, none would ever be held)
  const base = parseScenario({ days: 120, population: { initialMembers: 150 }, manager: { hoursPerDay: 1 }, policies: { events: { perMonth: 2 } } });
  const held = (s: ReturnType<typeof parseScenario>) => runScenario(s, { seed: 3 }).events.filter((e) => e.kind === 'milestone' && e.text.includes('event:')).length;

  it('holds every event that falls due, with a manager of fewer hours a day than one event takes', () => {
    expect(held(base)).toBe(8);
  });

  it('books the preparation to events, spread over the days (perMonth x prepHours / 30 a day)', () => {
    const r = runScenario(base, { seed: 3 });
    expect(r.summary.hoursEvents).toBeCloseTo((2 * 3) / 30, 2);
    const daysWithPrep = r.series.filter((row) => row.day > 0 && row.hoursEvents > 0).length;
    expect(daysWithPrep).toBeGreaterThan(100);
    for (const row of r.series) expect(row.hoursEvents).toBeLessThan(1);
  });

  it('holds none, and says why once, when the manager has no hours', () => {
    const none = withPath(base, 'manager.hoursPerDay', 0);
    const r = runScenario(none, { seed: 3 });
    expect(held(none)).toBe(0);
    expect(r.events.filter((e) => e.kind === 'lever' && e.text.startsWith('events wait'))).toEqual([
      expect.objectContaining({ text: 'events wait: the manager has no hours (manager.hoursPerDay = 0)' }),
    ]);
  });

  it('contests and invites too: started and sent at their rate with an hour a day', () => {
    const s = parseScenario({ days: 120, population: { initialMembers: 150 }, manager: { hoursPerDay: 1 }, policies: { contests: { perMonth: 2, startHours: 2 }, experts: { invitesPerMonth: 4, inviteHours: 1.5 } } });
    const r = runScenario(s, { seed: 3 });
    expect(r.events.filter((e) => e.text.startsWith('a contest starts')).length).toBe(8);
    expect(r.summary.hoursExperts * 120).toBeCloseTo(16 * 1.5, 0);
  });
});
