import { describe, it } from 'vitest';
import { SMALL, daily, expectShift, memberMean, paired, runArm, summary } from './arms.js';

// attachment builds slowly: half a year for it to show in satisfaction and departures
const HALF_YEAR = { ...SMALL, days: 180 };

describe('leader visibility', () => {
  const brand = runArm(HALF_YEAR, { 'policies.leader.personalShare': 0 });
  const personal = runArm(HALF_YEAR, { 'policies.leader.personalShare': 0.8 });

  it('members attach to a visible person, and the attachment carries to the community', () => {
    expectShift(paired(brand, personal, daily('meanSatisfaction')), 'up', 'mean satisfaction');
    expectShift(paired(brand, personal, memberMean('identity')), 'up', 'mean identity of members');
    expectShift(paired(brand, personal, summary('totalChurned')), 'down', 'members who left');
  });

  it('a personal profile takes the manager\'s time', () => {
    expectShift(paired(brand, personal, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });
});
