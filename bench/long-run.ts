/**
 * Is a community with default settings at rest over several years? Members on the rolls and
 * monthly active members at marks through the run, for several starting sizes, averaged over
 * seeds (the README's "Over several years" and bench/RESULTS.md). Run: `npx tsx
 * bench/long-run.ts [--seeds N] [--days D] [--sizes 300,1000,3000] [--set PATH=VALUE ...]`
 * (markdown table on stdout). Seeds are deriveSeed(1, r), as the experiments use.
 */
import { createSimulation, deriveSeed, parseScenario, withPath } from '../engine/index.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : fallback;
};
const seeds = Number(opt('--seeds', '3'));
const days = Number(opt('--days', '1460'));
const sizes = opt('--sizes', '300,1000,3000').split(',').map(Number);
const sets: [string, unknown][] = [];
args.forEach((a, k) => {
  if (a === '--set') {
    const [p, v] = args[k + 1].split('=');
    sets.push([p, JSON.parse(v)]);
  }
});

const marks = [0, 30, 180, 365, 730, 1095, 1460, 2190, 3650].filter((d) => d <= days);
console.log(`| initial members | ${marks.map((d) => `day ${d}`).join(' | ')} |`);
console.log(`|---:|${marks.map(() => '---:').join('|')}|`);
for (const n of sizes) {
  let scenario = parseScenario({ days, population: { initialMembers: n }, metrics: { graphEvery: 0 } });
  for (const [p, v] of sets) scenario = withPath(scenario, p, v);
  const members = marks.map(() => 0);
  const monthly = marks.map(() => 0);
  for (let r = 0; r < seeds; r++) {
    const s = createSimulation(scenario, { seed: deriveSeed(1, r) }).run().series;
    marks.forEach((d, i) => {
      members[i] += s[d].members / seeds;
      monthly[i] += s[d].activeMonth / seeds;
    });
  }
  // members on the rolls, then (in brackets) those who visited in the last 30 days
  console.log(`| ${n} | ${marks.map((_, i) => `${members[i].toFixed(0)} (${monthly[i].toFixed(0)})`).join(' | ')} |`);
}
