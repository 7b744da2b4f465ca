/**
 * Events (engine/policies/events.ts). Each claim compares events with the same arm where one
 * mechanism's parameter is zeroed, so it guards that mechanism alone and fails when it is
 * removed (checked with LEVER_ZERO, see arms.ts):
 *   attendees form ties                 policies.events.tieOffline
 *   attendees gain satisfaction         policies.events.satisfaction
 *   attendees bring guests who join     policies.events.guests
 *   offline events move interaction off the platform   policies.events.offlineMax
 *   preparation hours                   policies.events.prepHours
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../engine/index.js';
import { SMALL, daily, expectShift, paired, runArm } from './arms.js';

const TWICE = { 'policies.events.perMonth': 2 };

/** Days an event was held (logged). */
const eventDays = (s: Simulation) => s.events().filter((e) => e.kind === 'milestone' && e.text.includes('event:')).map((e) => e.day);

describe('events', () => {
  const offline = runArm(SMALL, TWICE);

  it('attendees form ties with one another', () => {
    const noTies = runArm(SMALL, { ...TWICE, 'policies.events.tieOffline': 0 });
    expectShift(paired(noTies, offline, daily('ties')), 'up', 'ties');
  });

  it('attendees gain satisfaction', () => {
    // thirty attendees of hundreds of members, twice a month: 40 replications to see it
    const flat = runArm(SMALL, { ...TWICE, 'policies.events.satisfaction': 0 }, 40);
    expectShift(paired(flat, runArm(SMALL, TWICE, 40), daily('meanSatisfaction')), 'up', 'mean satisfaction');
  });

  it('attendees bring guests who join', () => {
    const alone = runArm(SMALL, { ...TWICE, 'policies.events.guests': 0 });
    expectShift(paired(alone, offline, daily('referrals')), 'up', 'referrals a day');
  });

  it('offline events move the day\'s interaction off the platform', () => {
    const stay = runArm(SMALL, { ...TWICE, 'policies.events.offlineMax': 0 });
    // items per visitor on the days events were held
    const onEventDays = (s: Simulation) => {
      const posts = s.column('posts');
      const replies = s.column('replies');
      const active = s.column('active');
      const days = eventDays(s);
      return days.reduce((a, d) => a + (posts[d] + replies[d]) / Math.max(1, active[d]), 0) / Math.max(1, days.length);
    };
    expectShift(paired(stay, offline, onEventDays), 'down', 'items per visitor on event days');
  });

  it('each event takes prepHours, prepared over the days before it and booked to events', () => {
    // two a month over 120 days: eight events, 0.2 hours a day
    for (const s of offline) {
      expect(eventDays(s)).toHaveLength(8);
      expect(s.summary().hoursEvents).toBeCloseTo(0.2, 2);
    }
  });

  it('with two manager hours a day, three-hour events are still held', () => {
    const busy = runArm({ ...SMALL, manager: { hoursPerDay: 2 } }, TWICE, 5);
    for (const s of busy) expect(eventDays(s)).toHaveLength(8);
  });
});
