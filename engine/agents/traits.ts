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
import { joinAsCustomer } from './business.js';
import { Archetype, Channel, NO_DAY, Stage } from './members.js';
import { exp, log } from '../numeric.js';

export function logit(p: number): number {
  return log(p / (1 - p));
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Cumulative archetype shares of the scenario's mix. */
export function archetypeCdf(s: Scenario): Float64Array {
  const m = s.population.mix;
  let w = [m.lurker, m.contributor, m.expert, m.troll];
  let total = w[0] + w[1] + w[2] + w[3];
  if (!Number.isFinite(total)) {
    // Weights are relative and unbounded: two of 1e308 sum to Infinity, which made every share 0
    // and every member a troll. Scale by the largest (only here, so ordinary mixes keep their bits).
    const largest = Math.max(w[0], w[1], w[2], w[3]);
    w = w.map((x) => x / largest);
    total = w[0] + w[1] + w[2] + w[3];
  }
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
export function addMember(w: World, rng: Stream, channel: number, _referrer: number, archetype: number, cdf: Float64Array): number {
  const m = w.members;
  const id = m.add(1);
  const pop = w.scenario.population;
  const t = pop.traits;
  const b = w.scenario.behaviour;
  let a = archetype;
  if (a < 0) {
    const u = rng.next();
    a = u < cdf[0] ? 0 : u < cdf[1] ? 1 : u < cdf[2] ? 2 : 3;
  }
  const troll = a === Archetype.Troll;
  m.archetype[id] = a;
  m.channel[id] = channel;
  const activity = exp(t.activitySigma * rng.normal());
  m.activity[id] = activity;
  const rates = b.visits.rate;
  const rate = a === Archetype.Lurker ? rates.lurker : a === Archetype.Contributor ? rates.contributor : a === Archetype.Expert ? rates.expert : rates.troll;
  m.visitBase[id] = logit(rate) + b.visits.activityWeight * log(activity);
  const toxBase = troll ? t.trollToxicity : t.toxicityBase;
  m.toxicity[id] = logit(Math.min(0.999, Math.max(0.0001, toxBase))) + t.toxicitySpread * rng.normal();
  const ex = a === Archetype.Expert ? t.expertExpertise : t.otherExpertise;
  m.expertise[id] = ex.min + (ex.max - ex.min) * rng.next();
  let mask = 1 << rng.int(pop.topics);
  const extra = rng.int(t.extraTopics + 1);
  for (let k = 0; k < extra; k++) mask |= 1 << rng.int(pop.topics);
  m.interests[id] = mask >>> 0;
  let align = t.alignmentMean;
  if (channel === Channel.Referral) align += t.referredAlignment;
  else if (channel === Channel.Ads) align += t.boughtAlignment;
  else if (channel === Channel.Raid) align = t.raiderAlignment;
  if (troll) align += t.trollAlignment;
  m.alignment[id] = clamp01(align + t.alignmentSpread * rng.normal());
  // quiet loyal members are the most sensitive (MODEL.md "Entities")
  const sens = t.sensitivityMean + t.sensitivitySpread * rng.normal() + (a === Archetype.Lurker ? t.lurkerSensitivity : 0) + t.alignedSensitivity * (m.alignment[id] - 0.5) + (troll ? t.trollSensitivity : 0);
  m.sensitivity[id] = clamp01(sens);

  const initial = channel === Channel.Initial;
  const bs = b.satisfaction;
  m.satisfaction[id] = clamp01((initial ? bs.initial : bs.newcomer) + bs.alignmentSlope * (m.alignment[id] - 0.5) + bs.startSpread * rng.normal());
  m.identity[id] = initial ? t.initialIdentityMax * rng.next() : 0;
  m.leader[id] = 0;
  m.bonds[id] = 0;
  m.pull[id] = 0;
  m.tieToxic[id] = 0;
  m.habit[id] = initial ? t.initialHabitMax * rng.next() : t.newcomerHabit;
  m.exposure[id] = 0;
  m.delta[id] = 0;
  // the newcomer's values are read whether or not this member is initial: V8 optimises this
  // function while it builds the initial members, and would throw it away at the first newcomer
  const today = w.day;
  const newcomer = Stage.Newcomer;
  m.joinDay[id] = initial ? today - rng.int(t.initialTenureDays + 1) : today;
  m.lastVisit[id] = today;
  m.lastContrib[id] = NO_DAY;
  m.firstContrib[id] = NO_DAY;
  m.lapsed[id] = 0;
  m.stage[id] = initial ? Stage.Regular : newcomer; // the existing community is past its first weeks
  m.strikes[id] = 0;
  m.mutedUntil[id] = NO_DAY;
  m.contribs[id] = 0;
  // its own stream, so the business block does not reshuffle the traits' draws
  m.customer[id] = joinAsCustomer(w, w.streams.get('business'));
  m.questionDay[id] = NO_DAY;
  m.questionAt[id] = 0;
  m.answerAt[id] = Infinity;
  m.firstPostDay[id] = NO_DAY;
  m.firstPost[id] = initial ? 1 : 0; // the initial members' first posts lie before the run
  m.toxicTargeted[id] = NO_DAY;
  m.expert[id] = 0;
  m.visited[id] = 0;
  m.toxicToday[id] = 0;
  m.present[id] = 1;
  m.enlist(id);
  w.ties.ensureNodes(m.capacity);
  return id;
}
