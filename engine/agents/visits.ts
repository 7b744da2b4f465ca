/**
 * Visits (MODEL.md step 2): whether a member comes today. The log-odds of a visit add the
 * member's own propensity, satisfaction, habit, the pull of friends who were active yesterday,
 * fresh content (rubrics on a schedule give a reason to come back: seeds) and today's events; a
 * quiet community gives little reason to come. A member long away is less likely to come back,
 * and one who decided to stop coming (lapsed) rarely does (MODEL.md "Members, activity and what
 * platforms can see"); coming back ends the lapse.
 * The same pass decides referrals (step 1): satisfied regulars and advocates bring friends
 * through their outside ties (seeds: most satisfied customers recommend the brand to friends).
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Stage } from './members.js';
import { exp, log1p } from '../numeric.js';
import { grow } from '../grow.js';

/** The logistic function at log-odds k / LOGISTIC_STEPS for |k| <= LOGISTIC_MAX, nudged up (an upper bound). */
const LOGISTIC_STEPS = 32;
const LOGISTIC_MAX = 20 * LOGISTIC_STEPS;
const LOGISTIC = Float64Array.from({ length: 2 * LOGISTIC_MAX + 1 }, (_, k) => (1 / (1 + exp(-(k - LOGISTIC_MAX) / LOGISTIC_STEPS))) * (1 + 1e-9));
/**
 * The away penalty by whole days away, awayWeight x log1p(days / awayScale), filled when the
 * scenario's values change: the same numbers as computing it per member, without a logarithm per
 * member per day.
 */
let away = new Float64Array(0);
let awayKey = '';

function awayTable(weight: number, scale: number, days: number): Float64Array {
  const key = `${weight}/${scale}/${days}`;
  if (key === awayKey) return away;
  away = new Float64Array(days + 2);
  for (let k = 0; k < away.length; k++) away[k] = weight * log1p(k / scale);
  awayKey = key;
  return away;
}

/** Referral multipliers by stage (newcomer, regular, core, advocate), filled from the scenario each day. */
const referralStage = new Float64Array(4);

/**
 * Decides today's visitors and referrers. Visitors are appended to `w.visitors`; the ids of
 * members who refer someone are written to `referrers` and their count returned.
 */
export function decideVisits(w: World, rng: Stream, referrers: { ids: Int32Array; n: number }): void {
  const m = w.members;
  const { stage, visitBase, satisfaction, habit, pull, visited, toxicToday, lastVisit, lapsed, roster } = m;
  const n = m.rosterSize;
  const c = w.climate;
  const day = w.day;
  const b = w.scenario.behaviour;
  const v = b.visits;
  const fresh = v.fresh * c.fresh * (0.5 + c.freshQuality);
  const boost = c.visitBoost + fresh - v.quiet * exp(-c.lastItems / v.quietScale);
  const { satisfaction: satWeight, habit: habitWeight, social, habitMemory, awayWeight, awayScale, lapsePenalty } = v;
  const aways = awayTable(awayWeight, awayScale, b.dormantDays);
  const r = b.referrals;
  referralStage[Stage.Regular] = r.regular;
  referralStage[Stage.Core] = r.core;
  referralStage[Stage.Advocate] = r.advocate;
  const from = r.fromSatisfaction;
  // the outside calendar (engine/calendar.ts) scales every chance of a visit, and friends are away too
  const factor = c.visitFactor;
  const referralRate = b.referralRate * c.referralMultiplier * factor;
  referrers.n = 0;
  // only yesterday's visitors can hold yesterday's flags (admit and this pass set `visited` with
  // the visitor list, and only visitors act), departed members included
  for (let k = 0; k < w.lastVisitorCount; k++) {
    const i = w.lastVisitors[k];
    visited[i] = 0;
    toxicToday[i] = 0;
  }
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    const st = stage[i];
    if (st >= Stage.Churned) continue;
    const u = rng.next();
    const y = pull[i];
    // a member away for a while, and more so one who decided to stop coming, rarely comes back;
    // log1p(0) is 0, so members who came yesterday lose nothing
    const gone = day - 1 - lastVisit[i];
    const away = ((gone >>> 0) < aways.length ? aways[gone] : awayWeight * log1p(gone / awayScale)) + lapsePenalty * lapsed[i];
    const own = visitBase[i] + satWeight * (satisfaction[i] - 0.5) + habitWeight * habit[i] - away;
    // speed: log1p(y) <= y / sqrt(1 + y), and the logistic is increasing, so a table of it gives
    // an upper bound of p; only draws under the bound need exp and log1p (same decisions)
    const j = Math.ceil((own + boost + (social * y) / Math.sqrt(1 + y)) * LOGISTIC_STEPS);
    const bound = j > LOGISTIC_MAX ? 1 : LOGISTIC[Math.max(0, j + LOGISTIC_MAX)];
    if (u < bound * factor && u < factor / (1 + exp(-(own + social * log1p(y) + boost)))) {
      visited[i] = 1;
      lastVisit[i] = day;
      lapsed[i] = 0;
      w.addVisitor(i);
    }
    habit[i] = habitMemory * habit[i] + (1 - habitMemory) * visited[i];
    // referrals through outside ties, only by content members
    const s = satisfaction[i];
    if (s > from && st >= Stage.Regular) {
      const rate = referralRate * referralStage[st] * ((s - from) / (1 - from));
      if (rng.next() < rate) {
        if (referrers.n === referrers.ids.length) referrers.ids = grow(referrers.ids);
        referrers.ids[referrers.n++] = i;
      }
    }
  }
}
