/**
 * The engine's speed goals (issue 2, "Speed"): whole runs of N members for D days, memory per
 * member and per tie, and the social pass (engine/agents/social.ts) against a bare typed-array
 * loop over the same graph at the same moment of the same run. Fixed seeds; every figure is
 * taken from the compiled JS.
 */
import { parseScenario, type ScenarioInput } from '../scenarios/schema.js';
import { Members } from '../engine/agents/members.js';
import { socialPass } from '../engine/agents/social.js';
import { createSimulation, type Simulation } from '../engine/index.js';
import { Stream } from '../engine/rng.js';
import type { World } from '../engine/world.js';

/**
 * The default scenario grown to `members` initial members, for `days` days, with graph metrics
 * every `graphEvery` days (the scenario's default cadence when omitted).
 */
export function benchScenario(members: number, days: number, graphEvery?: number) {
  const input: ScenarioInput = { days, population: { initialMembers: members }, metrics: graphEvery === undefined ? {} : { graphEvery } };
  return parseScenario(input);
}

/**
 * The run's world. Simulation keeps it private; the benchmark reaches into it on purpose, to time
 * the social pass in place on the run's own arrays rather than on a copy.
 */
function worldOf(sim: Simulation): World {
  return (sim as unknown as { w: World }).w;
}

export interface RunCase {
  members: number;
  days: number;
  /** Days between graph metrics; the scenario's default when the case did not set it. */
  graphEvery: number;
  seed: number;
  /** Wall time to build the initial members and graph. */
  createMs: number;
  /** Wall time of the days (graph metrics included when graphEvery > 0). */
  runMs: number;
  /** CPU time (user + system, all threads) of create + run. */
  cpuMs: number;
  finalMembers: number;
  /** Member rows at the end (ids are never reused, so departed members keep a row). */
  rows: number;
  ties: number;
  edgeVisits: number;
  /** Peak resident set of the whole process. */
  peakRssMB: number;
  /** Typed arrays held by members and ties at the end (their capacity, not only their use). */
  memberBytes: number;
  tieBytes: number;
}

/** One whole run: create, then step to the end, timing both. */
export function runCase(members: number, days: number, graphEvery: number | undefined, seed: number): RunCase {
  const scenario = benchScenario(members, days, graphEvery);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sim = createSimulation(scenario, { seed });
  const t1 = performance.now();
  sim.run();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const w = worldOf(sim);
  return {
    members, days, graphEvery: scenario.metrics.graphEvery, seed,
    createMs: t1 - t0,
    runMs: t2 - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    finalMembers: sim.summary().finalMembers,
    rows: w.members.count,
    ties: w.ties.edges,
    edgeVisits: (sim as unknown as { edgeVisits: number }).edgeVisits,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    memberBytes: w.members.capacity * Members.bytesPerMember(),
    tieBytes: w.ties.bytes(),
  };
}

export interface MemoryCase {
  members: number;
  ties: number;
  /** Bytes of one member row across all its typed arrays. */
  rowBytes: number;
  /** Heap and array-buffer growth per member and per tie of a freshly created run (after GC). */
  measuredPerMember: number;
  /** Ties' typed arrays per undirected tie (two directed entries, block headroom, per-node index). */
  tieBytesPerTie: number;
  /** Members' typed arrays per member at day 0 (capacity includes the 25% room to grow). */
  memberBytesPerMember: number;
}

/** Memory of a run at day 0 with `members` initial members (needs node --expose-gc). */
export function memoryCase(members: number, seed: number): MemoryCase {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: memoryCase needs node --expose-gc');
  const used = () => {
    gc();
    const u = process.memoryUsage();
    return u.heapUsed + u.arrayBuffers;
  };
  const before = used();
  const sim = createSimulation(benchScenario(members, 1, 0), { seed });
  const after = used();
  const w = worldOf(sim);
  return {
    members,
    ties: w.ties.edges,
    rowBytes: Members.bytesPerMember(),
    measuredPerMember: (after - before) / members,
    tieBytesPerTie: w.ties.bytes() / Math.max(1, w.ties.edges),
    memberBytesPerMember: (w.members.capacity * Members.bytesPerMember()) / members,
  };
}

export interface EdgeCase {
  day: number;
  /** Edge visits of one social pass (directed tie entries of present members). */
  visits: number;
  socialPerSec: number;
  barePerSec: number;
  /** Bare loop with one `Stream.next` draw and a branch per edge. */
  bareDrawPerSec: number;
  /** bare / social: how many times slower the engine's pass is than the bare loop. */
  ratio: number;
}

/**
 * Edge visits per second of the social pass against bare loops over the same graph, at the
 * days `at` of one run of `members` members. The pass is idempotent (it only recomputes bonds,
 * pull and tie toxicity from today's state), so timing it in place leaves the run unchanged.
 */
export function edgeCase(members: number, seed: number, at: number[], minMs = 1000): EdgeCase[] {
  const days = Math.max(...at);
  const sim = createSimulation(benchScenario(members, days, 0), { seed });
  const out: EdgeCase[] = [];
  const rng = Stream.derive(seed, 'bench');
  for (const day of at) {
    sim.step(day - sim.day);
    const w = worldOf(sim);
    const csr = compact(w);
    let visits = 0;
    const [social, bare, bareDraw] = bestTimes([() => (visits = socialPass(w)), () => bareLoop(csr), () => bareLoopDraw(csr, rng)], minMs);
    out.push({
      day,
      visits,
      socialPerSec: visits / social,
      barePerSec: csr.visits / bare,
      bareDrawPerSec: csr.visits / bareDraw,
      ratio: (csr.visits / bare) / (visits / social),
    });
    if (csr.visits !== visits) throw new Error(`bench: bare loop visits ${csr.visits} edges, the social pass ${visits}`);
  }
  return out;
}

/** The present members' ties packed into plain CSR arrays (same order), and a value per member. */
interface Csr {
  offsets: Int32Array;
  nbr: Int32Array;
  wt: Float32Array;
  value: Float32Array;
  out: Float32Array;
  visits: number;
}

function compact(w: World): Csr {
  const m = w.members;
  const t = w.ties;
  let rows = 0;
  let visits = 0;
  for (let u = 0; u < m.count; u++) if (m.present[u]) { rows++; visits += t.len[u]; }
  const offsets = new Int32Array(rows + 1);
  const nbr = new Int32Array(visits);
  const wt = new Float32Array(visits);
  let r = 0;
  let at = 0;
  for (let u = 0; u < m.count; u++) {
    if (!m.present[u]) continue;
    nbr.set(t.nbr.subarray(t.start[u], t.start[u] + t.len[u]), at);
    wt.set(t.wt.subarray(t.start[u], t.start[u] + t.len[u]), at);
    at += t.len[u];
    offsets[++r] = at;
  }
  const value = new Float32Array(m.count);
  for (let u = 0; u < m.count; u++) value[u] = m.present[u] * (1 + m.visited[u]);
  return { offsets, nbr, wt, value, out: new Float32Array(rows), visits };
}

/** The floor: one gather and one multiply-add per edge over plain CSR arrays. */
function bareLoop(g: Csr): void {
  const { offsets, nbr, wt, value, out } = g;
  for (let u = 0; u < out.length; u++) {
    let acc = 0;
    for (let k = offsets[u]; k < offsets[u + 1]; k++) acc += wt[k] * value[nbr[k]];
    out[u] = acc;
  }
}

/** The bare loop with one draw of the engine's generator and a branch per edge (the second reference). */
function bareLoopDraw(g: Csr, rng: Stream): void {
  const { offsets, nbr, wt, value, out } = g;
  for (let u = 0; u < out.length; u++) {
    let acc = 0;
    for (let k = offsets[u]; k < offsets[u + 1]; k++) if (rng.next() < wt[k]) acc += value[nbr[k]];
    out[u] = acc;
  }
}

/**
 * Best CPU seconds per call of each function, calling them in turn for at least `minMs` after a
 * warm-up. CPU time rather than wall time, interleaved calls and the best call all serve one end:
 * on a machine shared with other work the comparison stays fair.
 */
function bestTimes(fns: (() => void)[], minMs: number): number[] {
  for (let k = 0; k < 3; k++) for (const fn of fns) fn();
  const best = fns.map(() => Infinity);
  const t0 = performance.now();
  do {
    fns.forEach((fn, k) => {
      const s = process.cpuUsage();
      fn();
      const d = process.cpuUsage(s);
      best[k] = Math.min(best[k], (d.user + d.system) / 1000);
    });
  } while (performance.now() - t0 < minMs);
  return best.map((ms) => ms / 1000);
}
