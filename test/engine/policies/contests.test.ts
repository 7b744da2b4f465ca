/**
 * Contests (engine/policies/contests.ts). Each claim compares contests running with the same
 * arm where one mechanism's parameter is zeroed, so it guards that mechanism alone and fails
 * when it is removed (checked with LEVER_ZERO, see arms.ts):
 *   bursts of posting                   policies.contests.postBoost
 *   bursts of visits                    policies.contests.visitBoost
 *   newcomers drawn from outside        policies.contests.newcomersBase + newcomersPerVisitor
 *   ties among entrants                 policies.contests.entrantTie
 *   competitive friction                policies.contests.friction
 *   the manager's hours                 policies.contests.startHours + judgeHours
 */
import { describe, expect, it } from 'vitest';
import type { DailyMetric, Simulation } from '../../../engine/index.js';
import { SMALL, daily, expectShift, paired, runArm, summary } from './arms.js';

const MONTHLY = { 'policies.contests.perMonth': 2 };

/** Sum of column `num` over the sum of columns `den` on the days a contest runs (7 from its start). */
const whileRunning = (num: DailyMetric, ...den: DailyMetric[]) => (s: Simulation) => {
  const top = s.column(num);
  let t = 0;
  let n = 0;
  for (const e of s.events()) {
    if (!e.text.startsWith('a contest starts')) continue;
    for (let d = e.day; d < Math.min(top.length, e.day + 7); d++) {
      t += top[d];
      for (const c of den) n += s.column(c)[d];
    }
  }
  return t / Math.max(1, n);
};

describe('contests', () => {
  const monthly = runArm(SMALL, MONTHLY);

  it('bring bursts of posting', () => {
    const flat = runArm(SMALL, { ...MONTHLY, 'policies.contests.postBoost': 0 });
    expectShift(paired(flat, monthly, whileRunning('posts', 'active')), 'up', 'posts per visitor while a contest runs');
  });

  it('bring bursts of visits', () => {
    const flat = runArm(SMALL, { ...MONTHLY, 'policies.contests.visitBoost': 0 });
    expectShift(paired(flat, monthly, summary('meanActive')), 'up', 'mean daily active');
  });

  it('draw newcomers from outside', () => {
    const closed = runArm(SMALL, { ...MONTHLY, 'policies.contests.newcomersBase': 0, 'policies.contests.newcomersPerVisitor': 0 });
    expectShift(paired(closed, monthly, summary('totalJoins')), 'up', 'newcomers');
  });

  it('tie entrants to one another', () => {
    const apart = runArm(SMALL, { ...MONTHLY, 'policies.contests.entrantTie': 0 });
    expectShift(paired(apart, monthly, daily('ties')), 'up', 'ties');
  });

  it('add competitive friction: a larger toxic share of what is written, not only more writing', () => {
    const friendly = runArm(SMALL, { ...MONTHLY, 'policies.contests.friction': 0 });
    expectShift(paired(friendly, monthly, whileRunning('toxicPosts', 'posts', 'replies')), 'up', 'toxic share while a contest runs');
  });

  it('cost the manager startHours to start and judgeHours to judge, booked to contests', () => {
    // two a month over 120 days: about eight started and judged (the last may still run)
    for (const s of monthly) {
      const hours = s.summary().hoursContests * 120;
      expect(hours).toBeGreaterThan(7 * 3 - 1);
      expect(hours).toBeLessThan(8 * 3 + 1);
    }
  });
});
