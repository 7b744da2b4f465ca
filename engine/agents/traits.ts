/**
 * Drawing a member's traits at join (MODEL.md "Entities"). Traits are fixed for life; the
 * archetype mix and the trait distributions come from `population` in the scenario.
 *
 * Evidence: heavy-tailed activity (Wilkinson 2008; Nielsen 2006's 90-9-1), baseline troll
 * behaviour (Cheng et al. 2017: 35% troll comments for troll-prone members), referred members
 * better aligned than bought ones (seeds: "a group is not yet a community").
 */
import type { Scenario } from '../../scenarios/schema.js';
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Archetype, Channel, Stage } from './members.js';

/** Log-odds of visiting on an ordinary day, per archetype (lurker, contributor, expert, troll). */
const VISIT_BASE = [logit(0.04), logit(0.12), logit(0.12), logit(0.12)];
/** Chance per visit of starting a thread, per archetype, before the activity multiplier. */
export const POST_RATE = [0.006, 0.07, 0.06, 0.08];
/** Chance per visit of replying, per archetype, before the activity multiplier. */
export const REPLY_RATE = [0.006, 0.07, 0.08, 0.09];

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Cumulative archetype shares of the scenario's mix. */
export function archetypeCdf(s: Scenario): Float64Array {
  const m = s.population.mix;
  const w = [m.lurker, m.contributor, m.expert, m.troll];
  const total = w[0] + w[1] + w[2] + w[3];
  const cdf = new Float64Array(4);
  let acc = 0;
  for (let i = 0; i < 4; i++) {
    acc += w[i] / total;
    cdf[i] = acc;
  }
  cdf[3] = 1;
  return cdf;
}

/**
 * Adds one member who joins today through `channel` and returns its id. `archetype` forces the
 * archetype (troll raids); -1 draws it from the mix.
 */
export function addMember(w: World, rng: Stream, channel: number, referrer: number, archetype: number, cdf: Float64Array): number {
  const m = w.members;
  const id = m.add(1);
  const t = w.scenario.population.traits;
  let a = archetype;
  if (a < 0) {
    const u = rng.next();
    a = u < cdf[0] ? 0 : u < cdf[1] ? 1 : u < cdf[2] ? 2 : 3;
  }
  m.archetype[id] = a;
  m.channel[id] = channel;
  const activity = Math.exp(t.activitySigma * rng.normal());
  m.activity[id] = activity;
  m.visitBase[id] = VISIT_BASE[a] + 0.35 * Math.log(activity);
  const toxBase = a === Archetype.Troll ? t.trollToxicity : t.toxicityBase;
  m.toxicity[id] = logit(Math.min(0.999, Math.max(0.0001, toxBase))) + t.toxicitySpread * rng.normal();
  m.expertise[id] = a === Archetype.Expert ? 0.6 + 0.38 * rng.next() : 0.05 + 0.45 * rng.next();
  const topics = w.scenario.population.topics;
  let mask = 1 << rng.int(topics);
  const extra = rng.int(3);
  for (let k = 0; k < extra; k++) mask |= 1 << rng.int(topics);
  m.interests[id] = mask >>> 0;
  let align = t.alignmentMean;
  if (channel === Channel.Referral) align += 0.15;
  else if (channel === Channel.Ads) align -= 0.15;
  else if (channel === Channel.Raid) align = 0.1;
  if (a === Archetype.Troll) align -= 0.2;
  m.alignment[id] = clamp01(align + 0.15 * rng.normal());
  // quiet loyal members are the most sensitive (MODEL.md "Entities")
  const sens = t.sensitivityMean + 0.15 * rng.normal() + (a === Archetype.Lurker ? 0.15 : 0) + 0.3 * (m.alignment[id] - 0.5) - (a === Archetype.Troll ? 0.35 : 0);
  m.sensitivity[id] = clamp01(sens);

  const initial = channel === Channel.Initial;
  m.satisfaction[id] = clamp01((initial ? 0.6 : 0.42) + 0.3 * (m.alignment[id] - 0.5) + 0.05 * rng.normal());
  m.identity[id] = initial ? 0.3 * rng.next() : 0;
  m.leader[id] = 0;
  m.bonds[id] = 0;
  m.pull[id] = 0;
  m.tieToxic[id] = 0;
  m.habit[id] = initial ? 0.4 * rng.next() : 0.3;
  m.exposure[id] = 0;
  m.delta[id] = 0;
  // the newcomer's values are read whether or not this member is initial: V8 optimises this
  // function while it builds the initial members, and would throw it away at the first newcomer
  const today = w.day;
  const newcomer = Stage.Newcomer;
  m.joinDay[id] = initial ? -rng.int(180) : today;
  m.lastVisit[id] = initial ? 0 : today;
  m.lastContrib[id] = -1;
  m.stage[id] = initial ? Stage.Regular : newcomer; // the existing community is past its first weeks
  m.strikes[id] = 0;
  m.mutedUntil[id] = -1;
  m.contribs[id] = 0;
  m.questionDay[id] = -1;
  m.questionHour[id] = 0;
  m.firstPostDay[id] = -1;
  m.firstPost[id] = initial ? 1 : 0; // the initial members' first posts lie before the run
  m.toxicTargeted[id] = -1;
  m.expert[id] = 0;
  m.visited[id] = 0;
  m.toxicToday[id] = 0;
  m.referredBy[id] = referrer;
  m.present[id] = 1;
  m.enlist(id);
  w.ties.ensureNodes(m.capacity);
  return id;
}
