import { describe, expect, it } from 'vitest';
import { SMALL, daily, expectShift, memberMean, paired, runArm, summary } from './arms.js';

describe('rubrics', () => {
  const none = runArm(SMALL, { 'policies.rubrics.perWeek': 0 });
  const weekly = runArm(SMALL, { 'policies.rubrics.perWeek': 3 });
  const hosted = runArm(SMALL, { 'policies.rubrics.perWeek': 3, 'policies.rubrics.memberHostedShare': 1 });

  it('regular rubrics bring more visits and posts', () => {
    expectShift(paired(none, weekly, summary('meanActive')), 'up', 'mean daily active');
    expectShift(paired(none, weekly, daily('posts')), 'up', 'posts a day');
    expectShift(paired(none, weekly, daily('replies')), 'up', 'replies a day');
  });

  it('cost the manager about an hour each', () => {
    const d = paired(none, weekly, summary('managerHoursUsed'));
    expectShift(d, 'up', 'manager hours a day');
    // three rubrics a week are ~0.43 hours a day; answering the extra activity adds a little
    expect(d.diff).toBeGreaterThan(0.35);
    expect(d.diff).toBeLessThan(0.6);
  });

  it('member-hosted rubrics cost the manager less and raise identity', () => {
    expectShift(paired(weekly, hosted, summary('managerHoursUsed')), 'down', 'manager hours a day');
    expectShift(paired(weekly, hosted, memberMean('identity')), 'up', 'mean identity of members');
  });
});
