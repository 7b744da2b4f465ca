/**
 * A visitor reads an item at most once a visit. With a handful of items a day, reading with
 * replacement counted one toxic post several times for the same reader, in the harm it does and
 * in the exposure that makes readers toxic (issue 11: the unmoderated forum's toxic share).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario } from '../../../engine/index.js';
import type { World } from '../../../engine/world.js';

describe('reading', () => {
  it('no item is read more times a day than there were visitors, even on quiet days', () => {
    // a quiet forum: few posts a day, members who read many items a visit
    const scenario = parseScenario({ days: 60, population: { initialMembers: 400, burnInDays: 30 }, behaviour: { readsPerVisit: 30 } });
    const sim = createSimulation(scenario, { seed: 3 });
    const w = (sim as unknown as { w: World }).w;
    let quietDays = 0;
    for (let d = 0; d < scenario.days; d++) {
      sim.step(1);
      const f = w.feed;
      if (f.count > 0 && f.count < 30) quietDays++;
      for (let i = 0; i < f.count; i++) expect(f.reads[i]).toBeLessThanOrEqual(w.today.visitors);
    }
    expect(quietDays).toBeGreaterThan(10); // the case that matters happened
  });
});
