/**
 * Expert invites (engine/policies/experts.ts). Each claim about the invites compares invites with
 * the same arm where one mechanism's parameter is zeroed, so it guards that mechanism alone and
 * fails when it is removed (checked with LEVER_ZERO, see arms.ts):
 *   recognition of the invited          policies.experts.identity
 *   experts' content draws visits       policies.experts.freshPerExpert + amaFresh
 *   whom the manager picks              policies.experts.selection (most-expert against random)
 *   the manager's half hour per invite  policies.experts.inviteHours
 * Experts answering questions is the answer hook's, tested at the end.
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../engine/index.js';
import { SMALL, expectShift, paired, runArm, summary } from './arms.js';

const INVITES = { 'policies.experts.invitesPerMonth': 4 };

/** Mean of a field over the members who are experts at the end (0 when none). */
const expertMean = (field: 'identity' | 'expertise') => (s: Simulation) => {
  const experts = s.view(1e9).members.filter((m) => m.expert);
  return experts.reduce((a, m) => a + m[field], 0) / Math.max(1, experts.length);
};

describe('expert invites', () => {
  const none = runArm(SMALL, { 'policies.experts.invitesPerMonth': 0 });
  const invited = runArm(SMALL, INVITES);

  it('the invited gain identity with the community (recognition)', () => {
    const unrecognised = runArm(SMALL, { ...INVITES, 'policies.experts.identity': 0 });
    expectShift(paired(unrecognised, invited, expertMean('identity')), 'up', 'mean identity of experts');
  });

  it('experts\' posts give members a reason to visit', () => {
    const quiet = runArm(SMALL, { ...INVITES, 'policies.experts.freshPerExpert': 0, 'policies.experts.amaFresh': 0 });
    expectShift(paired(quiet, invited, summary('meanActive')), 'up', 'mean daily active');
  });

  it('picking by judged expertise finds more expert members than picking at random', () => {
    const random = runArm(SMALL, { ...INVITES, 'policies.experts.selection': 'random' });
    expectShift(paired(random, invited, expertMean('expertise')), 'up', 'mean expertise of experts');
  });

  it('each invite costs inviteHours, booked to experts', () => {
    // four a month over 120 days: 16 invites of half an hour, prepared over the days before
    for (const s of invited) expect(s.summary().hoursExperts * 120).toBeCloseTo(16 * 0.5, 0);
  });

  describe('answering (the answer hook)', () => {
    it('experts answer questions sooner than the manager and draw visits', () => {
      expectShift(paired(none, invited, summary('medianResponseHours')), 'down', 'median response hours');
      expectShift(paired(none, invited, summary('meanActive')), 'up', 'mean daily active');
    });

    it('a poor choice of experts gives poorer answers: the manager answers more', () => {
      const random = runArm(SMALL, { ...INVITES, 'policies.experts.selection': 'random' });
      expectShift(paired(invited, random, summary('medianResponseHours')), 'up', 'median response hours');
    });
  });
});
