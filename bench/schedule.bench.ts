/**
 * Schedule cost (reliability review D2): time to validate and run a scenario whose schedule has
 * N entries, each setting one lever on one of the first days. Before the schedule was compiled
 * once, each entry re-validated the whole scenario (its schedule included): 1,000 entries took
 * 100 s. Run: npx tsx bench/schedule.bench.ts [entries...]
 */
import { createSimulation, parseScenario } from '../engine/index.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of sizes.length ? sizes : [0, 1_000, 30_000, 700_000]) {
  const schedule = Array.from({ length: n }, (_, i) => ({ day: 1 + (i % 9), set: { 'policies.moderation.strictness': (i % 10) / 10 } }));
  const raw = { days: 10, population: { initialMembers: 20 }, schedule };
  const t0 = performance.now();
  const scenario = parseScenario(raw);
  const t1 = performance.now();
  createSimulation(scenario, { seed: 1 }).run();
  const t2 = performance.now();
  console.log(`${String(n).padStart(7)} entries: validate ${((t1 - t0) / 1000).toFixed(2)} s, create + run 10 days ${((t2 - t1) / 1000).toFixed(2)} s`);
}
