/**
 * Visits (MODEL.md step 2): whether a member comes today. The log-odds of a visit add the
 * member's own propensity, satisfaction, habit, the pull of friends who were active yesterday,
 * fresh content (rubrics on a schedule give a reason to come back: seeds) and today's events.
 * The same pass decides referrals (step 1): satisfied regulars and advocates bring friends
 * through their outside ties (seeds: most satisfied customers recommend the brand to friends).
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Stage } from './members.js';

/** Weight of satisfaction (per unit above 0.5) in the visit log-odds. */
const SATISFACTION = 3;
/** Weight of habit in [0, 1]. */
const HABIT = 1.2;
/** Weight of log(1 + friends' activity). */
const SOCIAL = 0.6;
/** Weight of fresh content in [0, 1]. */
const FRESH = 0.7;
/** Log-odds lost when nothing happened yesterday, fading as items appear (scale in items). */
const QUIET = 1.5;
const QUIET_SCALE = 4;
/** The logistic function at log-odds k / LOGISTIC_STEPS for |k| <= LOGISTIC_MAX, nudged up (an upper bound). */
const LOGISTIC_STEPS = 32;
const LOGISTIC_MAX = 20 * LOGISTIC_STEPS;
const LOGISTIC = Float64Array.from({ length: 2 * LOGISTIC_MAX + 1 }, (_, k) => (1 / (1 + Math.exp(-(k - LOGISTIC_MAX) / LOGISTIC_STEPS))) * (1 + 1e-9));
/** Referral multipliers by stage: newcomer, regular, core, advocate. */
const REFERRAL_STAGE = [0, 1, 2, 5];

/**
 * Decides today's visitors and referrers. Visitors are appended to `w.visitors`; the ids of
 * members who refer someone are written to `referrers` and their count returned.
 */
export function decideVisits(w: World, rng: Stream, referrers: { ids: Int32Array; n: number }): void {
  const m = w.members;
  const { stage, visitBase, satisfaction, habit, pull, visited, toxicToday, lastVisit, roster } = m;
  const n = m.rosterSize;
  const c = w.climate;
  const day = w.day;
  const fresh = FRESH * c.fresh * (0.5 + c.freshQuality);
  const boost = c.visitBoost + fresh - QUIET * Math.exp(-c.lastItems / QUIET_SCALE);
  const b = w.scenario.behaviour;
  const referralRate = b.referralRate * c.referralMultiplier;
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
    const own = visitBase[i] + SATISFACTION * (satisfaction[i] - 0.5) + HABIT * habit[i];
    // speed: log1p(y) <= y / sqrt(1 + y), and the logistic is increasing, so a table of it gives
    // an upper bound of p; only draws under the bound need exp and log1p (same decisions)
    const j = Math.ceil((own + boost + (SOCIAL * y) / Math.sqrt(1 + y)) * LOGISTIC_STEPS);
    const bound = j > LOGISTIC_MAX ? 1 : LOGISTIC[Math.max(0, j + LOGISTIC_MAX)];
    if (u < bound && u < 1 / (1 + Math.exp(-(own + SOCIAL * Math.log1p(y) + boost)))) {
      visited[i] = 1;
      lastVisit[i] = day;
      w.addVisitor(i);
    }
    habit[i] = 0.9 * habit[i] + 0.1 * visited[i];
    // referrals through outside ties, only by content members
    const s = satisfaction[i];
    if (s > 0.6 && st >= Stage.Regular) {
      const rate = referralRate * REFERRAL_STAGE[st] * ((s - 0.6) / 0.4);
      if (rng.next() < rate) {
        if (referrers.n === referrers.ids.length) {
          const grown = new Int32Array(referrers.ids.length * 2);
          grown.set(referrers.ids);
          referrers.ids = grown;
        }
        referrers.ids[referrers.n++] = i;
      }
    }
  }
}
