/**
 * Satisfaction, identity and attachment to the leader (MODEL.md step 6). During the day the
 * behaviours add what happened to each member into `delta` (replies, reactions, answers, toxicity
 * seen, wrongful removals, recognition, events); here it is applied, with the standing effects:
 * ties, silence on an open question, a leader who is visible, value misfit under firm values,
 * and a slow drift back toward the member's own baseline.
 */
import type { World } from '../world.js';
import { Stage } from './members.js';

/** Daily pull of satisfaction back toward the member's baseline. */
const DRIFT = 0.03;
/** Satisfaction from active ties (per unit of tanh(bonds / 3)). */
const TIES = 0.004;
/** Questions expire unanswered after this many days. */
export const QUESTION_EXPIRY_DAYS = 7;
/** Identity gained per visit and per contribution, and its daily decay. */
const ID_VISIT = 0.002;
const ID_CONTRIB = 0.008;
const ID_DECAY = 0.01;

export function updateSatisfaction(w: World): void {
  const m = w.members;
  const n = m.rosterSize;
  const day = w.day;
  const silence = w.scenario.behaviour.silenceCost;
  // the levers' parts come through the climate's channels: value misfit, leader attachment
  const { misfitCost, misfitBelow, leaderGain, leaderDecay } = w.climate;
  const { present, satisfaction, delta, alignment, bonds, identity, leader, visited, lastContrib, questionDay, roster } = m;
  const today = w.today;
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    let d = delta[i];
    delta[i] = 0;
    const q = questionDay[i];
    if (q >= 0) {
      d -= silence;
      // without a branch: the first question expires days into a run, when V8 has optimised
      // this loop on code that had never run (d - 0 is d)
      const expires = day - q >= QUESTION_EXPIRY_DAYS;
      questionDay[i] = expires ? -1 : q;
      today.expired += expires ? 1 : 0;
      d -= (expires ? 2 : 0) * silence;
    }
    const home = 0.25 + 0.45 * alignment[i] + 0.15 * leader[i] + 0.1 * identity[i];
    d += TIES * Math.tanh(bonds[i] / 3) - DRIFT * (satisfaction[i] - home);
    if (alignment[i] < misfitBelow) d -= misfitCost * (misfitBelow - alignment[i]) / misfitBelow;
    const s = satisfaction[i] + d;
    satisfaction[i] = s < 0 ? 0 : s > 1 ? 1 : s;
    const v = visited[i];
    const id = identity[i] + ID_VISIT * v + (lastContrib[i] === day ? ID_CONTRIB : 0) - ID_DECAY * identity[i];
    identity[i] = id > 1 ? 1 : id;
    const l = leader[i] + leaderGain * v * (1 - leader[i]) - leaderDecay * leader[i];
    leader[i] = l < 0 ? 0 : l;
  }
}

/**
 * Lost trust across members who see a manager incident (seeds: aggression, unverified
 * information): everyone who visited in the last `days` days, as the story stays in view.
 */
export function trustShock(w: World, severity: number, days: number): number {
  const m = w.members;
  let hit = 0;
  for (let i = 0; i < m.count; i++) {
    if (!m.present[i] || m.stage[i] >= Stage.Churned) continue;
    if (w.day - m.lastVisit[i] <= days) {
      m.delta[i] -= severity * (0.5 + m.leader[i]) * 0.3;
      m.leader[i] *= 1 - severity;
      hit++;
    }
  }
  return hit;
}
