/**
 * Leader visibility (engine/policies/leader.ts). Each claim compares a visible leader with the
 * same arm where one mechanism's parameter is zeroed, so it guards that mechanism alone and fails
 * when it is removed (checked with LEVER_ZERO, see arms.ts):
 *   attachment raises satisfaction      policies.leader.gain + firstAttach (members attach per visit)
 *   attachment carries to the community policies.leader.carry (identity)
 *   an attached member is less toxic    policies.leader.toxicBrake
 *   the personal profile's hours        policies.leader.profileHours
 */
import { describe, expect, it } from 'vitest';
import { SMALL, daily, expectShift, memberMean, paired, runArm, summary } from './arms.js';

// attachment builds slowly: half a year for it to show
const HALF_YEAR = { ...SMALL, days: 180 };
const PERSONAL = { 'policies.leader.personalShare': 0.8 };

describe('leader visibility', () => {
  const personal = runArm(HALF_YEAR, PERSONAL);

  it('members attach to a visible person, and are happier for it', () => {
    const unattached = runArm(HALF_YEAR, { ...PERSONAL, 'policies.leader.gain': 0, 'policies.leader.firstAttach': 0 });
    expectShift(paired(unattached, personal, daily('meanSatisfaction')), 'up', 'mean satisfaction');
  });

  it('the attachment carries to the community', () => {
    const noCarry = runArm(HALF_YEAR, { ...PERSONAL, 'policies.leader.carry': 0 });
    expectShift(paired(noCarry, personal, memberMean('identity')), 'up', 'mean identity of members');
  });

  it('members attached to a visible leader act less toxic', () => {
    // attachment builds slowly and the brake is small per act: 40 replications to see it
    const braked = runArm(HALF_YEAR, PERSONAL, 40);
    const noBrake = runArm(HALF_YEAR, { ...PERSONAL, 'policies.leader.toxicBrake': 0 }, 40);
    expectShift(paired(noBrake, braked, summary('meanToxicShare')), 'down', 'toxic share');
  });

  it('a personal profile takes profileHours x personalShare a day, booked to the leader', () => {
    for (const s of personal) expect(s.summary().hoursLeader).toBeCloseTo(0.5 * 0.8, 6);
  });
});
