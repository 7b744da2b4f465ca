import { describe, it } from 'vitest';
import { SMALL, daily, expectShift, paired, runArm, summary } from './arms.js';

describe('expert invites', () => {
  const none = runArm(SMALL, { 'policies.experts.invitesPerMonth': 0 });
  const invited = runArm(SMALL, { 'policies.experts.invitesPerMonth': 4 });
  const random = runArm(SMALL, { 'policies.experts.invitesPerMonth': 4, 'policies.experts.selection': 'random' });

  it('experts answer questions sooner than the manager and draw visits', () => {
    expectShift(paired(none, invited, summary('medianResponseHours')), 'down', 'median response hours');
    expectShift(paired(none, invited, summary('meanActive')), 'up', 'mean daily active');
    expectShift(paired(none, invited, daily('meanSatisfaction')), 'up', 'mean satisfaction');
  });

  it('invites cost the manager time', () => {
    expectShift(paired(none, invited, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });

  it('a poor choice of experts gives poorer answers: the manager answers more', () => {
    expectShift(paired(invited, random, summary('medianResponseHours')), 'up', 'median response hours');
  });
});
