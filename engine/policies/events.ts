/**
 * Events (lever `policies.events`): meetups, courtyard gatherings, online streams. Seeds: strong
 * ties and a sense of belonging (courtyards, meetups). Each event costs the manager three hours,
 * prepared over the days before it as a manager prepares a meetup over a week (policy.ts `Plan`),
 * so a manager with an hour or two a day still holds one; it waits while the hours are not there. Up to `capacity` members come, the more
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
import { idleReason, Plan, Told, type Policy } from './policy.js';

type Params = World['scenario']['policies']['events'];

export function events(): Policy {
  const plan = new Plan();
  const told = new Told();
  // today's attendees, who may bring guests (within the day only: not part of snapshots)
  let attendees: number[] = [];
  let guestRate = 0;
  return {
    name: 'events',
    init(w: World) {
      plan.start(w.scenario.policies.events.prepHours);
    },
    startOfDay(w: World, rng: Stream) {
      const p = w.scenario.policies.events;
      attendees = [];
      if (!plan.prepare(w, p.perMonth / 30, p.prepHours, Activity.Events)) told.tell(w, `events wait: ${idleReason(w)}`);
      while (plan.take(p.prepHours)) {
        const ids = hold(w, rng, p);
        attendees.push(...ids);
        w.today.attendees += ids.length;
        guestRate = p.guests * (p.offline ? 1 : p.onlineGain);
        w.log('milestone', `${p.offline ? 'an offline' : 'an online'} event: ${ids.length} attend`);
      }
    },
    arrive(w: World, rng: Stream, cdf: Float64Array) {
      if (attendees.length === 0) return;
      const guests = rng.poisson(guestRate * attendees.length);
      for (let k = 0; k < guests; k++) admit(w, rng, 1, Channel.Referral, attendees[rng.int(attendees.length)], -1, cdf);
    },
    save: () => ({ plan: plan.save(), told: told.reasons.slice() }),
    restore(state) {
      const s = state as { plan: { due: number; saved: number }; told: string[] };
      plan.restore(s.plan);
      told.reasons = s.told.slice();
    },
  };
}

/** Holds one event and returns its attendees. */
function hold(w: World, rng: Stream, p: Params): number[] {
  const m = w.members;
  if (m.count === 0) return [];
  const { capacity, offline, comeBase, comeSatisfaction, comeIdentity, tiesPerAttendee } = p;
  const attending = new Uint8Array(m.count);
  const ids: number[] = [];
  const ownWeight = 1 - comeIdentity;
  const asks = capacity * p.asksPerSeat;
  for (let ask = 0; ask < asks && ids.length < capacity; ask++) {
    const i = rng.int(m.count);
    if (!m.present[i] || attending[i]) continue;
    if (rng.next() >= comeBase + comeSatisfaction * m.satisfaction[i] * (ownWeight + comeIdentity * m.identity[i])) continue;
    attending[i] = 1;
    ids.push(i);
  }
  const gain = offline ? 1 : p.onlineGain;
  const tie = offline ? p.tieOffline : p.tieOnline;
  const satisfaction = p.satisfaction * gain;
  const identity = p.identity * gain;
  const leader = p.leader * gain * w.manager.present;
  for (const i of ids) {
    for (let k = 0; k < tiesPerAttendee && ids.length > 1; k++) w.ties.strengthen(i, ids[rng.int(ids.length)], tie);
    m.delta[i] += satisfaction;
    m.identity[i] = Math.min(1, m.identity[i] + identity);
    m.leader[i] = Math.min(1, m.leader[i] + leader);
  }
  if (offline) w.climate.offline = Math.min(p.offlineMax, w.climate.offline + ids.length / Math.max(1, w.lastVisitorCount));
  else w.climate.visitBoost += p.onlineVisit;
  return ids;
}
