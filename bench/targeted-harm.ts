/**
 * What one toxic reply costs its target, in the model, beside Smirnov, Oprea & Strohmaier (2023,
 * PNAS Nexus). Two copies of a run (same scenario, same seed) are stepped to day `at`; in one, a
 * sample of members takes what a toxic reply does to its target (`hurtByToxicReply`, the very
 * function the engine calls); both copies then run on, and the sample's behaviour is compared.
 * The members' own randomness comes from the same streams in both copies, so the difference is
 * the harm's.
 *
 * - default: established members (regulars and core members who visited in the last week, not
 *   troll-prone), active days over the next 90. Smirnov et al.: 0.5 to 2 active days lost.
 * - `--newcomers`: newcomers (not troll-prone) who made their first contribution in the last
 *   week, the share who contribute again in the next 30 days. Smirnov et al.: a toxic comment on
 *   a first or second contribution makes continuing 1.8 times less likely.
 *
 *   npx tsx bench/targeted-harm.ts [--newcomers] [--preset NAME] [--seeds N] [--set PATH=VALUE ...]
 */
import { readFileSync } from 'node:fs';
import { createSimulation, parseScenario } from '../engine/index.js';
import { hurtByToxicReply } from '../engine/agents/actions.js';
import { Archetype, NO_DAY, Stage } from '../engine/agents/members.js';
import type { World } from '../engine/world.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : dflt;
};
const preset = opt('preset', 'brand-community');
const seeds = Number(opt('seeds', '10'));
const newcomers = args.includes('--newcomers');
const at = 60;
const horizon = newcomers ? 30 : 90;
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
const kept = [0, 0, 0]; // newcomers sampled, who contributed again: untouched copy, harmed copy
for (let seed = 1; seed <= seeds; seed++) {
  const control = createSimulation(scenario, { seed });
  const treated = createSimulation(scenario, { seed });
  control.step(at);
  treated.step(at);
  const wc = world(control);
  const wt = world(treated);
  const m = wt.members;
  const b = scenario.behaviour;
  const chosen: number[] = [];
  for (let i = 0; i < m.count && chosen.length < sample; i++) {
    if (!m.present[i] || m.archetype[i] === Archetype.Troll) continue;
    const pick = newcomers
      ? m.stage[i] === Stage.Newcomer && m.firstPostDay[i] >= 0 && wt.day - m.firstPostDay[i] < 7 && m.toxicTargeted[i] === NO_DAY
      : (m.stage[i] === Stage.Regular || m.stage[i] === Stage.Core) && wt.day - m.lastVisit[i] <= 7;
    if (pick) chosen.push(i);
  }
  for (const i of chosen) hurtByToxicReply(wt, i, newcomers, b.targetedHarm, b.toxicity.newcomerHarm, b.toxicity.newcomerHabitLoss);
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
  kept[0] += chosen.length;
  for (const i of chosen) {
    kept[1] += wc.members.lastContrib[i] > at ? 1 : 0;
    kept[2] += wt.members.lastContrib[i] > at ? 1 : 0;
  }
}
const mean = lost.reduce((a, b) => a + b, 0) / lost.length;
const sd = Math.sqrt(lost.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, lost.length - 1));
const half = (2.262 * sd) / Math.sqrt(lost.length); // t(0.975, 9); close enough for other n >= 8
const who = newcomers ? 'newcomers after a first contribution' : 'established members';
console.log(`${preset}: active days lost per toxic reply (${who}, ${horizon} days after): ${mean.toFixed(2)} (95% CI ${(mean - half).toFixed(2)} to ${(mean + half).toFixed(2)}; ${seeds} seeds x up to ${sample} members)`);
if (newcomers) {
  const [n, c, t] = kept;
  console.log(`contributed again within ${horizon} days: ${(c / n).toFixed(3)} untouched, ${(t / n).toFixed(3)} after a toxic reply (${n} newcomers): ${(c / Math.max(1, t)).toFixed(2)}x less likely to continue`);
  console.log('Smirnov, Oprea & Strohmaier 2023 (Wikipedia): a toxic comment on a first or second contribution, 1.8x less likely to continue');
} else console.log('Smirnov, Oprea & Strohmaier 2023 (Wikipedia): 0.5 to 2 active days per toxic comment received');
