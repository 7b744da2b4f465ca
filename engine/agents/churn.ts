/**
 * Leaving (MODEL.md step 8, and "Members, activity and what platforms can see"). A member is an
 * account on the rolls until they unsubscribe, are banned, or stay away `behaviour.dormantDays`.
 * The daily hazard of deciding to leave grows as satisfaction falls and shrinks with stage,
 * identity, ties, attachment to the leader and past contributions (Wilkinson 2008: the chance of
 * stopping falls roughly as 1/k after k contributions). Most who decide to leave just stop coming
 * (they lapse, and stay members until their dormancy counts them out; a few come back); a share
 * unsubscribe at once. Trolls who find toxicity around them feel at ease and stay (MODEL.md:
 * "some trolls stay where they feel at ease").
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Archetype, NO_DAY, Stage } from './members.js';
import { exp, tanh } from '../numeric.js';

/** Satisfaction bins of the hazard's upper bound (see `churn`). */
const BOUND_STEPS = 64;
/** Hazard multipliers by stage (newcomer, regular, core, advocate), and the bound table, filled each day from the scenario. */
const stageHazard = new Float64Array(4);
const hazardBound = new Float64Array(BOUND_STEPS + 1);

export function churn(w: World, rng: Stream): void {
  const m = w.members;
  const b = w.scenario.behaviour;
  const c = b.churn;
  const day = w.day;
  const dormant = b.dormantDays;
  const { satisfaction: satWeight, identity: idWeight, ties: tieWeight, leader: leaderWeight, trollEase, unsubscribeShare } = c;
  stageHazard[Stage.Newcomer] = c.stageHazard.newcomer;
  stageHazard[Stage.Regular] = c.stageHazard.regular;
  stageHazard[Stage.Core] = c.stageHazard.core;
  stageHazard[Stage.Advocate] = c.stageHazard.advocate;
  // speed: identity, ties, the leader, contributions and a troll's ease only lower the hazard, so
  // exp(-satWeight (s - 0.5)) at the low end of each satisfaction bin bounds it, and most draws
  // are settled without exp (same decisions)
  for (let k = 0; k <= BOUND_STEPS; k++) hazardBound[k] = exp(-satWeight * (k / BOUND_STEPS - 0.5)) * (1 + 1e-9);
  const { present, stage, satisfaction, identity, bonds, leader, contribs, lastVisit, lapsed, archetype, exposure, roster } = m;
  const n = m.rosterSize;
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    if (day - lastVisit[i] >= dormant) {
      leave(w, i, Stage.Churned);
      continue;
    }
    if (lapsed[i]) continue; // already decided; dormancy counts them out unless they come back
    const s = satisfaction[i];
    const u = rng.next();
    const base = b.churnBase * stageHazard[stage[i]];
    if (u >= base * hazardBound[Math.floor(s * BOUND_STEPS)]) continue;
    let h = base * exp(-satWeight * (s - 0.5) - idWeight * identity[i] - tieWeight * tanh(bonds[i]) - leaderWeight * leader[i]);
    h /= Math.sqrt(1 + contribs[i]);
    if (archetype[i] === Archetype.Troll) h *= exp(-trollEase * exposure[i]);
    if (u >= h) continue;
    // u < h: a second uniform from the same draw decides how they leave
    if (u < h * unsubscribeShare) leave(w, i, Stage.Churned);
    else {
      lapsed[i] = 1;
      w.today.lapsed++;
    }
  }
}

/** Removes member i from the community (left or banned); its ties go at the next prune. */
export function leave(w: World, i: number, stage: number): void {
  const m = w.members;
  m.stage[i] = stage;
  m.present[i] = 0;
  m.questionDay[i] = NO_DAY;
  if (stage === Stage.Banned) w.today.banned++;
  else w.today.churned++;
}
