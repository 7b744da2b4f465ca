import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TIES, MAX_WEIGHT, Ties } from '../../../engine/graph/ties.js';

const N = 200; // more than MAX_TIES, so bursts from one member hit the cap

type Op =
  | { kind: 'strengthen'; u: number; v: number; delta: number }
  | { kind: 'burst'; u: number; first: number; count: number; delta: number }
  | { kind: 'ring'; k: number; delta: number }
  | { kind: 'decay'; factor: number }
  | { kind: 'prune'; minWeight: number; drop: number[] }
  | { kind: 'roundTrip' };

const node = fc.nat(N - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('strengthen' as const), u: node, v: node, delta: fc.double({ min: 0, max: 3, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), u: node, first: node, count: fc.integer({ min: 1, max: 190 }), delta: fc.double({ min: 0.01, max: 2, noNaN: true }) }) },
  // everyone at once: many small blocks, the layout prune had trouble with
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ring' as const), k: fc.integer({ min: 1, max: 8 }), delta: fc.double({ min: 0.01, max: 2, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('decay' as const), factor: fc.oneof(fc.double({ min: 0.5, max: 1, noNaN: true }), fc.double({ min: 1e-12, max: 1e-3, noNaN: true })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prune' as const), minWeight: fc.double({ min: 0, max: 1, noNaN: true }), drop: fc.array(node, { maxLength: 20 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'roundTrip' as const }) },
);

function apply(ties: Ties, o: Op): Ties {
  switch (o.kind) {
    case 'strengthen':
      ties.strengthen(o.u, o.v, o.delta);
      return ties;
    case 'burst':
      for (let i = 0; i < o.count; i++) ties.strengthen(o.u, (o.first + i) % N, o.delta);
      return ties;
    case 'ring':
      for (let u = 0; u < N; u++) for (let j = 1; j <= o.k; j++) ties.strengthen(u, (u + j) % N, o.delta);
      return ties;
    case 'decay':
      ties.decay(o.factor);
      return ties;
    case 'prune': {
      const keep = new Uint8Array(N).fill(1);
      for (const u of o.drop) keep[u] = 0;
      ties.prune(o.minWeight, keep, N);
      let left = 0;
      for (let u = 0; u < N; u++) {
        for (let e = ties.start[u]; e < ties.start[u] + ties.len[u]; e++) {
          if (!keep[u] || !keep[ties.nbr[e]] || ties.wt[e] * ties.scale < o.minWeight * (1 - 1e-6)) left++;
        }
      }
      expect(left).toBe(0); // no tie to a dropped member nor below the threshold survives
      return ties;
    }
    case 'roundTrip': {
      const restored = Ties.restore(ties.save(N), N);
      expectSameTies(restored, ties);
      return restored;
    }
  }
}

/** Every structural invariant of the tie store, as a list of what is broken (plain checks: fast). */
function problems(ties: Ties): string[] {
  const out: string[] = [];
  let directed = 0;
  const seen = new Int32Array(N).fill(-1);
  for (let u = 0; u < N; u++) {
    const s = ties.start[u];
    const len = ties.len[u];
    if (len > MAX_TIES) out.push(`${u}: ${len} ties`);
    if (len > ties.cap[u] || s + ties.cap[u] > ties.nbr.length) out.push(`${u}: block out of bounds`);
    for (let e = s; e < s + len; e++) {
      const v = ties.nbr[e];
      if (v === u) out.push(`${u}: self tie`);
      if (seen[v] === u) out.push(`${u}-${v}: twice`);
      seen[v] = u;
      const w = ties.weight(u, v);
      if (w !== ties.weight(v, u)) out.push(`${u}-${v}: ${w} one way, ${ties.weight(v, u)} the other`);
      if (!(w >= 0 && w <= MAX_WEIGHT * (1 + 1e-6))) out.push(`${u}-${v}: weight ${w}`);
    }
    directed += len;
  }
  if (ties.edges * 2 !== directed) out.push(`edges ${ties.edges}, directed entries ${directed}`);
  return out;
}

function checkInvariants(ties: Ties): void {
  expect(problems(ties)).toEqual([]);
}

function expectSameTies(a: Ties, b: Ties): void {
  const out: string[] = [];
  if (a.edges !== b.edges) out.push(`edges ${a.edges} vs ${b.edges}`);
  for (let u = 0; u < N; u++) {
    if (a.degree(u) !== b.degree(u)) out.push(`${u}: degree ${a.degree(u)} vs ${b.degree(u)}`);
    for (let e = b.start[u]; e < b.start[u] + b.len[u]; e++) {
      const v = b.nbr[e];
      if (a.weight(u, v) !== b.weight(u, v)) out.push(`${u}-${v}: ${a.weight(u, v)} vs ${b.weight(u, v)}`);
    }
  }
  expect(out).toEqual([]);
}

describe('Ties', () => {
  it('keeps ties symmetric, simple, capped and counted through any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        let ties = new Ties(16, 64); // tiny start: blocks relocate and the slab grows
        ties.ensureNodes(N);
        for (const o of ops) {
          ties = apply(ties, o);
          checkInvariants(ties);
        }
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('save and restore give the same ties, and both go on identically', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(op, { maxLength: 20 }), (before, after) => {
        let a = new Ties(16, 64);
        a.ensureNodes(N);
        for (const o of before) a = apply(a, o);
        let b = Ties.restore(a.save(N), N);
        expectSameTies(b, a);
        for (const o of after) {
          a = apply(a, o);
          b = apply(b, o);
        }
        expectSameTies(b, a);
        checkInvariants(b);
      }),
      { numRuns: 100, seed: 2 },
    );
  });

  it('a new tie past MAX_TIES replaces the weakest', () => {
    const ties = new Ties(N);
    for (let v = 1; v <= MAX_TIES; v++) ties.strengthen(0, v, 1 + v / 1000);
    expect(ties.degree(0)).toBe(MAX_TIES);
    ties.strengthen(0, MAX_TIES + 1, 2);
    expect(ties.degree(0)).toBe(MAX_TIES);
    expect(ties.weight(0, 1)).toBe(0); // the weakest went
    expect(ties.degree(1)).toBe(0);
    expect(ties.weight(0, MAX_TIES + 1)).toBe(2);
  });

  it('prune keeps every surviving tie of a graph whose blocks fill the slab', () => {
    // regression: prune used to size the new slab below the blocks' headroom
    const n = 3000;
    const ties = new Ties(n, 64);
    for (let u = 0; u < n; u++) for (let j = 1; j <= 3; j++) ties.strengthen(u, (u + j) % n, 1);
    ties.prune(0.5, new Uint8Array(n).fill(1), n);
    expect(ties.edges).toBe(3 * n);
    for (let u = 0; u < n; u++) {
      expect(ties.degree(u)).toBe(6);
      expect(ties.weight(u, (u + 3) % n)).toBe(1);
    }
  });
});
