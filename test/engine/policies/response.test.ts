import { describe, it } from 'vitest';
import { SMALL, daily, expectShift, paired, runArm, summary } from './arms.js';

// many newcomers, so that the few who ask in their first weeks weigh in retention
const NEWCOMERS = { days: 150, population: { initialMembers: 150, organicPerDay: 6 } };

describe('response', () => {
  // speed matters less than whether anyone answers (MODEL.md finding 7): the retention effect of
  // a slow target is a point or two, so this claim takes 40 replications
  const fast = runArm(NEWCOMERS, { 'policies.response.targetHours': 2 }, 40);
  const slow = runArm(NEWCOMERS, { 'policies.response.targetHours': 120 }, 40);

  it('a slower target means longer response times and fewer newcomers retained', () => {
    expectShift(paired(fast, slow, summary('medianResponseHours')), 'up', 'median response hours');
    expectShift(paired(fast, slow, summary('retentionD30')), 'down', 'D30 retention');
  });

  it('latency emerges from the queue against the hours: a manager short of time leaves a backlog', () => {
    const short = runArm(NEWCOMERS, { 'policies.response.targetHours': 2, 'manager.hoursPerDay': 0.3 }, 40);
    expectShift(paired(fast, short, daily('backlog')), 'up', 'open questions at the end of the day');
    expectShift(paired(fast, short, summary('answeredShare')), 'down', 'answered share');
    expectShift(paired(fast, short, summary('retentionD30')), 'down', 'D30 retention');
  });

  it('a manager who never answers leaves questions unanswered', () => {
    const answering = runArm(SMALL, { 'policies.response.targetHours': 4 });
    const never = runArm(SMALL, { 'policies.response.targetHours': null });
    expectShift(paired(answering, never, summary('answeredShare')), 'down', 'answered share');
    expectShift(paired(answering, never, summary('managerHoursUsed')), 'down', 'manager hours a day');
  });

  it('welcoming newcomers: more first posts answered, more newcomers return, at a cost', () => {
    // Joyce & Kraut's measure: newcomers who post again. The summary gives it separately for
    // first posts that got a reply and those that did not; pooled with the replied share it is
    // the share of all posting newcomers who came back to post. The effect is a few points, so
    // this claim needs 40 replications of a community with many newcomers.
    const many = { days: 150, population: { initialMembers: 150, organicPerDay: 10 } };
    const base = runArm(many, { 'policies.response.targetHours': 2 }, 40);
    const welcome = runArm(many, { 'policies.response.targetHours': 2, 'policies.response.welcomeNewcomers': true }, 40);
    const postedAgain = (sim: (typeof base)[number]) => {
      const x = sim.summary();
      return x.returnAfterReply * x.newcomerRepliedShare + x.returnWithoutReply * (1 - x.newcomerRepliedShare);
    };
    expectShift(paired(base, welcome, summary('newcomerRepliedShare')), 'up', 'newcomers whose first post got a reply');
    expectShift(paired(base, welcome, postedAgain), 'up', 'newcomers who posted again');
    expectShift(paired(base, welcome, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });
});
