import { describe, it } from 'vitest';
import { SMALL, daily, expectShift, paired, runArm, summary } from './arms.js';

describe('contests', () => {
  const none = runArm(SMALL, { 'policies.contests.perMonth': 0 });
  const monthly = runArm(SMALL, { 'policies.contests.perMonth': 2 });

  it('bring bursts of posting, newcomers and ties', () => {
    expectShift(paired(none, monthly, daily('posts')), 'up', 'posts a day');
    expectShift(paired(none, monthly, summary('totalJoins')), 'up', 'newcomers');
    expectShift(paired(none, monthly, daily('ties')), 'up', 'ties');
  });

  it('add some competitive friction and cost the manager time', () => {
    expectShift(paired(none, monthly, daily('toxicPosts')), 'up', 'toxic items a day');
    expectShift(paired(none, monthly, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });
});
