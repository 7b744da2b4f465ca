import { describe, it } from 'vitest';
import { SMALL, expectShift, memberMean, paired, runArm, summary } from './arms.js';

const MIXED = { ...SMALL, population: { initialMembers: 150, traits: { alignmentMean: 0.45 } } };

describe('values clarity', () => {
  const vague = runArm(MIXED, { 'policies.values.clarity': 0 });
  const firm = runArm(MIXED, { 'policies.values.clarity': 1 });

  it('a firm stance means fewer disputes', () => {
    expectShift(paired(vague, firm, summary('toxicShareNonTrolls')), 'down', 'toxic share of non-trolls');
  });

  it('members misaligned with the values leave sooner', () => {
    expectShift(paired(vague, firm, memberMean('alignment')), 'up', 'mean alignment of members');
  });

  it('holding the stance takes the manager\'s time', () => {
    expectShift(paired(vague, firm, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });
});
