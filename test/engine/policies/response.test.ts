/**
 * Answering (engine/policies/response.ts and engine/agents/answers.ts): latency is an outcome of
 * questions against the manager's hours, never the target echoed back. Each claim runs paired
 * replications and checks the 95% interval of the differences.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, withPath } from '../../../engine/index.js';
import { daily, expectShift, memberMean, paired, runArm, summary } from './arms.js';

/** An established community of 1,000 accounts with a manager who has the hours to answer. */
const AMPLE = { days: 120, population: { initialMembers: 1000, burnInDays: 60 }, manager: { hoursPerDay: 8 } };

describe('response: latency emerges from the queue against the hours', () => {
  const fast = runArm(AMPLE, { 'policies.response.targetHours': 1 });
  const slow = runArm(AMPLE, { 'policies.response.targetHours': 48 });

  it('with ample hours, aiming at 1 hour answers faster than aiming at 48, and answers no fewer', () => {
    expectShift(paired(slow, fast, summary('medianResponseHours')), 'down', 'median response hours');
    const share = paired(slow, fast, summary('answeredShare'));
    // "at least as high": the interval of (fast - slow) does not lie below zero
    expect(share.ciHigh, `answered share ${share.a} -> ${share.b}`).toBeGreaterThanOrEqual(0);
  });

  it('the recorded response time is not the target: with a 48-hour target most questions are answered sooner by members', () => {
    const medians = slow.map((s) => s.summary().medianResponseHours);
    const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
    expect(mean).toBeLessThan(48);
  });

  it('with scarce hours on a busy community the waits grow far above the target', () => {
    // a help desk: many questions, members who can rarely answer them, so the manager's own
    // waits are what askers get
    const desk = {
      days: 120,
      population: { initialMembers: 6000, burnInDays: 60, mix: { expert: 0 }, traits: { otherExpertise: { min: 0, max: 0.05 } } },
      behaviour: { posting: { askOther: 0.6, askNewcomer: 0.8 } },
      policies: { response: { targetHours: 1 }, leader: { personalShare: 0 } },
    };
    const scarce = runArm(desk, { 'manager.hoursPerDay': 0.5 }, 6);
    const ample = runArm(desk, { 'manager.hoursPerDay': 8 }, 6);
    // the daily median wait over the last month, once the backlog has built up
    const lastMonth = (s: (typeof scarce)[number]) => {
      const days = Array.from(s.column('medianResponseHours').slice(90)).filter((h) => Number.isFinite(h));
      return days.reduce((a, b) => a + b, 0) / days.length;
    };
    for (const s of scarce) {
      expect(lastMonth(s), 'median wait in the last month with scarce hours').toBeGreaterThan(24);
      expect(s.column('backlog').at(-1)!, 'open questions at the end').toBeGreaterThan(15);
    }
    for (const s of ample) expect(lastMonth(s), 'median wait in the last month with ample hours').toBeLessThan(12);
  });

  it('a manager who never answers leaves questions unanswered and spends no answering hours', () => {
    const never = runArm(AMPLE, { 'policies.response.targetHours': null });
    expectShift(paired(fast, never, summary('answeredShare')), 'down', 'answered share');
    for (const s of never) expect(s.summary().hoursAnswering).toBe(0);
    expectShift(paired(fast, never, daily('backlog')), 'up', 'open questions at the end of the day');
  });
});

describe('silence costs by the hours a question waits', () => {
  it('behaviour.silenceCost changes runs in every preset (it is not inert when answers come the same day)', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../../scenarios/', import.meta.url);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const input = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
      const base = parseScenario({ ...input, days: 20, population: { ...input.population, burnInDays: 20 }, metrics: { graphEvery: 0 } });
      const a = createSimulation(withPath(base, 'behaviour.silenceCost', 0), { seed: 7 }).run();
      const b = createSimulation(withPath(base, 'behaviour.silenceCost', 0.2), { seed: 7 }).run();
      const satA = a.series.map((r) => r.meanSatisfaction);
      const satB = b.series.map((r) => r.meanSatisfaction);
      expect(satB, f).not.toEqual(satA);
    }
  });

  it('a higher silence cost lowers satisfaction where questions wait', () => {
    const slowish = { ...AMPLE, policies: { response: { targetHours: 24 } } };
    const none = runArm(slowish, { 'behaviour.silenceCost': 0 });
    const costly = runArm(slowish, { 'behaviour.silenceCost': 0.2 });
    // satisfaction of the members on the rolls at the end: the daily mean over each day's members
    // also moves with who is left (a costlier silence sends the least satisfied away sooner)
    expectShift(paired(none, costly, memberMean('satisfaction')), 'down', 'members\' satisfaction');
    expectShift(paired(none, costly, summary('finalMembers')), 'down', 'members at the end');
  });
});

describe('welcoming newcomers', () => {
  it('more first posts answered, more newcomers return, at a cost', () => {
    // Joyce & Kraut's measure: newcomers who post again, pooled over first posts with and
    // without a reply. The effect is a few points (a welcome turns one unanswered first post in
    // five into an answered one), so it takes 40 replications of a community with many newcomers:
    // 15 a day, as at 6 a day the run-to-run noise is as large as the effect.
    const many = { days: 150, population: { initialMembers: 1000, organicPerDay: 15, burnInDays: 60 } };
    const base = runArm(many, { 'policies.response.targetHours': 2 }, 40);
    const welcome = runArm(many, { 'policies.response.targetHours': 2, 'policies.response.welcomeNewcomers': true }, 40);
    const postedAgain = (sim: (typeof base)[number]) => {
      const x = sim.summary();
      return x.returnAfterReply * x.newcomerRepliedShare + x.returnWithoutReply * (1 - x.newcomerRepliedShare);
    };
    expectShift(paired(base, welcome, summary('newcomerRepliedShare')), 'up', 'newcomers whose first post got a reply');
    expectShift(paired(base, welcome, postedAgain), 'up', 'newcomers who posted again');
    expectShift(paired(base, welcome, summary('hoursWelcoming')), 'up', 'welcoming hours a day');
  });
});
