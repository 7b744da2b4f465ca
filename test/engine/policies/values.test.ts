/**
 * Values clarity (engine/policies/values.ts). The lever's claims compare vague and firm values;
 * each mechanism's claim compares firm values with the same arm where one parameter is zeroed,
 * so it fails when that mechanism is removed (checked with LEVER_ZERO, see arms.ts):
 *   value conflict -> disputes (toxicity)      policies.values.conflict
 *   misfits lose satisfaction                  policies.values.misfitCost
 *   the manager's time in disputes             policies.values.hoursPerWeek + minutesPerMisfit
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../engine/index.js';
import { SMALL, expectShift, paired, runArm, summary } from './arms.js';

// 1,500 accounts: toxic shares of a 600-account community vary too much between paired runs
const MIXED = { ...SMALL, population: { initialMembers: 1500, burnInDays: 60, traits: { alignmentMean: 0.45 } } };

describe('values clarity', () => {
  const vague = runArm(MIXED, { 'policies.values.clarity': 0 });
  const firm = runArm(MIXED, { 'policies.values.clarity': 1 });
  const half = runArm(MIXED, { 'policies.values.clarity': 0.5 });

  it('a firm stance means fewer disputes: value conflict is what it takes away', () => {
    expectShift(paired(vague, firm, summary('toxicShareNonTrolls')), 'down', 'toxic share of non-trolls');
    // at half clarity, conflict still adds toxicity: removing it lowers the toxic share
    const noConflict = runArm(MIXED, { 'policies.values.clarity': 0.5, 'policies.values.conflict': 0 });
    expectShift(paired(half, noConflict, summary('toxicShareNonTrolls')), 'down', 'toxic share of non-trolls');
  });

  it('members misaligned with the values lose satisfaction (and so stop coming sooner)', () => {
    // accounts stay on the rolls after they stop coming, so the misfits' satisfaction is the measure
    const misfits = (s: Simulation) => {
      const m = s.view(1e9).members.filter((x) => x.alignment < 0.4);
      return m.reduce((a, x) => a + x.satisfaction, 0) / Math.max(1, m.length);
    };
    expectShift(paired(vague, firm, misfits), 'down', 'mean satisfaction of misaligned members');
    const noCost = runArm(MIXED, { 'policies.values.clarity': 1, 'policies.values.misfitCost': 0 });
    expectShift(paired(noCost, firm, misfits), 'down', 'mean satisfaction of misaligned members');
  });

  it('holding the stance takes the manager\'s time, booked to values', () => {
    for (const s of vague) expect(s.summary().hoursValues).toBe(0);
    // an hour a week at full clarity, plus half a minute per misaligned visitor
    for (const s of firm) expect(s.summary().hoursValues).toBeGreaterThan(1 / 7);
  });
});
