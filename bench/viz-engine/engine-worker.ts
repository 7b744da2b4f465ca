/** The engine alone (bench/viz-engine/main.ts): steps day by day and records when each day ended. */
import { createSimulation, parseScenario, type Simulation } from '../../engine/index.js';

let sim: Simulation | null = null;
const post = (m: unknown) => (self as unknown as Worker).postMessage(m);

/** Resumes a run waiting at a mark (the bench reads the CPU clocks while the engine waits). */
let resume: (() => void) | null = null;

self.addEventListener('message', async (e: MessageEvent<{ load?: unknown; run?: number[]; resume?: boolean }>) => {
  if (e.data.resume) {
    resume?.();
    return;
  }
  if (e.data.load) {
    const scenario = parseScenario(e.data.load);
    sim = createSimulation(scenario, { seed: scenario.seed });
    post({ ready: true });
    return;
  }
  if (!sim || !e.data.run) return;
  const marks = new Set(e.data.run);
  const at = [0];
  let t0 = performance.now();
  while (!sim.done) {
    sim.step(1);
    at.push(performance.now() - t0);
    // Only at the days the bench reads the CPU clocks, and the engine waits meanwhile (the time
    // waited is left out of its clock), so the clocks say what it took to get there.
    if (marks.has(sim.day) && !sim.done) {
      const waitedFrom = performance.now();
      await new Promise<void>((r) => {
        resume = r;
        post({ mark: sim!.day });
      });
      t0 += performance.now() - waitedFrom;
    }
  }
  post({ mark: sim.day, at });
});
