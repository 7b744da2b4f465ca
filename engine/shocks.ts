/**
 * Scheduled shocks (MODEL.md "Shocks a scenario can schedule"): a troll raid, a manager incident
 * (aggression toward the audience or unverified information: seeds), the leader leaving and a
 * replacement after a delay, a festival that floods the manager with messages (seeds: more than
 * 3,500 direct messages after one festival), and a viral wave of newcomers.
 *
 * Shocks hold no state of their own: what happens on a day follows from the scenario's list and
 * the day, so a snapshot needs only the world (the `shocks` random stream is saved with it).
 * `applyShocks` runs before the day's visits; `shockArrivals` admits raiders and viral newcomers
 * after the visits are decided, so each newcomer visits exactly once on the first day.
 */
import { admit } from './agents/arrivals.js';
import { leave } from './agents/churn.js';
import { Archetype, Channel, Stage } from './agents/members.js';
import { trustShock } from './agents/satisfaction.js';
import type { Shock } from '../scenarios/schema.js';
import { Activity, type World } from './world.js';

/** A manager incident is seen by everyone who visited in the last week. */
const INCIDENT_DAYS = 7;
/** Days an aggressive outburst sets the tone (extra toxicity log-odds, fading linearly). */
const AGGRESSION_DAYS = 7;
const AGGRESSION_FRICTION = 0.8;
/** Manager hours spent correcting misinformation on the day it comes out. */
const CORRECTION_HOURS = 2;
/** Raiders come to post: activity multiplier and extra visit log-odds while the raid lasts. */
const RAID_ACTIVITY = 3;
const RAID_VISIT = 2.5;
/** A raider settles (stays) with chance SETTLE_EXPOSURE x exposure + satisfaction above 0.5, capped. */
const SETTLE_EXPOSURE = 0.8;
const SETTLE_MAX = 0.6;
/** Viral newcomers are tourists: lower visit log-odds than an organic newcomer. */
const VIRAL_VISIT = -0.7;
/** Buzz of a festival: extra visit log-odds while it runs. */
const FESTIVAL_BUZZ = 0.4;
/** Leader attachment kept when a new manager replaces the one who left (a new person). */
const ATTACHMENT_KEPT = 0.3;

type Of<T extends Shock['type']> = Extract<Shock, { type: T }>;

/** Effects of the shocks on the day about to start (before visits). */
export function applyShocks(w: World): void {
  const day = w.day;
  for (const s of w.scenario.shocks) {
    switch (s.type) {
      case 'troll-raid':
        raidDay(w, s);
        break;
      case 'manager-incident':
        incident(w, s);
        break;
      case 'leader-leaves':
        leaderLeaves(w, s);
        break;
      case 'festival':
        if (day >= s.day && day < s.day + s.durationDays) {
          w.manager.flood += share(s.messages, s.durationDays, day - s.day);
          w.climate.visitBoost += FESTIVAL_BUZZ;
          if (day === s.day) w.log('shock', `festival: ${s.messages} messages flood the manager over ${s.durationDays} days`);
        }
        break;
      case 'viral-spike':
        if (day === s.day) w.log('shock', `viral spike: ${s.newcomers} newcomers over ${s.durationDays} days`);
        break;
    }
  }
}

/** Raiders and viral newcomers of the day, admitted after the day's visits are decided. */
export function shockArrivals(w: World, cdf: Float64Array): void {
  const day = w.day;
  for (const s of w.scenario.shocks) {
    if (s.type === 'troll-raid' && day === s.day) {
      const first = w.members.count;
      admit(w, w.streams.get('shocks'), s.size, Channel.Raid, -1, Archetype.Troll, cdf);
      const m = w.members;
      for (let i = first; i < m.count; i++) {
        m.activity[i] *= RAID_ACTIVITY;
        m.visitBase[i] += RAID_VISIT;
      }
    } else if (s.type === 'viral-spike' && day >= s.day && day < s.day + s.durationDays) {
      const first = w.members.count;
      admit(w, w.streams.get('shocks'), share(s.newcomers, s.durationDays, day - s.day), Channel.Viral, -1, -1, cdf);
      for (let i = first; i < w.members.count; i++) w.members.visitBase[i] += VIRAL_VISIT;
    }
  }
}

/** The k-th of `days` near-equal integer parts of `total` (the remainder goes to the first days). */
function share(total: number, days: number, k: number): number {
  return Math.floor(total / days) + (k < total % days ? 1 : 0);
}

function raidDay(w: World, s: Of<'troll-raid'>): void {
  if (w.day === s.day) w.log('shock', `troll raid: ${s.size} trolls join at once`);
  if (w.day !== s.day + s.durationDays) return;
  // the raid is over: raiders leave unless they settled where toxicity makes them feel at ease
  const m = w.members;
  const rng = w.streams.get('shocks');
  let left = 0;
  let stayed = 0;
  for (let i = 0; i < m.count; i++) {
    if (m.channel[i] !== Channel.Raid || m.joinDay[i] !== s.day || !m.present[i]) continue;
    const settle = Math.min(SETTLE_MAX, SETTLE_EXPOSURE * m.exposure[i] + Math.max(0, m.satisfaction[i] - 0.5));
    if (rng.next() < settle) {
      stayed++;
      m.activity[i] /= RAID_ACTIVITY;
      m.visitBase[i] -= RAID_VISIT;
      continue;
    }
    leave(w, i, Stage.Churned);
    left++;
  }
  w.log('shock', `troll raid over: ${left} raiders leave, ${stayed} settle in`);
}

function incident(w: World, s: Of<'manager-incident'>): void {
  const since = w.day - s.day;
  if (s.kind === 'aggression' && since >= 0 && since < AGGRESSION_DAYS) {
    // the manager's outburst sets the tone for a while
    w.climate.friction += AGGRESSION_FRICTION * s.severity * (1 - since / AGGRESSION_DAYS);
  }
  if (since !== 0) return;
  const hit = trustShock(w, s.severity, INCIDENT_DAYS);
  if (s.kind === 'misinformation') w.manager.spend(CORRECTION_HOURS, Activity.Answering);
  w.log('shock', `manager incident (${s.kind}): ${hit} members lose trust`);
}

function leaderLeaves(w: World, s: Of<'leader-leaves'>): void {
  const mgr = w.manager;
  const after = s.replacementAfterDays;
  if (w.day === s.day && after !== 0) {
    mgr.present = 0;
    mgr.hoursLeft = 0;
    w.log('shock', after === null ? 'the leader leaves, with no replacement' : `the leader leaves; a replacement comes in ${after} days`);
  }
  if (after !== null && w.day === s.day + after) {
    mgr.present = 1;
    mgr.hoursLeft = Math.max(0, w.scenario.manager.hoursPerDay - mgr.hoursUsed);
    // members attached to a person; the new one starts nearly from scratch
    const m = w.members;
    for (let i = 0; i < m.count; i++) m.leader[i] *= ATTACHMENT_KEPT;
    w.log('shock', after === 0 ? 'the leader leaves and a new manager takes over at once' : 'a new manager takes over');
  }
}
