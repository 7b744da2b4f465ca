/**
 * Moderation (engine/policies/moderation.ts). The lever's claims compare settings of strictness,
 * rules, the ladder and explanations; the mechanism claims at the end compare the same arm with
 * one parameter zeroed, so they fail when that mechanism is removed (checked with LEVER_ZERO,
 * see arms.ts):
 *   clear rules lower toxic acts                  policies.moderation.rulesWeight
 *   clear rules draw newcomers in                 policies.moderation.rulesParticipation
 *   visible enforcement lowers toxic acts         policies.moderation.enforcementWeight
 *   a wrongful removal hurts its author           policies.moderation.wrongfulHurt
 *   review time                                   policies.moderation.minutesPerReview
 */
import { describe, expect, it } from 'vitest';
import { SMALL, daily, expectShift, paired, runArm, summary } from './arms.js';

// 1,500 accounts: toxic shares of a 600-account community vary too much between paired runs
const TROLLISH = { ...SMALL, population: { initialMembers: 1500, burnInDays: 60, mix: { lurker: 0.7, contributor: 0.2, expert: 0.04, troll: 0.06 } } };

describe('moderation', () => {
  const off = runArm(TROLLISH, { 'policies.moderation.strictness': 0 });
  const strict = runArm(TROLLISH, { 'policies.moderation.strictness': 0.8 });

  it('strictness lowers the toxic share and removes items, with false positives', () => {
    expectShift(paired(off, strict, summary('meanToxicShare')), 'down', 'toxic share');
    expectShift(paired(off, strict, daily('toxicSeenShare')), 'down', 'toxic share of reads');
    expectShift(paired(off, strict, daily('removedPosts')), 'up', 'removed items');
    expectShift(paired(off, strict, daily('falsePositives')), 'up', 'false positives');
  });

  it('lowers the exposure of members and costs review time', () => {
    expectShift(paired(off, strict, daily('exposure')), 'down', 'toxicity exposure of visitors');
    expectShift(paired(off, strict, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });

  it('clear rules lower toxic acts', () => {
    const vague = runArm(TROLLISH, { 'policies.moderation.rulesClarity': 0 });
    const clear = runArm(TROLLISH, { 'policies.moderation.rulesClarity': 1 });
    expectShift(paired(vague, clear, summary('meanToxicShare')), 'down', 'toxic share');
  });

  it('a ban ladder bans repeat offenders', () => {
    const never = runArm(TROLLISH, { 'policies.moderation.sanctions.banAfter': null });
    const quick = runArm(TROLLISH, { 'policies.moderation.sanctions.banAfter': 2 });
    expectShift(paired(never, quick, summary('totalBanned')), 'up', 'members banned');
  });

  it('explained removals cost time and soften wrongful removals', () => {
    // heavy-handed moderators (a fifth of what they review wrongly removed), so the softening shows
    const base = { 'policies.moderation.strictness': 1, 'policies.moderation.falsePositive': 0.2 };
    const silent = runArm(TROLLISH, base);
    const explained = runArm(TROLLISH, { ...base, 'policies.moderation.explainRemovals': true });
    expectShift(paired(silent, explained, summary('hoursModeration')), 'up', 'moderation hours a day');
    expectShift(paired(silent, explained, daily('meanSatisfaction')), 'up', 'mean satisfaction');
  });

  describe('mechanisms', () => {
    const STRICT = { 'policies.moderation.strictness': 0.8 };
    const CLEAR = { ...STRICT, 'policies.moderation.rulesClarity': 1 };

    it('clear rules lower toxic acts (rulesWeight)', () => {
      const clear = runArm(TROLLISH, CLEAR);
      const unheeded = runArm(TROLLISH, { ...CLEAR, 'policies.moderation.rulesWeight': 0 });
      expectShift(paired(unheeded, clear, summary('meanToxicShare')), 'down', 'toxic share');
    });

    it('clear rules draw newcomers into the conversation (rulesParticipation; Matias 2019: +70%)', () => {
      const clear = runArm(TROLLISH, CLEAR);
      const unread = runArm(TROLLISH, { ...CLEAR, 'policies.moderation.rulesParticipation': 0 });
      expectShift(paired(unread, clear, daily('newContributors')), 'up', 'newcomers contributing for the first time');
    });

    it('removals members can see lower toxic acts (enforcementWeight)', () => {
      const unseen = runArm(TROLLISH, { ...STRICT, 'policies.moderation.enforcementWeight': 0 });
      expectShift(paired(unseen, strict, summary('meanToxicShare')), 'down', 'toxic share');
    });

    it('a wrongful removal hurts its author (wrongfulHurt)', () => {
      // heavy-handed moderators (a fifth of what they review wrongly removed), so the hurt shows
      const FULL = { 'policies.moderation.strictness': 1, 'policies.moderation.falsePositive': 0.2 };
      const hurt = runArm(TROLLISH, FULL);
      const painless = runArm(TROLLISH, { ...FULL, 'policies.moderation.wrongfulHurt': 0 });
      expectShift(paired(painless, hurt, daily('meanSatisfaction')), 'down', 'mean satisfaction');
    });

    it('reviews take minutesPerReview each, booked to moderation', () => {
      for (const s of off) expect(s.summary().hoursModeration).toBe(0);
      for (const s of strict) expect(s.summary().hoursModeration).toBeGreaterThan(0);
    });
  });
});
