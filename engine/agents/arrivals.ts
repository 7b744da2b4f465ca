/**
 * Arrivals (MODEL.md step 1 and "Discovery"): organic newcomers, bought ones (ads and PR, with
 * diminishing returns), referrals by satisfied members, and waves from shocks. A newcomer
 * attaches to whoever referred them and to a few members who were active yesterday, preferring
 * shared interests, so newcomers land near the active part of the graph (preferential by
 * activity).
 *
 * Organic newcomers find the community through what outsiders can see of it: posts and replies
 * left standing, answered questions that searchers find, mentions and shares outside (the seeds'
 * "citations outside the community"), events. That visible activity is averaged over the time
 * outsiders still find it (`population.discovery.memoryDays`), and organic arrivals follow it
 * with diminishing returns, `population.organicPerDay` being the inflow at the reference level
 * of activity; a silent community stops attracting people, which is how small groups die
 * (Kraut & Fiore 2014).
 */
import type { Scenario } from '../../scenarios/schema.js';
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Channel, Stage } from './members.js';
import { addMember } from './traits.js';
import { pow } from '../numeric.js';

/**
 * Adds `count` newcomers through `channel`; each visits on its first day. Nobody joins from the
 * market who is not in it: organic and referred newcomers of a recorded day are at most the
 * audience not on the rolls (organic inflow follows visible activity, so an inflow set far above
 * the audience brought 7.7 million newcomers in one day to an audience of 1 million). The
 * burn-in's replacements take leavers' places; bought newcomers, raiders and viral waves come
 * from outside the organic market.
 */
export function admit(w: World, rng: Stream, count: number, channel: number, referrer: number, archetype: number, cdf: Float64Array): void {
  if (w.day > 0 && (channel === Channel.Organic || channel === Channel.Referral)) count = Math.min(count, marketLeft(w));
  const t = w.scenario.behaviour.ties;
  for (let k = 0; k < count; k++) {
    const id = addMember(w, rng, channel, referrer, archetype, cdf);
    w.members.visited[id] = 1;
    w.addVisitor(id);
    w.today.joins++;
    if (channel === Channel.Referral) w.today.referrals++;
    if (referrer >= 0) w.ties.strengthen(id, referrer, t.referrer);
    attach(w, rng, id, t.attach, t.attachWeight, t.attachCandidates);
  }
}

function attach(w: World, rng: Stream, id: number, ties: number, weight: number, candidates: number): void {
  const n = w.lastVisitorCount;
  if (n === 0) return;
  const interests = w.members.interests[id];
  for (let k = 0; k < ties; k++) {
    // the first of a few candidates who shares an interest, else the last one looked at
    let pick = w.lastVisitors[rng.int(n)];
    for (let t = 1; t < candidates && (w.members.interests[pick] & interests) === 0; t++) pick = w.lastVisitors[rng.int(n)];
    if (w.members.stage[pick] < Stage.Churned) w.ties.strengthen(id, pick, weight);
  }
}

/** The market of an unstated audience when the community opens with no members: open, as good as unbounded. */
export const OPEN_MARKET = 1_000_000;

/**
 * People who could ever join: `population.audience`, or when it is not stated (0) the market an
 * established community of `members` accounts on day 0 draws from, `marketMultiple` times them.
 */
export function marketOf(pop: Scenario['population'], members: number): number {
  if (pop.audience > 0) return pop.audience;
  return members > 0 ? members * pop.marketMultiple : OPEN_MARKET;
}

/** The run's market: its scenario's, with the day-0 members an unstated one is derived from. */
const market = (w: World): number => marketOf(w.scenario.population, w.initialMembers);

/** Share of the audience not yet on the rolls: organic and referred arrivals scale by it (Bass 1969). */
export function room(w: World): number {
  return Math.max(0, 1 - w.present / market(w));
}

/** People of the audience not on the rolls now (today's newcomers are on them): the most who can still join from the market. */
function marketLeft(w: World): number {
  return Math.max(0, Math.floor(market(w) - w.members.rosterSize));
}

/**
 * Expected organic newcomers today, from what outsiders could find of the community lately, in
 * the room its market leaves, on the outside calendar's day (outsiders keep the same calendar).
 */
export function organicToday(w: World): number {
  const pop = w.scenario.population;
  const d = pop.discovery;
  const found = pow(w.climate.visible / d.referenceVisible, d.elasticity);
  return pop.organicPerDay * (d.baseline + (1 - d.baseline) * found) * room(w) * w.climate.visitFactor;
}

/**
 * Today's visible activity, added into the running average outsiders find: items left standing,
 * answered questions, mentions outside and event attendees, each by its weight.
 */
export function noteVisible(w: World): void {
  const d = w.scenario.population.discovery;
  const t = w.today;
  const items = t.posts + t.replies - t.removed;
  const today = Math.max(0, items) + d.answerWeight * t.answered + d.mentionWeight * t.mentions + d.eventWeight * t.attendees;
  w.climate.visible += (today - w.climate.visible) / d.memoryDays;
}
