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

// Each shock's coefficients (raiders' activity, how long an outburst sets the tone, ...) are
// fields of its own entry in the scenario's `shocks` list, with their defaults in the schema.

type Of<T extends Shock['type']> = Extract<Shock, { type: T }>;

/** Effects of the shocks on the day about to start (before visits). */
export function applyShocks(w: World): void {
  const day = w.day;
  // Presence first, whatever the list's order: a leader who leaves today does none of today's
  // work, so a same-day incident's correction hours come from the day's (then empty) capacity.
  for (const s of w.scenario.shocks) if (s.type === 'leader-leaves') leaderLeaves(w, s);
  for (const s of w.scenario.shocks) {
    switch (s.type) {
      case 'troll-raid':
        raidDay(w, s);
        break;
      case 'manager-incident':
        incident(w, s);
        break;
      case 'festival':
        if (day >= s.day && day < s.day + s.durationDays) {
          w.manager.flood += share(s.messages, s.durationDays, day - s.day);
          w.climate.visitBoost += s.buzz;
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
        m.activity[i] *= s.activity;
        m.visitBase[i] += s.visitBoost;
      }
    } else if (s.type === 'viral-spike' && day >= s.day && day < s.day + s.durationDays) {
      const first = w.members.count;
      admit(w, w.streams.get('shocks'), share(s.newcomers, s.durationDays, day - s.day), Channel.Viral, -1, -1, cdf);
      for (let i = first; i < w.members.count; i++) w.members.visitBase[i] -= s.visitPenalty;
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
    const settle = Math.min(s.settleMax, s.settleExposure * m.exposure[i] + Math.max(0, m.satisfaction[i] - s.settleAbove));
    if (rng.next() < settle) {
      stayed++;
      m.activity[i] /= s.activity;
      m.visitBase[i] -= s.visitBoost;
      continue;
    }
    leave(w, i, Stage.Churned);
    left++;
  }
  w.log('shock', `troll raid over: ${left} raiders leave, ${stayed} settle in`);
}

function incident(w: World, s: Of<'manager-incident'>): void {
  const since = w.day - s.day;
  if (s.kind === 'aggression' && since >= 0 && since < s.aggressionDays) {
    // the manager's outburst sets the tone for a while
    w.climate.friction += s.aggressionFriction * s.severity * (1 - since / s.aggressionDays);
  }
  if (since !== 0) return;
  const hit = trustShock(w, s.severity, s.seenDays, s.satisfactionLoss, s.attachedBase);
  if (s.kind === 'misinformation') w.manager.spend(s.correctionHours, Activity.Answering);
  w.log('shock', `manager incident (${s.kind}): ${hit} members lose trust`);
}

function leaderLeaves(w: World, s: Of<'leader-leaves'>): void {
  const mgr = w.manager;
  const after = s.replacementAfterDays;
  if (w.day === s.day && after !== 0) {
    mgr.present = 0;
    mgr.hoursLeft = 0;
    // on a day of the run nothing is spent yet (presence comes first); on day 0, the starting
    // state, this clears the burn-in's last day, whose hours were the leader's, not the run's
    mgr.hoursUsed = 0;
    mgr.hoursBy.fill(0);
    w.log('shock', after === null ? 'the leader leaves, with no replacement' : `the leader leaves; a replacement comes in ${after} days`);
  }
  if (after !== null && w.day === s.day + after) {
    mgr.present = 1;
    mgr.hoursLeft = w.members.rosterSize > 0 ? Math.max(0, w.scenario.manager.hoursPerDay - mgr.hoursUsed) : 0;
    // members attached to a person; the new one starts nearly from scratch
    const m = w.members;
    for (let i = 0; i < m.count; i++) m.leader[i] *= s.attachmentKept;
    w.log('shock', after === 0 ? 'the leader leaves and a new manager takes over at once' : 'a new manager takes over');
  }
}
