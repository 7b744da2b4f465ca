/**
 * Values clarity (lever `policies.values`): how firmly the community takes a stance on
 * sensitive topics. Seeds: fewer disputes, and those who cannot accept the values were not the
 * audience. Each morning the policy sets two channels that members read: value conflict adds to
 * a misaligned member's toxicity log-odds in proportion to (1 - clarity) (`climate.toxicPerMisfit`:
 * fewer disputes), and under firm values members aligned below 0.4 lose satisfaction each day in
 * proportion to clarity (`climate.misfitCost`: they leave sooner). Holding a stance takes the
 * manager's time in the disputes that test it, about an hour a week at full clarity, more when
 * misaligned members are many among the visitors.
 */
import { Activity, type World } from '../world.js';
import type { Policy } from './policy.js';

export function values(): Policy {
  return {
    name: 'values',
    startOfDay(w: World) {
      const p = w.scenario.policies.values;
      const clarity = p.clarity;
      const c = w.climate;
      c.toxicPerMisfit = p.conflict * (1 - clarity);
      c.misfitCost = p.misfitCost * clarity;
      c.misfitBelow = p.misfitBelow;
      if (clarity <= 0) return;
      // yesterday's misaligned visitors are today's disputes to answer
      const m = w.members;
      let misfits = 0;
      const below = p.misfitBelow;
      for (let k = 0; k < w.lastVisitorCount; k++) if (m.alignment[w.lastVisitors[k]] < below) misfits++;
      w.manager.spend(clarity * (p.hoursPerWeek / 7 + (misfits * p.minutesPerMisfit) / 60), Activity.Values);
    },
  };
}
