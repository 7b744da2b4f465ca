/**
 * Satisfaction, identity and attachment to the leader (MODEL.md step 6). During the day the
 * behaviours add what happened to each member into `delta` (replies, reactions, answers, toxicity
 * seen, wrongful removals, recognition, events); here it is applied, with the standing effects:
 * ties, silence on an open question (by the hours it waited today, engine/agents/answers.ts), the
 * levers' channels (value misfit, attachment to a visible leader), and a slow drift back toward
 * the member's home level, which alignment, attachment and identity raise.
 */
import type { World } from '../world.js';
import { silence } from './answers.js';
import { NO_DAY, Stage } from './members.js';
import { tanh } from '../numeric.js';

export function updateSatisfaction(w: World): void {
  const m = w.members;
  const n = m.rosterSize;
  const day = w.day;
  const b = w.scenario.behaviour;
  const { silenceCost } = b;
  const { expiryDays, expiryPenaltyDays } = b.answers;
  const { ties: tieValue, tiesScale, drift, homeBase, homeAlignment, homeLeader, homeIdentity } = b.satisfaction;
  const { perVisit, perContribution, decay } = b.identity;
  // the levers' parts come through the climate's channels: value misfit, leader attachment
  const { misfitCost, misfitBelow, leaderGain, leaderDecay } = w.climate;
  const { present, satisfaction, delta, alignment, bonds, identity, leader, visited, lastContrib, questionDay, roster } = m;
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    let d = delta[i];
    delta[i] = 0;
    if (questionDay[i] !== NO_DAY) d += silence(w, i, silenceCost, expiryDays, expiryPenaltyDays);
    const home = homeBase + homeAlignment * alignment[i] + homeLeader * leader[i] + homeIdentity * identity[i];
    d += tieValue * tanh(bonds[i] / tiesScale) - drift * (satisfaction[i] - home);
    if (alignment[i] < misfitBelow) d -= misfitCost * (misfitBelow - alignment[i]) / misfitBelow;
    const s = satisfaction[i] + d;
    satisfaction[i] = s < 0 ? 0 : s > 1 ? 1 : s;
    const v = visited[i];
    const id = identity[i] + perVisit * v + (lastContrib[i] === day ? perContribution : 0) - decay * identity[i];
    identity[i] = id > 1 ? 1 : id;
    const l = leader[i] + leaderGain * v * (1 - leader[i]) - leaderDecay * leader[i];
    leader[i] = l < 0 ? 0 : l;
  }
}

/**
 * Lost trust across members who see a manager incident (seeds: aggression, unverified
 * information): everyone who visited in the last `days` days, as the story stays in view.
 */
export function trustShock(w: World, severity: number, days: number, loss: number, attachedBase: number): number {
  const m = w.members;
  let hit = 0;
  for (let i = 0; i < m.count; i++) {
    if (!m.present[i] || m.stage[i] >= Stage.Churned) continue;
    if (w.day - m.lastVisit[i] <= days) {
      m.delta[i] -= severity * (attachedBase + m.leader[i]) * loss;
      m.leader[i] *= 1 - severity;
      hit++;
    }
  }
  return hit;
}
