/**
 * Rubrics (engine/policies/rubrics.ts). Each claim compares a rubric arm with the same arm where
 * one mechanism's parameter is zeroed, so it guards that mechanism alone and fails when it is
 * removed (checked with LEVER_ZERO, see arms.ts):
 *   fresh content -> visits            policies.rubrics.fresh
 *   the prompt -> members' posts        policies.rubrics.prompt
 *   read value -> satisfaction          policies.rubrics.readValue
 *   host recognition -> identity        policies.rubrics.hostIdentity
 *   the manager's hour per rubric       policies.rubrics.managerHours (and coordinationHours)
 */
import { describe, expect, it } from 'vitest';
import type { DailyMetric, Simulation } from '../../../engine/index.js';
import { SMALL, daily, expectShift, memberMean, paired, runArm, summary } from './arms.js';

const WEEKLY = { 'policies.rubrics.perWeek': 3 };
const HOSTED = { ...WEEKLY, 'policies.rubrics.memberHostedShare': 1 };
// one topic: every visitor follows the rubric's topic, so its read value reaches all of them
/** Mean over the days a manager rubric ran (hours booked to rubrics) of column `num` / column `den`. */
const onRubricDays = (num: DailyMetric, den: DailyMetric) => (s: Simulation) => {
  const hours = s.column('hoursRubrics');
  const top = s.column(num);
  const bottom = s.column(den);
  let sum = 0;
  let days = 0;
  for (let d = 1; d < hours.length; d++) {
    if (hours[d] <= 0 || bottom[d] === 0) continue;
    sum += top[d] / bottom[d];
    days++;
  }
  return sum / Math.max(1, days);
};
const ONE_TOPIC = { ...SMALL, population: { ...SMALL.population, topics: 1 } };

describe('rubrics', () => {
  const weekly = runArm(SMALL, WEEKLY);

  it('fresh content brings visits', () => {
    const stale = runArm(SMALL, { ...WEEKLY, 'policies.rubrics.fresh': 0 });
    expectShift(paired(stale, weekly, onRubricDays('active', 'members')), 'up', 'daily active share of members on rubric days');
  });

  it('the prompt draws posts from members', () => {
    const silent = runArm(SMALL, { ...WEEKLY, 'policies.rubrics.prompt': 0 }, 40);
    expectShift(paired(silent, runArm(SMALL, WEEKLY, 40), onRubricDays('posts', 'active')), 'up', 'posts per visitor on rubric days');
  });

  it('a rubric on their topic is worth reading', () => {
    // a rubric every day, on the one topic: every visitor reads one
    const DAILY = { 'policies.rubrics.perWeek': 7, 'policies.rubrics.quality': 1, 'policies.rubrics.fresh': 0, 'policies.rubrics.prompt': 0 };
    const read = runArm(ONE_TOPIC, DAILY);
    const unread = runArm(ONE_TOPIC, { ...DAILY, 'policies.rubrics.readValue': 0 });
    expectShift(paired(unread, read, daily('meanSatisfaction')), 'up', 'mean satisfaction');
  });

  it('member hosts gain identity with the community', () => {
    const hosted = runArm(SMALL, HOSTED);
    const unrecognised = runArm(SMALL, { ...HOSTED, 'policies.rubrics.hostIdentity': 0 });
    expectShift(paired(unrecognised, hosted, memberMean('identity')), 'up', 'mean identity of members');
  });

  it('a manager rubric costs managerHours, a member-hosted one coordinationHours', () => {
    // ample hours: every rubric gets its hour; booked to rubrics only
    for (const s of weekly) expect(s.summary().hoursRubrics).toBeCloseTo((3 / 7) * 1, 1);
    const hosted = runArm(SMALL, HOSTED, 5);
    for (const s of hosted) {
      expect(s.summary().hoursRubrics).toBeLessThan((3 / 7) * 1 - 0.1);
      expect(s.summary().hoursRubrics).toBeGreaterThan((3 / 7) * 0.25 - 0.01);
    }
  });

  it('a manager rubric is not a member post: no posts in a community with nobody in it', () => {
    const empty = runArm({ days: 30, population: { initialMembers: 0, organicPerDay: 0 } }, { 'policies.rubrics.perWeek': 7 }, 2);
    for (const s of empty) expect(daily('posts')(s)).toBe(0);
  });
});
