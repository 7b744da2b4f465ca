/**
 * Stages (MODEL.md step 7): newcomers become regulars by coming back, regulars join the core by
 * contributing and bonding, loyal core members become advocates who refer others, answer
 * questions and push back on attackers (seeds). Members fall back a stage when they sour.
 */
import type { World } from '../world.js';
import { Stage } from './members.js';

/** Each stage's next stage for the member at hand (scratch, rewritten for every member). */
const next = new Uint8Array(4);

export function updateStages(w: World): void {
  const m = w.members;
  const day = w.day;
  const { present, stage, satisfaction, identity, bonds, contribs, joinDay, habit, roster } = m;
  const g = w.scenario.behaviour.stages;
  const { regularAfterDays, regularHabit, regularSatisfaction, coreAfterDays, coreIdentity, coreBonds, coreContributions, coreSatisfaction } = g;
  const { advocateAfterDays, advocateIdentity, advocateContributions, advocateSatisfaction, advocateKeep } = g;
  const { Newcomer, Regular, Core, Advocate } = Stage;
  const n = m.rosterSize;
  // speed: every test is evaluated for every member and the stage is looked up, not branched
  // on. Each kind of move (the first core member, the first advocate, the first to fall back)
  // first happens days or months into a run, after V8 has optimised this loop on code that had
  // never run, and each would have it compiled again (thirteen times in a 10,000-member run)
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    const s = satisfaction[i];
    const tenure = day - joinDay[i];
    const id = identity[i];
    const c = contribs[i];
    const week = tenure >= regularAfterDays;
    const month = tenure >= coreAfterDays;
    const quarter = tenure >= advocateAfterDays;
    const habitual = habit[i] >= regularHabit;
    const bonded = bonds[i] >= coreBonds;
    const identified = id >= coreIdentity;
    const devoted = id >= advocateIdentity;
    const active = c >= coreContributions;
    const prolific = c >= advocateContributions;
    const settled = s >= regularSatisfaction;
    const pleased = s >= coreSatisfaction;
    const glad = s >= advocateKeep;
    const delighted = s >= advocateSatisfaction;
    next[Newcomer] = week && habitual && settled ? Regular : Newcomer;
    next[Regular] = month && identified && bonded && active && pleased ? Core : Regular;
    next[Core] = !settled ? Regular : quarter && devoted && prolific && delighted ? Advocate : Core;
    next[Advocate] = glad ? Advocate : Core;
    stage[i] = next[stage[i]];
  }
}
