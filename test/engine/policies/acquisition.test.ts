/**
 * Acquisition (engine/policies/acquisition.ts): bought arrivals with diminishing returns, their
 * lower alignment, referral incentives (through climate.referralMultiplier), and the hours they
 * take (policies.acquisition.campaignHours and rewardMinutes: zeroed, the hours claims fail;
 * checked with LEVER_ZERO, see arms.ts).
 */
import { describe, expect, it } from 'vitest';
import { boughtPerDay } from '../../../engine/policies/acquisition.js';
import { SMALL, daily, expectShift, memberMean, paired, runArm, summary } from './arms.js';

describe('acquisition', () => {
  it('bought arrivals have diminishing returns', () => {
    expect(boughtPerDay(0, 200)).toBe(0);
    expect(boughtPerDay(10, 200)).toBeCloseTo(9.75, 2);
    expect(boughtPerDay(1000, 200)).toBeLessThan(200);
    expect(boughtPerDay(400, 200) - boughtPerDay(200, 200)).toBeLessThan(boughtPerDay(200, 200) - boughtPerDay(0, 200));
  });

  const none = runArm(SMALL, {});
  const ads = runArm(SMALL, { 'policies.acquisition.adsPerDay': 4 });

  it('ads bring newcomers who are less aligned, and cost the manager time', () => {
    expectShift(paired(none, ads, summary('totalJoins')), 'up', 'newcomers');
    expectShift(paired(none, ads, memberMean('alignment')), 'down', 'mean alignment of members');
    expectShift(paired(none, ads, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });

  it('referral incentives bring more referrals, each reward costing rewardMinutes', () => {
    const incentive = runArm(SMALL, { 'policies.acquisition.referralIncentive': 2 });
    expectShift(paired(none, incentive, daily('referrals')), 'up', 'referrals a day');
    for (const s of incentive) expect(s.summary().hoursAcquisition).toBeCloseTo((daily('referrals')(s) * 3) / 60, 6);
  });

  it('a campaign takes campaignHours a day, booked to acquisition', () => {
    for (const s of none) expect(s.summary().hoursAcquisition).toBe(0);
    for (const s of ads) expect(s.summary().hoursAcquisition).toBeCloseTo(0.25, 6);
  });
});
