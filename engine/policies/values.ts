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

/** Manager hours a day to hold the stance at full clarity, and per misaligned visitor. */
const HOURS_PER_DAY = 1 / 7;
const MINUTES_PER_MISFIT = 0.5;
/** Alignment below which a member is at odds with the values. */
const MISFIT = 0.4;
/** Toxicity log-odds per unit of misfit (1 - alignment) when the values are not stated at all. */
const VALUE_CONFLICT = 1.2;
/** Satisfaction lost daily per unit of misfit below MISFIT at full value clarity (seeds: those who cannot accept the values were not the audience). */
const MISFIT_COST = 0.02;

export function values(): Policy {
  return {
    name: 'values',
    startOfDay(w: World) {
      const clarity = w.scenario.policies.values.clarity;
      const c = w.climate;
      c.toxicPerMisfit = VALUE_CONFLICT * (1 - clarity);
      c.misfitCost = MISFIT_COST * clarity;
      c.misfitBelow = MISFIT;
      if (clarity <= 0) return;
      // yesterday's misaligned visitors are today's disputes to answer
      const m = w.members;
      let misfits = 0;
      for (let k = 0; k < w.lastVisitorCount; k++) if (m.alignment[w.lastVisitors[k]] < MISFIT) misfits++;
      w.manager.spend(clarity * (HOURS_PER_DAY + (misfits * MINUTES_PER_MISFIT) / 60), Activity.Values);
    },
  };
}
