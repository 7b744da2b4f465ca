/**
 * NSGA-II, the elitist multi-objective genetic algorithm of Deb, Pratap, Agarwal & Meyarivan
 * (2002, IEEE Trans. Evol. Comput. 6(2)): fast non-dominated sorting, crowding distance,
 * binary tournaments on (rank, crowding), simulated binary crossover (SBX, Deb & Agrawal 1995)
 * and polynomial mutation, both in their bounded forms, for real and integer variables
 * (integers are searched as reals and rounded, Deb & Goyal 1996). Constraints use constrained
 * domination (Deb 2000): a feasible candidate beats an infeasible one, of two infeasible ones
 * the smaller total violation wins, and two feasible ones compare by Pareto dominance.
 *
 * Generic: the caller's `evaluate` receives a batch of candidates with the replication indices to
 * run and returns one sample (objectives, constraints) per replication, so a batch can go to a
 * worker pool or a queue, and a stochastic model can use common random numbers (replication r
 * gets the same seed in every candidate). A candidate's objectives are the means of its samples.
 *
 * Noise: a candidate is searched with `reps` replications. Before the front is reported, the
 * final population's candidates on the first two fronts (the front, and the layer just behind it
 * that noise may have swapped with it) are re-evaluated up to `finalReps` replications; the
 * population is sorted again on the new means, and any candidate that has moved onto the first
 * front with fewer replications is topped up too, until every reported candidate has
 * `finalReps`. The search stops early enough to leave room for this in `maxRuns`.
 *
 * Deterministic: every draw comes from one seeded stream (engine/rng.ts), candidates are
 * evaluated in a fixed order, and equal variable vectors share one candidate (so a duplicate
 * child costs no runs).
 */
import { pow } from '../engine/numeric.js';
import { Stream } from '../engine/rng.js';
import { latinColumn } from './design.js';
import { meanInterval } from './stats.js';

/** A decision variable. */
export interface Nsga2Variable {
  name: string;
  min: number;
  max: number;
  /** Searched as a real and rounded to the nearest integer. */
  integer?: boolean;
}

/** One replication's outcome: the objectives, and constraints `g` (satisfied when g <= 0). */
export interface Nsga2Sample {
  objectives: readonly number[];
  constraints?: readonly number[];
}

/** A candidate to evaluate: run replications `reps` (indices from 0) of variables `x`. */
export interface Nsga2Request {
  id: number;
  x: readonly number[];
  reps: readonly number[];
  /** The generation that created the candidate (0: the first population). */
  generation: number;
}

export interface Nsga2Options {
  variables: readonly Nsga2Variable[];
  /** Direction of each objective. */
  goals: readonly ('min' | 'max')[];
  /** Evaluates a batch; returns, per request, one sample per replication asked (in order). */
  evaluate(requests: Nsga2Request[]): Promise<Nsga2Sample[][]>;
  /** The most replications run in all (search plus the final re-evaluation). */
  maxRuns: number;
  seed: number;
  /** Population size, even (default 100). */
  populationSize?: number;
  /** Replications of a candidate during the search (default 1). */
  reps?: number;
  /** Replications of every reported candidate (default `reps`). */
  finalReps?: number;
  /** SBX: probability a pair is crossed (default 0.9) and distribution index (default 15). */
  crossover?: { probability?: number; eta?: number };
  /** Polynomial mutation: probability per variable (default 1 / variables) and distribution index (default 20). */
  mutation?: { probability?: number; eta?: number };
  /** Variable vectors placed in the first population (e.g. the current settings); the rest is a Latin hypercube. */
  initial?: readonly (readonly number[])[];
  /** Called after every generation (0 = the first population) and after the final re-evaluation. */
  onGeneration?(info: Nsga2Progress): void;
}

export interface Nsga2Progress {
  generation: number;
  /** Replications run so far. */
  runs: number;
  /** Candidates on the first front of the population (feasible ones when there are any). */
  front: number;
  /** 'search' during generations, 'final' after the re-evaluation. */
  phase: 'search' | 'final';
}

/** An evaluated candidate. */
export interface Nsga2Candidate {
  id: number;
  x: number[];
  /** Samples per replication index (index r holds replication r). */
  samples: Nsga2Sample[];
  /** Objective means over the replications with a finite value (NaN when none). */
  objectives: number[];
  /** Constraint means. */
  constraints: number[];
  /** Sum of the positive constraint means (0: feasible). */
  violation: number;
  /** Generation that created it. */
  generation: number;
}

export interface Nsga2Result {
  /** The reported front: the final population's first front, feasible candidates only (empty when none is feasible). */
  front: Nsga2Candidate[];
  /** The final population. */
  population: Nsga2Candidate[];
  /** Every candidate evaluated, by id (creation order). */
  candidates: Nsga2Candidate[];
  generations: number;
  runs: number;
}

/** Means of each objective with 95% intervals over a candidate's replications. */
export function objectiveIntervals(c: Nsga2Candidate) {
  return c.objectives.map((_, k) => meanInterval(c.samples.map((s) => s.objectives[k]).filter(Number.isFinite)));
}

/** Runs NSGA-II; see the module header. */
export async function nsga2(o: Nsga2Options): Promise<Nsga2Result> {
  const vars = o.variables;
  const n = vars.length;
  const m = o.goals.length;
  const size = o.populationSize ?? 100;
  const reps = o.reps ?? 1;
  const finalReps = Math.max(reps, o.finalReps ?? reps);
  const pc = o.crossover?.probability ?? 0.9;
  const etaC = o.crossover?.eta ?? 15;
  const pm = o.mutation?.probability ?? 1 / Math.max(1, n);
  const etaM = o.mutation?.eta ?? 20;
  const issue = (field: string, expected: string, got: unknown) => new Error(`experiments/nsga2: ${field}: expected ${expected}, got ${String(got)}`);
  if (n === 0) throw issue('variables', 'at least one variable', 0);
  for (const v of vars) if (!(v.max > v.min)) throw issue(`variables.${v.name}`, 'max > min', `min ${v.min} and max ${v.max}`);
  if (m === 0) throw issue('goals', 'at least one objective', 0);
  if (!Number.isInteger(size) || size < 4 || size % 2) throw issue('populationSize', 'an even integer of at least 4', size);
  const reserve = size * (finalReps - reps);
  if (o.maxRuns < size * reps + reserve) throw issue('maxRuns', `at least ${size * reps + reserve} (a first population of ${size} x ${reps} replications, plus ${reserve} for re-evaluating the front up to ${finalReps})`, o.maxRuns);

  const rng = Stream.derive(o.seed, 'nsga2');
  const sign = o.goals.map((g) => (g === 'max' ? -1 : 1));
  const candidates: Nsga2Candidate[] = [];
  const byKey = new Map<string, Nsga2Candidate>();
  let runs = 0;
  let generation = 0;

  const clampRound = (v: number, j: number) => {
    const { min, max, integer } = vars[j];
    const c = Math.min(max, Math.max(min, v));
    return integer ? Math.min(max, Math.max(min, Math.round(c))) : c;
  };
  const candidate = (x: number[]): Nsga2Candidate => {
    const fixed = x.map(clampRound);
    const key = fixed.join(',');
    let c = byKey.get(key);
    if (!c) {
      c = { id: candidates.length, x: fixed, samples: [], objectives: [], constraints: [], violation: 0, generation };
      candidates.push(c);
      byKey.set(key, c);
    }
    return c;
  };

  /** Brings every candidate to `target` replications, in one batch. */
  const topUp = async (cs: Nsga2Candidate[], target: number) => {
    const unique = [...new Set(cs)].filter((c) => c.samples.length < target);
    if (!unique.length) return;
    const requests = unique.map((c) => ({ id: c.id, x: c.x, generation: c.generation, reps: Array.from({ length: target - c.samples.length }, (_, i) => c.samples.length + i) }));
    const results = await o.evaluate(requests);
    unique.forEach((c, i) => {
      const got = results[i];
      if (!got || got.length !== requests[i].reps.length) throw new Error(`experiments/nsga2: evaluate returned ${got?.length ?? 0} samples for candidate ${c.id}, expected ${requests[i].reps.length}`);
      c.samples.push(...got);
      runs += got.length;
      summarise(c);
    });
  };

  const summarise = (c: Nsga2Candidate) => {
    c.objectives = Array.from({ length: m }, (_, k) => {
      let s = 0, cnt = 0;
      for (const smp of c.samples) if (Number.isFinite(smp.objectives[k])) { s += smp.objectives[k]; cnt++; }
      return cnt ? s / cnt : NaN;
    });
    const g = c.samples[0]?.constraints?.length ?? 0;
    c.constraints = Array.from({ length: g }, (_, k) => c.samples.reduce((s, smp) => s + (smp.constraints?.[k] ?? 0), 0) / c.samples.length);
    c.violation = c.constraints.reduce((s, v) => s + (v > 0 ? v : 0), 0);
  };

  // Minimised copies of the objectives; an undefined mean is the worst value.
  const cost = (c: Nsga2Candidate, k: number) => (Number.isFinite(c.objectives[k]) ? sign[k] * c.objectives[k] : Infinity);

  /** Constrained domination (Deb 2000): does a dominate b? */
  const dominates = (a: Nsga2Candidate, b: Nsga2Candidate) => {
    if (a.violation > 0 || b.violation > 0) return a.violation < b.violation;
    let better = false;
    for (let k = 0; k < m; k++) {
      const x = cost(a, k), y = cost(b, k);
      if (x > y) return false;
      if (x < y) better = true;
    }
    return better;
  };

  /** Fast non-dominated sort: the fronts as lists of indices into `pop`. */
  const sortFronts = (pop: Nsga2Candidate[]): number[][] => {
    const N = pop.length;
    const dominated: number[][] = Array.from({ length: N }, () => []);
    const count = new Int32Array(N);
    const fronts: number[][] = [[]];
    for (let p = 0; p < N; p++) {
      for (let q = p + 1; q < N; q++) {
        if (dominates(pop[p], pop[q])) { dominated[p].push(q); count[q]++; }
        else if (dominates(pop[q], pop[p])) { dominated[q].push(p); count[p]++; }
      }
    }
    for (let p = 0; p < N; p++) if (count[p] === 0) fronts[0].push(p);
    for (let i = 0; fronts[i].length; i++) {
      const next: number[] = [];
      for (const p of fronts[i]) for (const q of dominated[p]) if (--count[q] === 0) next.push(q);
      fronts.push(next);
    }
    fronts.pop();
    return fronts;
  };

  /** Crowding distance of each member of a front (Infinity at the ends). */
  const crowding = (pop: Nsga2Candidate[], front: number[]): Map<number, number> => {
    const d = new Map<number, number>(front.map((i) => [i, 0]));
    if (front.length <= 2) {
      for (const i of front) d.set(i, Infinity);
      return d;
    }
    for (let k = 0; k < m; k++) {
      const s = [...front].sort((a, b) => cost(pop[a], k) - cost(pop[b], k) || a - b);
      const lo = cost(pop[s[0]], k), hi = cost(pop[s[s.length - 1]], k);
      d.set(s[0], Infinity);
      d.set(s[s.length - 1], Infinity);
      if (!(hi > lo) || !Number.isFinite(hi - lo)) continue;
      for (let i = 1; i < s.length - 1; i++) d.set(s[i], d.get(s[i])! + (cost(pop[s[i + 1]], k) - cost(pop[s[i - 1]], k)) / (hi - lo));
    }
    return d;
  };

  /** Ranks and crowding of a population, keyed by position. */
  const assess = (pop: Nsga2Candidate[]) => {
    const rank = new Int32Array(pop.length);
    const crowd = new Float64Array(pop.length);
    const fronts = sortFronts(pop);
    fronts.forEach((f, r) => {
      const d = crowding(pop, f);
      for (const i of f) { rank[i] = r; crowd[i] = d.get(i)!; }
    });
    return { rank, crowd, fronts };
  };

  const frontSize = (pop: Nsga2Candidate[]) => {
    const { fronts } = assess(pop);
    return new Set(fronts[0].map((i) => pop[i]).filter((c) => c.violation === 0)).size;
  };

  // First population: the given vectors, then a Latin hypercube over the ranges.
  const given = (o.initial ?? []).slice(0, size).map((x, i) => {
    if (x.length !== n) throw issue(`initial[${i}]`, `${n} values`, x.length);
    return candidate([...x]);
  });
  const cols = vars.map(() => latinColumn(size - given.length, rng));
  let pop: Nsga2Candidate[] = [...given, ...Array.from({ length: size - given.length }, (_, i) => candidate(vars.map((v, j) => v.min + cols[j][i] * (v.max - v.min))))];
  await topUp(pop, reps);
  o.onGeneration?.({ generation, runs, front: frontSize(pop), phase: 'search' });

  // Bounded SBX on one variable pair (returns the two children's values).
  const sbx = (a: number, b: number, lo: number, hi: number): [number, number] => {
    if (rng.next() > 0.5 || Math.abs(a - b) <= 1e-14) return [a, b];
    const y1 = Math.min(a, b), y2 = Math.max(a, b);
    const u = rng.next();
    const spread = (beta: number) => {
      const alpha = 2 - pow(beta, -(etaC + 1));
      return u <= 1 / alpha ? pow(u * alpha, 1 / (etaC + 1)) : pow(1 / (2 - u * alpha), 1 / (etaC + 1));
    };
    let c1 = 0.5 * (y1 + y2 - spread(1 + (2 * (y1 - lo)) / (y2 - y1)) * (y2 - y1));
    let c2 = 0.5 * (y1 + y2 + spread(1 + (2 * (hi - y2)) / (y2 - y1)) * (y2 - y1));
    c1 = Math.min(hi, Math.max(lo, c1));
    c2 = Math.min(hi, Math.max(lo, c2));
    return rng.next() <= 0.5 ? [c2, c1] : [c1, c2];
  };

  // Bounded polynomial mutation of one value.
  const mutate = (y: number, lo: number, hi: number): number => {
    const d1 = (y - lo) / (hi - lo), d2 = (hi - y) / (hi - lo);
    const u = rng.next();
    const exponent = 1 / (etaM + 1);
    const dq = u <= 0.5
      ? pow(2 * u + (1 - 2 * u) * pow(1 - d1, etaM + 1), exponent) - 1
      : 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(1 - d2, etaM + 1), exponent);
    return Math.min(hi, Math.max(lo, y + dq * (hi - lo)));
  };

  let state = assess(pop);
  const tournament = () => {
    const a = rng.int(size), b = rng.int(size);
    if (state.rank[a] !== state.rank[b]) return pop[state.rank[a] < state.rank[b] ? a : b];
    if (state.crowd[a] !== state.crowd[b]) return pop[state.crowd[a] > state.crowd[b] ? a : b];
    return pop[rng.next() < 0.5 ? a : b];
  };

  while (runs + size * reps + reserve <= o.maxRuns) {
    generation++;
    const children: Nsga2Candidate[] = [];
    while (children.length < size) {
      const p1 = tournament().x, p2 = tournament().x;
      const c1 = [...p1], c2 = [...p2];
      if (rng.next() <= pc) {
        for (let j = 0; j < n; j++) [c1[j], c2[j]] = sbx(p1[j], p2[j], vars[j].min, vars[j].max);
      }
      for (const c of [c1, c2]) for (let j = 0; j < n; j++) if (rng.next() < pm) c[j] = mutate(c[j], vars[j].min, vars[j].max);
      children.push(candidate(c1), candidate(c2));
    }
    await topUp(children, reps);
    // Elitist survival: parents and children together, fronts in order, the last one by crowding.
    const union = [...pop, ...children];
    const { fronts } = assess(union);
    const next: Nsga2Candidate[] = [];
    for (const f of fronts) {
      if (next.length + f.length <= size) {
        for (const i of f) next.push(union[i]);
        continue;
      }
      const d = crowding(union, f);
      const byCrowding = [...f].sort((a, b) => d.get(b)! - d.get(a)! || a - b);
      for (const i of byCrowding.slice(0, size - next.length)) next.push(union[i]);
      break;
    }
    pop = next;
    state = assess(pop);
    o.onGeneration?.({ generation, runs, front: frontSize(pop), phase: 'search' });
  }

  // Noise: re-evaluate the first two fronts, then whatever reaches the first front, until settled.
  if (finalReps > reps) {
    await topUp(state.fronts.slice(0, 2).flat().map((i) => pop[i]), finalReps);
    for (;;) {
      state = assess(pop);
      const short = state.fronts[0].map((i) => pop[i]).filter((c) => c.samples.length < finalReps);
      if (!short.length) break;
      await topUp(short, finalReps);
    }
    o.onGeneration?.({ generation, runs, front: frontSize(pop), phase: 'final' });
  }
  state = assess(pop);
  const front = [...new Set(state.fronts[0].map((i) => pop[i]))].filter((c) => c.violation === 0).sort((a, b) => cost(a, 0) - cost(b, 0) || a.id - b.id);
  return { front, population: pop, candidates, generations: generation, runs };
}
