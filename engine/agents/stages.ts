/**
 * Stages (MODEL.md step 7): newcomers become regulars by coming back, regulars join the core by
 * contributing and bonding, loyal core members become advocates who refer others, answer
 * questions and push back on attackers (seeds). Members fall back a stage when they sour.
 */
import type { World } from '../world.js';
import { Stage } from './members.js';

export function updateStages(w: World): void {
  const m = w.members;
  const day = w.day;
  const { present, stage, satisfaction, identity, bonds, contribs, joinDay, habit, roster } = m;
  const n = m.rosterSize;
  for (let k = 0; k < n; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    const s = satisfaction[i];
    const tenure = day - joinDay[i];
    switch (stage[i]) {
      case Stage.Newcomer:
        if (tenure >= 7 && habit[i] >= 0.25 && s >= 0.45) stage[i] = Stage.Regular;
        break;
      case Stage.Regular:
        if (tenure >= 30 && identity[i] >= 0.35 && bonds[i] >= 1.5 && contribs[i] >= 8 && s >= 0.62) stage[i] = Stage.Core;
        break;
      case Stage.Core:
        if (s < 0.45) stage[i] = Stage.Regular;
        else if (tenure >= 90 && identity[i] >= 0.7 && contribs[i] >= 20 && s >= 0.85) stage[i] = Stage.Advocate;
        break;
      case Stage.Advocate:
        if (s < 0.7) stage[i] = Stage.Core;
        break;
    }
  }
}
