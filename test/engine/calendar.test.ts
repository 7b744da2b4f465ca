/**
 * The outside calendar (engine/calendar.ts): a break scales every member's chance of a visit, so
 * contributors fall during it through the member model and come back after it. Guards
 * `calendar.break.visits` (at 1 the break arm equals the control and the fall test fails).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, withPath } from '../../engine/index.js';
import { SMALL, paired, runArm, expectShift, type Sets } from './policies/arms.js';
import { pairedDifference } from '../../experiments/stats.js';
import type { Simulation } from '../../engine/index.js';

const BASE = { ...SMALL, days: 60 };
const REPS = 6;
const START = 21;
const DAYS = 14;
const BREAK: Sets = { 'calendar.break.start': START, 'calendar.break.days': DAYS, 'calendar.break.visits': 0.25 };

/** Mean of a daily metric over run days [from, to). */
const over = (name: string, from: number, to: number) => (s: Simulation) => {
  const col = s.column(name);
  let sum = 0;
  for (let d = from; d < to; d++) sum += col[d];
  return sum / (to - from);
};

describe('calendar: a break in the members\' visits', () => {
  const control = runArm(BASE, {}, REPS);
  const broken = runArm(BASE, BREAK, REPS);

  it('leaves every day before the break as it was, and logs the break on its first day', () => {
    for (let r = 0; r < REPS; r++) expect(broken[r].series().slice(0, START)).toEqual(control[r].series().slice(0, START));
    expect(broken[0].events().find((e) => e.text.startsWith('calendar:'))?.day).toBe(START);
  });

  it('cuts visits (daily active members), contributors, posts and newcomers during the break', () => {
    for (const name of ['active', 'contributors', 'posts', 'replies', 'joins']) {
      expectShift(paired(control, broken, over(name, START, START + DAYS)), 'down', `${name} in the break`);
    }
    // a quarter of the visits: the break's contributors are well under half the control's
    const c = control.map(over('contributors', START, START + DAYS)).reduce((a, b) => a + b, 0);
    const b = broken.map(over('contributors', START, START + DAYS)).reduce((a, b) => a + b, 0);
    expect(b / c).toBeLessThan(0.5);
  });

  it('lets activity come back after the break', () => {
    const during = broken.map(over('contributors', START, START + DAYS));
    const after = broken.map(over('contributors', START + DAYS + 5, 60));
    const back = pairedDifference(during, after);
    expect(back.ciLow, `contributors after the break against during it: ${back.a.toFixed(1)} -> ${back.b.toFixed(1)}`).toBeGreaterThan(0);
    // most of it, not all: habits faded while members were away
    const c = control.map(over('contributors', START + DAYS + 5, 60)).reduce((a, b) => a + b, 0);
    const a = after.reduce((x, y) => x + y, 0);
    expect(a / c).toBeGreaterThan(0.6);
  });

  it('is a no-op unless a break covers a day: days 0 (the default), or a break after the run', () => {
    const base = parseScenario(BASE);
    const plain = createSimulation(base, { seed: 3 }).run().series;
    const idle = withPath(withPath(base, 'calendar.break.start', 5), 'calendar.break.visits', 0);
    expect(createSimulation(idle, { seed: 3 }).run().series).toEqual(plain);
    const late = withPath(withPath(base, 'calendar.second.start', 61), 'calendar.second.days', 30);
    expect(createSimulation(late, { seed: 3 }).run().series).toEqual(plain);
  });

  it("a fractional start or length covers the whole days within it, as a fit's uniform priors draw them", () => {
    const s = withPath(withPath(parseScenario({ ...BASE, days: 30 }), 'calendar.break.start', 20.4), 'calendar.break.days', 3.2);
    const sim = createSimulation(s, { seed: 5 });
    sim.run();
    // 20.4 <= d < 23.6: days 21, 22 and 23
    expect(sim.events().filter((e) => e.text.startsWith('calendar:')).map((e) => [e.day, e.text])).toEqual([[21, 'calendar: a break begins, visits x0.25 through day 23']]);
  });

  it('multiplies overlapping breaks: an outage (factor 0) inside a break stops every visit', () => {
    let s = parseScenario({ ...BASE, days: 30 });
    for (const [path, value] of Object.entries({ ...BREAK, 'calendar.second.start': 24.5, 'calendar.second.days': 2, 'calendar.second.visits': 0 })) s = withPath(s, path, value);
    const visitors = createSimulation(s, { seed: 5 }).run().series.map((d) => d.active);
    // days 25 and 26 (24.5 <= d < 26.5): only the day's newcomers, none of whom arrive either
    expect(visitors.slice(25, 27)).toEqual([0, 0]);
    expect(visitors[24]).toBeGreaterThan(0);
    expect(visitors[27]).toBeGreaterThan(0);
  });
});
