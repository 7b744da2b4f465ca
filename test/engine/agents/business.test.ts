/**
 * The seeds' business yardsticks (engine/agents/business.ts): customers, conversion of satisfied
 * members, spend, recommendations, and a member survey with satisfaction-dependent non-response.
 * Claims over paired replications with common seeds; the mechanism claims zero one parameter and
 * watch the effect vanish (LEVER_ZERO, see ../policies/arms.ts):
 *   conversions rise with satisfaction           business.conversion
 *   identity raises conversion                   business.identityWeight
 *   satisfied customers recommend                business.recommendShare
 *   the respondents are happier than everyone    surveys.satisfactionBias (with lapsedResponse 1)
 */
import { describe, expect, it } from 'vitest';
import { nps, recommendScore, surveyDay } from '../../../engine/agents/business.js';
import { SMALL, daily, expectShift, paired, runArm, summary } from '../policies/arms.js';

const REPS = 12;
// a troll-prone community, where moderation is a lever that raises satisfaction
const TROLLISH = { ...SMALL, population: { initialMembers: 1000, burnInDays: 60, mix: { lurker: 0.7, contributor: 0.2, expert: 0.04, troll: 0.06 } } };
// every member answers every survey, with no bias: the survey is a census, its NPS the community's
const CENSUS = { 'surveys.responseRate': 1, 'surveys.satisfactionBias': 0, 'surveys.lapsedResponse': 1 };

describe('business yardsticks', () => {
  const off = runArm(TROLLISH, { 'policies.moderation.strictness': 0 }, REPS);
  const strict = runArm(TROLLISH, { 'policies.moderation.strictness': 0.8 }, REPS);

  it('moderation makes members happier, and happier members convert and recommend more', () => {
    expectShift(paired(off, strict, daily('meanSatisfaction')), 'up', 'mean satisfaction');
    expectShift(paired(off, strict, summary('totalConversions')), 'up', 'conversions');
    expectShift(paired(off, strict, summary('totalRecommendations')), 'up', 'recommendations');
  });

  it('the NPS is higher in the happier community', () => {
    expectShift(paired(off, strict, summary('nps')), 'up', 'NPS');
  });

  it('members who identify with the community convert more', () => {
    const flat = runArm(TROLLISH, { 'policies.moderation.strictness': 0.8, 'business.identityWeight': 0 }, REPS);
    const strong = runArm(TROLLISH, { 'policies.moderation.strictness': 0.8, 'business.identityWeight': 5 }, REPS);
    expectShift(paired(flat, strong, summary('totalConversions')), 'up', 'conversions');
  });

  it('without conversion nobody converts, and customers are those who joined as customers', () => {
    const none = runArm(TROLLISH, { 'business.conversion': 0, 'business.recommendShare': 0 }, 4);
    for (const s of none) {
      const sum = s.summary();
      expect(sum.totalConversions).toBe(0);
      expect(sum.totalRecommendations).toBe(0);
      // a share of 0.3 of about 1,000 accounts: 4 binomial sds is about 0.06
      const day0 = s.series(0)[0];
      expect(Math.abs(day0.customers / day0.members - 0.3)).toBeLessThan(0.06);
    }
  });

  it('member-customers spend between 1 and 1 + the uplift of an outside customer; no uplift, no extra', () => {
    for (const s of strict.slice(0, 4)) {
      const index = s.summary().memberSpendIndex;
      expect(index).toBeGreaterThan(1);
      expect(index).toBeLessThan(1.19);
    }
    const flat = runArm(TROLLISH, { 'business.memberSpendUplift': 0 }, 2);
    for (const s of flat) expect(s.summary().memberSpendIndex).toBe(1);
  });

  it('the survey does not change the community: its own stream, nothing written back', () => {
    const surveyed = runArm(TROLLISH, { 'policies.moderation.strictness': 0.8, ...CENSUS }, 2);
    for (let r = 0; r < 2; r++) {
      const a = strict[r].summary(), b = surveyed[r].summary();
      expect(b.finalMembers).toBe(a.finalMembers);
      expect(b.totalConversions).toBe(a.totalConversions);
      expect(b.meanToxicShare).toBe(a.meanToxicShare);
    }
  });
});

describe('the member survey', () => {
  const census = runArm(TROLLISH, CENSUS, REPS);

  it('unhappy and lapsed members answer less, so the measured NPS is above the community\'s', () => {
    // the same communities (the survey changes nothing), surveyed with the default non-response
    const measured = runArm(TROLLISH, {}, REPS);
    expectShift(paired(census, measured, summary('nps')), 'up', 'measured NPS over the census NPS');
    expectShift(paired(census, measured, summary('surveyResponses')), 'down', 'respondents');
  });

  it('with non-response independent of satisfaction and visits the measured NPS is the community\'s', () => {
    const unbiased = runArm(TROLLISH, { 'surveys.satisfactionBias': 0, 'surveys.lapsedResponse': 1 }, REPS);
    const d = paired(census, unbiased, summary('nps'));
    expect(d.ciLow, `diff ${d.diff}`).toBeLessThan(0);
    expect(d.ciHigh, `diff ${d.diff}`).toBeGreaterThan(0);
  });

  it('surveys run perMonth times a month, and the NPS is undefined without one', () => {
    const days = Array.from({ length: 360 }, (_, k) => k + 1);
    expect(days.filter((d) => surveyDay(d, 1)).length).toBe(12);
    expect(days.filter((d) => surveyDay(d, 4)).length).toBe(48);
    expect(days.filter((d) => surveyDay(d, 0)).length).toBe(0);
    const s = census[0];
    const col = s.column('nps');
    const responses = s.column('surveyResponses');
    for (let d = 1; d < col.length; d++) expect(Number.isNaN(col[d])).toBe(responses[d] === 0);
    const none = runArm({ ...TROLLISH, days: 40 }, { 'surveys.perMonth': 0 }, 1)[0].summary();
    expect(none.nps).toBeNaN();
    expect(none.surveyResponses).toBe(0);
  });

  it('scores follow satisfaction and NPS counts 9-10 as promoters, 0-6 as detractors', () => {
    expect(recommendScore(0, 1, 10, 0)).toBe(1);
    expect(recommendScore(1, 1, 10, 0)).toBe(10);
    expect(recommendScore(0.9, 1, 10, 5)).toBe(10);
    expect(recommendScore(0.1, 1, 10, -5)).toBe(0);
    expect(nps(3, 1, 10)).toBe(20);
    expect(nps(0, 0, 0)).toBeNaN();
  });
});
