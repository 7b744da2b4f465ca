/**
 * Arrivals (MODEL.md step 1): organic newcomers, bought ones (ads and PR, with diminishing
 * returns), referrals by satisfied members, and waves from shocks. A newcomer attaches to
 * whoever referred them and to a few members who were active yesterday, preferring shared
 * interests, so newcomers land near the active part of the graph (preferential by activity).
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Channel, Stage } from './members.js';
import { addMember } from './traits.js';

/** Ties a newcomer forms on joining besides the referrer, and their weights. */
const ATTACH = 2;
const REFERRER_WEIGHT = 1;
const ATTACH_WEIGHT = 0.3;

/** Adds `count` newcomers through `channel`; each visits on its first day. */
export function admit(w: World, rng: Stream, count: number, channel: number, referrer: number, archetype: number, cdf: Float64Array): void {
  for (let k = 0; k < count; k++) {
    const id = addMember(w, rng, channel, referrer, archetype, cdf);
    w.members.visited[id] = 1;
    w.addVisitor(id);
    w.today.joins++;
    if (channel === Channel.Referral) w.today.referrals++;
    if (referrer >= 0) w.ties.strengthen(id, referrer, REFERRER_WEIGHT);
    attach(w, rng, id);
  }
}

function attach(w: World, rng: Stream, id: number): void {
  const n = w.lastVisitorCount;
  if (n === 0) return;
  const interests = w.members.interests[id];
  for (let k = 0; k < ATTACH; k++) {
    // best of three candidates: one who shares an interest if any
    let pick = w.lastVisitors[rng.int(n)];
    for (let t = 0; t < 2 && (w.members.interests[pick] & interests) === 0; t++) pick = w.lastVisitors[rng.int(n)];
    if (w.members.stage[pick] < Stage.Churned) w.ties.strengthen(id, pick, ATTACH_WEIGHT);
  }
}
