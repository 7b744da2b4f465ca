/** A bad value anywhere in the lever, schedule and shock blocks is rejected with its field path. */
import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario, withPath } from '../../engine/index.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  return [];
}

const BAD: [string, unknown][] = [
  ['manager.hoursPerDay', -1],
  ['manager.hoursPerDay', 25],
  ['policies.rubrics.perWeek', 'three'],
  ['policies.rubrics.memberHostedShare', 1.5],
  ['policies.rubrics.quality', -0.1],
  ['policies.experts.invitesPerMonth', -2],
  ['policies.experts.selection', 'loudest'],
  ['policies.moderation.strictness', 1.7],
  ['policies.moderation.rulesClarity', null],
  ['policies.moderation.explainRemovals', 'yes'],
  ['policies.moderation.sanctions.warnAfter', 0],
  ['policies.moderation.sanctions.banAfter', 2.5],
  ['policies.response.targetHours', -4],
  ['policies.response.welcomeNewcomers', 1],
  ['policies.contests.perMonth', 31],
  ['policies.contests.durationDays', 0],
  ['policies.events.perMonth', -1],
  ['policies.events.capacity', 0],
  ['policies.events.offline', 'sometimes'],
  ['policies.leader.personalShare', 2],
  ['policies.acquisition.adsPerDay', -5],
  ['policies.acquisition.adsSaturation', 0],
  ['policies.acquisition.referralIncentive', 11],
  ['policies.values.clarity', 'firm'],
];

function nested(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  const root: Record<string, unknown> = {};
  let node = root;
  keys.slice(0, -1).forEach((k) => (node = node[k] = {} as Record<string, unknown>));
  node[keys[keys.length - 1]] = value;
  return root;
}

describe('lever validation', () => {
  it.each(BAD)('%s = %j is rejected with its path', (path, value) => {
    const issues = issuesOf(nested(path, value));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0].message).toMatch(/^expected /);
    // and through --set (withPath) the same way
    expect(() => withPath(parseScenario({}), path, value)).toThrow(new RegExp(`^${path.replace(/\./g, '\\.')}: expected `));
  });

  it('an unknown lever field is named', () => {
    expect(issuesOf({ policies: { rubrics: { perMonth: 2 } } })).toEqual([{ path: 'policies.rubrics.perMonth', message: 'unknown field' }]);
  });

  it('a bad value in a schedule names the entry and the path', () => {
    const issues = issuesOf({ schedule: [{ day: 10, set: { 'policies.moderation.strictness': 0 } }, { day: 20, set: { 'policies.moderation.strictness': 3 } }] });
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('schedule[1].set.policies.moderation.strictness');
    expect(issues[0].message).toMatch(/^expected a number in \[0, 1\]/);
    expect(issuesOf({ schedule: [{ day: 5, set: { 'population.initialMembers': 10 } }] })[0].path).toBe('schedule[0].set.population.initialMembers');
    expect(issuesOf({ schedule: [{ day: -1, set: {} }] })[0].path).toBe('schedule[0].day');
  });

  it.each([
    [{ type: 'troll-raid', day: 10, size: 0 }, 'shocks[0].size'],
    [{ type: 'troll-raid', day: 10, durationDays: 0 }, 'shocks[0].durationDays'],
    [{ type: 'manager-incident', day: 10, kind: 'rudeness' }, 'shocks[0].kind'],
    [{ type: 'manager-incident', day: 10, severity: 2 }, 'shocks[0].severity'],
    [{ type: 'leader-leaves', day: 10, replacementAfterDays: -3 }, 'shocks[0].replacementAfterDays'],
    [{ type: 'festival', day: 10, messages: -1 }, 'shocks[0].messages'],
    [{ type: 'viral-spike', day: 10, newcomers: 1.5 }, 'shocks[0].newcomers'],
    [{ type: 'viral-spike', day: -1 }, 'shocks[0].day'],
    [{ type: 'earthquake', day: 10 }, 'shocks[0].type'],
  ])('shock %j is rejected at %s', (shock, path) => {
    const issues = issuesOf({ shocks: [shock] });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].path).toBe(path);
  });
});
