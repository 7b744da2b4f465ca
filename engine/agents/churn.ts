/**
 * Leaving (MODEL.md step 8). The daily hazard of leaving grows as satisfaction falls and shrinks
 * with stage, identity, ties, attachment to the leader and past contributions (Wilkinson 2008:
 * the chance of stopping falls roughly as 1/k after k contributions). Lurkers leave silently:
 * a member absent for `behaviour.dormantDays` has left. Trolls who find toxicity around them feel
 * at ease and stay (MODEL.md: "some trolls stay where they feel at ease").
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Archetype, Stage } from './members.js';

/** Hazard multipliers by stage: newcomer, regular, core, advocate. */
const STAGE_HAZARD = [1, 0.5, 0.25, 0.12];
/** Weight of satisfaction (per unit above 0.5) in the log hazard. */
const SATISFACTION = 5;
/** exp(-SATISFACTION (s - 0.5)) at the low end of each satisfaction bin: an upper bound within it. */
const BOUND_STEPS = 64;
const HAZARD_BOUND = Float64Array.from({ length: BOUND_STEPS + 1 }, (_, k) => Math.exp(-SATISFACTION * (k / BOUND_STEPS - 0.5)) * (1 + 1e-9));

export function churn(w: World, rng: Stream): void {
  const m = w.members;
  const b = w.scenario.behaviour;
  const day = w.day;
  const dormant = b.dormantDays;
  const { present, stage, satisfaction, identity, bonds, leader, contribs, lastVisit, archetype, exposure, roster } = m;
  const n = m.rosterSize;
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    if (day - lastVisit[i] >= dormant) {
      leave(w, i, Stage.Churned);
      continue;
    }
    const s = satisfaction[i];
    const u = rng.next();
    // speed: identity, ties, the leader, contributions and a troll's ease only lower the hazard,
    // so a table bound by satisfaction alone settles most draws without exp (same decisions)
    const base = b.churnBase * STAGE_HAZARD[stage[i]];
    if (u >= base * HAZARD_BOUND[Math.floor(s * BOUND_STEPS)]) continue;
    let h = base * Math.exp(-SATISFACTION * (s - 0.5) - 1.5 * identity[i] - 0.6 * Math.tanh(bonds[i]) - leader[i]);
    h /= Math.sqrt(1 + contribs[i]);
    if (archetype[i] === Archetype.Troll) h *= Math.exp(-3 * exposure[i]);
    if (u < h) leave(w, i, Stage.Churned);
  }
}

/** Removes member i from the community (left or banned); its ties go at the next prune. */
export function leave(w: World, i: number, stage: number): void {
  const m = w.members;
  m.stage[i] = stage;
  m.present[i] = 0;
  m.questionDay[i] = -1;
  if (stage === Stage.Banned) w.today.banned++;
  else w.today.churned++;
}
