/**
 * Events (lever `policies.events`): meetups, courtyard gatherings, online streams. Seeds: strong
 * ties and a sense of belonging (courtyards, meetups). Each event costs the manager three hours
 * (without them it waits for a day that has them). Up to `capacity` members come, the more
 * satisfied and identified the likelier; attendees form ties with several other attendees and
 * gain satisfaction, identity and attachment to the manager they meet. Offline events build
 * stronger ties but move some of the day's interaction off the platform (`climate.offline`);
 * online ones bring members to the platform instead. A few attendees bring guests who join, as
 * their referrals (MODEL.md step 1: spikes from events).
 */
import { admit } from '../agents/arrivals.js';
import { Channel } from '../agents/members.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import { spendWhole, type Policy } from './policy.js';

const HOURS = 3;
/** Chance a member asked comes: BASE + SATISFACTION x satisfaction x (0.5 + 0.5 identity). */
const COME_BASE = 0.1;
const COME_SATISFACTION = 0.7;
/** Members asked per seat before the manager gives up filling the room. */
const ASKS_PER_SEAT = 6;
/** Ties an attendee forms, and their weights offline and online. */
const TIES_PER_ATTENDEE = 4;
const TIE_OFFLINE = 0.6;
const TIE_ONLINE = 0.25;
/** Gains of an attendee offline (online: half). */
const SATISFACTION = 0.06;
const IDENTITY = 0.1;
const LEADER = 0.1;
/** Largest share of the day's interaction an offline event moves off the platform. */
const OFFLINE_MAX = 0.5;
/** Visit log-odds an online event adds for everyone. */
const ONLINE_VISIT = 0.3;
/** Guests per attendee who join the community (offline; online half): they come as the attendee's referrals. */
const GUESTS = 0.06;

export function events(): Policy {
  let due = 0.5;
  // today's attendees, who may bring guests (within the day only: not part of snapshots)
  let attendees: number[] = [];
  let guestRate = 0;
  return {
    name: 'events',
    startOfDay(w: World, rng: Stream) {
      const p = w.scenario.policies.events;
      attendees = [];
      due += p.perMonth / 30;
      while (due >= 1) {
        if (!spendWhole(w, HOURS, Activity.Events)) break; // no time today: the event waits
        due -= 1;
        const ids = hold(w, rng, p.capacity, p.offline);
        attendees.push(...ids);
        guestRate = GUESTS * (p.offline ? 1 : 0.5);
        w.log('milestone', `${p.offline ? 'an offline' : 'an online'} event: ${ids.length} attend`);
      }
    },
    arrive(w: World, rng: Stream, cdf: Float64Array) {
      if (attendees.length === 0) return;
      const guests = rng.poisson(guestRate * attendees.length);
      for (let k = 0; k < guests; k++) admit(w, rng, 1, Channel.Referral, attendees[rng.int(attendees.length)], -1, cdf);
    },
    save: () => ({ due }),
    restore(state) {
      due = (state as { due: number }).due;
    },
  };
}

/** Holds one event and returns its attendees. */
function hold(w: World, rng: Stream, capacity: number, offline: boolean): number[] {
  const m = w.members;
  if (m.count === 0) return [];
  const attending = new Uint8Array(m.count);
  const ids: number[] = [];
  for (let ask = 0; ask < capacity * ASKS_PER_SEAT && ids.length < capacity; ask++) {
    const i = rng.int(m.count);
    if (!m.present[i] || attending[i]) continue;
    if (rng.next() >= COME_BASE + COME_SATISFACTION * m.satisfaction[i] * (0.5 + 0.5 * m.identity[i])) continue;
    attending[i] = 1;
    ids.push(i);
  }
  const gain = offline ? 1 : 0.5;
  const tie = offline ? TIE_OFFLINE : TIE_ONLINE;
  for (const i of ids) {
    for (let k = 0; k < TIES_PER_ATTENDEE && ids.length > 1; k++) w.ties.strengthen(i, ids[rng.int(ids.length)], tie);
    m.delta[i] += SATISFACTION * gain;
    m.identity[i] = Math.min(1, m.identity[i] + IDENTITY * gain);
    m.leader[i] = Math.min(1, m.leader[i] + LEADER * gain * w.manager.present);
  }
  if (offline) w.climate.offline = Math.min(OFFLINE_MAX, w.climate.offline + ids.length / Math.max(1, w.lastVisitorCount));
  else w.climate.visitBoost += ONLINE_VISIT;
  return ids;
}
