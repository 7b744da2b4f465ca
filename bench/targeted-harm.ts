/**
 * What one toxic reply costs its target, in the model, beside Smirnov, Oprea & Strohmaier (2023,
 * PNAS Nexus): on Wikipedia a toxic comment cost the target 0.5 to 2 active days. Two copies of
 * a run (same scenario, same seed) are stepped to day `at`; in one, a sample of established
 * members (regulars and core members who visited in the last week, not troll-prone) takes what a
 * toxic reply does to its target (behaviour.targetedHarm x sensitivity); both copies then run
 * `horizon` more days, and the days those members visit are counted in each. The members' own
 * randomness (visits) comes from the same stream in both copies, so the difference is the harm's.
 *
 *   npx tsx bench/targeted-harm.ts [--preset NAME] [--seeds N] [--set PATH=VALUE ...]
 */
import { readFileSync } from 'node:fs';
import { createSimulation, parseScenario } from '../engine/index.js';
import { Archetype, Stage } from '../engine/agents/members.js';
import type { World } from '../engine/world.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : dflt;
};
const preset = opt('preset', 'brand-community');
const seeds = Number(opt('seeds', '10'));
const at = 60;
const horizon = 90;
const sample = 100;
const base = JSON.parse(readFileSync(new URL(`../scenarios/${preset}.json`, import.meta.url), 'utf8'));
for (let k = 0; k < args.length; k++) {
  if (args[k] !== '--set') continue;
  const [path, value] = args[k + 1].split('=');
  const keys = path.split('.');
  let o = base;
  for (const key of keys.slice(0, -1)) o = o[key] ??= {};
  o[keys[keys.length - 1]] = JSON.parse(value);
}
const scenario = parseScenario({ ...base, days: at + horizon });
const world = (sim: unknown): World => (sim as { w: World }).w;

const lost: number[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const control = createSimulation(scenario, { seed });
  const treated = createSimulation(scenario, { seed });
  control.step(at);
  treated.step(at);
  const wc = world(control);
  const wt = world(treated);
  const m = wt.members;
  const chosen: number[] = [];
  for (let i = 0; i < m.count && chosen.length < sample; i++) {
    const established = m.stage[i] === Stage.Regular || m.stage[i] === Stage.Core;
    if (m.present[i] && established && m.archetype[i] !== Archetype.Troll && wt.day - m.lastVisit[i] <= 7) chosen.push(i);
  }
  for (const i of chosen) m.delta[i] -= scenario.behaviour.targetedHarm * m.sensitivity[i];
  const days = (w: World, counts: Float64Array): void => {
    for (let k = 0; k < chosen.length; k++) counts[k] += w.members.lastVisit[chosen[k]] === w.day ? 1 : 0;
  };
  const dc = new Float64Array(chosen.length);
  const dt = new Float64Array(chosen.length);
  for (let d = 0; d < horizon; d++) {
    control.step(1);
    treated.step(1);
    days(wc, dc);
    days(wt, dt);
  }
  let diff = 0;
  for (let k = 0; k < chosen.length; k++) diff += dc[k] - dt[k];
  lost.push(diff / Math.max(1, chosen.length));
}
const mean = lost.reduce((a, b) => a + b, 0) / lost.length;
const sd = Math.sqrt(lost.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, lost.length - 1));
const half = (2.262 * sd) / Math.sqrt(lost.length); // t(0.975, 9); close enough for other n >= 8
console.log(`${preset}: active days lost per toxic reply (established members, ${horizon} days after): ${mean.toFixed(2)} (95% CI ${(mean - half).toFixed(2)} to ${(mean + half).toFixed(2)}; ${seeds} seeds x up to ${sample} members)`);
console.log('Smirnov, Oprea & Strohmaier 2023 (Wikipedia): 0.5 to 2 active days per toxic comment received');
