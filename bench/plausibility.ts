/**
 * The plausibility table of the README ("Plausible defaults, measured"): every preset over 10
 * seeds, the figures a practitioner would check first. Run: `npm run build && node
 * dist/bench/plausibility.js [--seeds N] [--preset NAME] [--set PATH=VALUE ...]` (markdown table
 * on stdout). Seeds are deriveSeed(1, r), as the experiments use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulation, deriveSeed, parseScenario, withPath } from '../engine/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const scenarios = [join(here, '../scenarios'), join(here, '../../scenarios')].find((d) => {
  try {
    return readdirSync(d).some((f) => f.endsWith('.json'));
  } catch {
    return false;
  }
})!;

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const seeds = Number(opt('--seeds') ?? 10);
const only = opt('--preset');
const sets: [string, unknown][] = [];
args.forEach((a, k) => {
  if (a === '--set') {
    const [p, v] = args[k + 1].split('=');
    sets.push([p, JSON.parse(v)]);
  }
});

const presets = readdirSync(scenarios).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
const names = only ? only.split(',') : ['defaults', ...presets];
const mean = (x: number[]) => {
  const v = x.filter((y) => Number.isFinite(y));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
};
const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'NA');
console.log('| preset | members d0 | d30 | d180 | d365 | DAU/MAU | MAU/members | contributors/week | D30 | D90 | answered | median response h | toxic share |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const name of names) {
  let input: unknown = name === 'defaults' ? {} : JSON.parse(readFileSync(join(scenarios, `${name}.json`), 'utf8'));
  let scenario = parseScenario({ ...(input as object), metrics: { graphEvery: 0 } });
  for (const [p, v] of sets) scenario = withPath(scenario, p, v);
  const rows: number[][] = [];
  for (let r = 0; r < seeds; r++) {
    const res = createSimulation(scenario, { seed: deriveSeed(1, r) }).run();
    const s = res.series;
    const at = (d: number) => s[Math.min(d, s.length - 1)].members;
    const span = s.slice(30);
    const dauMau = mean(span.map((x) => (x.activeMonth > 0 ? x.active / x.activeMonth : NaN)));
    const mauMembers = mean(span.map((x) => (x.members > 0 ? x.activeMonth / x.members : NaN)));
    const cw = mean(span.map((x) => x.contributorsWeek));
    const S = res.summary;
    rows.push([at(0), at(30), at(180), at(365), dauMau, mauMembers, cw, S.retentionD30, S.retentionD90, S.answeredShare, S.medianResponseHours, S.meanToxicShare]);
  }
  const col = (k: number) => mean(rows.map((r) => r[k]));
  console.log(`| ${name} | ${f(col(0))} | ${f(col(1))} | ${f(col(2))} | ${f(col(3))} | ${f(col(4), 2)} | ${f(col(5), 2)} | ${f(col(6))} | ${f(col(7), 2)} | ${f(col(8), 2)} | ${f(col(9), 2)} | ${f(col(10), 1)} | ${f(col(11), 3)} |`);
}
