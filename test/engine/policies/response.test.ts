import { describe, it } from 'vitest';
import { SMALL, expectShift, paired, runArm, summary } from './arms.js';

// many newcomers, so that the few who ask in their first weeks weigh in retention
const NEWCOMERS = { days: 150, population: { initialMembers: 150, organicPerDay: 6 } };

describe('response', () => {
  const fast = runArm(NEWCOMERS, { 'policies.response.targetHours': 2 });
  const slow = runArm(NEWCOMERS, { 'policies.response.targetHours': 120 });

  it('a slower target means longer response times and fewer newcomers retained', () => {
    expectShift(paired(fast, slow, summary('medianResponseHours')), 'up', 'median response hours');
    expectShift(paired(fast, slow, summary('retentionD30')), 'down', 'D30 retention');
    expectShift(paired(fast, slow, summary('finalMembers')), 'down', 'final members');
  });

  it('a manager who never answers leaves questions unanswered', () => {
    const answering = runArm(SMALL, { 'policies.response.targetHours': 4 });
    const never = runArm(SMALL, { 'policies.response.targetHours': null });
    expectShift(paired(answering, never, summary('answeredShare')), 'down', 'answered share');
    expectShift(paired(answering, never, summary('managerHoursUsed')), 'down', 'manager hours a day');
  });

  it('welcoming newcomers: more first posts answered, more newcomers return, at a cost', () => {
    const welcome = runArm(NEWCOMERS, { 'policies.response.targetHours': 2, 'policies.response.welcomeNewcomers': true });
    expectShift(paired(fast, welcome, summary('newcomerRepliedShare')), 'up', 'newcomers whose first post got a reply');
    expectShift(paired(fast, welcome, summary('retentionD7')), 'up', 'D7 retention');
    expectShift(paired(fast, welcome, summary('managerHoursUsed')), 'up', 'manager hours a day');
  });
});
