import { describe, expect, it } from 'vitest';
import { SMALL, daily, expectShift, paired, runArm, summary } from './arms.js';

describe('events', () => {
  const none = runArm(SMALL, { 'policies.events.perMonth': 0 });
  const offline = runArm(SMALL, { 'policies.events.perMonth': 2 });

  it('attendees form ties and gain attachment', () => {
    expectShift(paired(none, offline, daily('ties')), 'up', 'ties');
    expectShift(paired(none, offline, daily('meanSatisfaction')), 'up', 'mean satisfaction');
    expectShift(paired(none, offline, summary('retentionD30')), 'up', 'D30 retention');
  });

  it('attendees bring guests who join', () => {
    expectShift(paired(none, offline, daily('referrals')), 'up', 'referrals a day');
  });

  it('cost the manager three hours each', () => {
    const d = paired(none, offline, summary('managerHoursUsed'));
    expectShift(d, 'up', 'manager hours a day');
    expect(d.diff).toBeGreaterThan(0.15); // two events a month: 0.2 hours a day
  });

  it('offline events move the day\'s interaction off the platform', () => {
    const online = runArm(SMALL, { 'policies.events.perMonth': 2, 'policies.events.offline': false });
    // on event days (logged), offline events leave fewer posts and replies on the platform
    const onEventDays = (s: (typeof offline)[number]) => {
      const days = s.events().filter((e) => e.text.includes('event:')).map((e) => e.day);
      const posts = s.column('posts');
      const replies = s.column('replies');
      const active = s.column('active');
      return days.reduce((a, d) => a + (posts[d] + replies[d]) / Math.max(1, active[d]), 0) / Math.max(1, days.length);
    };
    expectShift(paired(online, offline, onEventDays), 'down', 'items per visitor on event days');
  });
});
