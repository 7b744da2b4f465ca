import { describe, expect, it } from 'vitest';
import { generateGraph, type GraphKind } from '../../../engine/graph/generators.js';
import type { EdgeList } from '../../../engine/graph/ties.js';
import { Stream } from '../../../engine/rng.js';

const KINDS = ['small-world', 'preferential-attachment', 'random'] as const;

function seeded(seed = 1): Stream {
  return Stream.derive(seed, 'graph');
}

/** Expects a simple graph on its nodes (ends in range, no self loops, no repeated pairs); returns the degrees. */
function degreesOfSimpleGraph(g: EdgeList): Int32Array {
  expect(g.src.length).toBe(g.dst.length);
  const keys = new Float64Array(g.src.length);
  const deg = new Int32Array(g.nodes);
  let bad = 0;
  for (let e = 0; e < g.src.length; e++) {
    const u = g.src[e];
    const v = g.dst[e];
    if (!(u >= 0 && u < g.nodes && v >= 0 && v < g.nodes) || u === v) bad++;
    keys[e] = Math.min(u, v) * g.nodes + Math.max(u, v);
    deg[u]++;
    deg[v]++;
  }
  keys.sort();
  for (let e = 1; e < keys.length; e++) if (keys[e] === keys[e - 1]) bad++;
  expect(bad).toBe(0);
  return deg;
}

/** Mean local clustering (networkx's average_clustering: nodes of degree < 2 count as 0). */
function meanClustering(g: EdgeList): number {
  const adj: Set<number>[] = Array.from({ length: g.nodes }, () => new Set());
  for (let e = 0; e < g.src.length; e++) {
    adj[g.src[e]].add(g.dst[e]);
    adj[g.dst[e]].add(g.src[e]);
  }
  let sum = 0;
  for (const nb of adj) {
    const list = [...nb];
    if (list.length < 2) continue;
    let closed = 0;
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (adj[list[i]].has(list[j])) closed++;
    sum += closed / ((list.length * (list.length - 1)) / 2);
  }
  return sum / g.nodes;
}

describe('generateGraph', () => {
  it('pins the edge counts of seed 1 (2,000 nodes, mean degree 10)', () => {
    const counts = KINDS.map((k) => generateGraph(k, 2000, 10, 0.1, seeded()).src.length);
    // small world: n * k exactly; preferential attachment: a 6-clique then 5 ties per node
    expect(counts).toEqual([10000, 15 + 1994 * 5, 9971]);
  });

  it.each(KINDS)('%s: about n * meanDegree / 2 edges, simple, on all nodes', (kind) => {
    const g = generateGraph(kind, 3000, 8, 0.2, seeded(7));
    expect(g.nodes).toBe(3000);
    degreesOfSimpleGraph(g);
    expect(Math.abs(g.src.length - 12000) / 12000).toBeLessThan(0.03);
    expect(g.weight).toBeUndefined();
  });

  it.each(KINDS)('%s: the same stream state gives the same graph, another seed another graph', (kind) => {
    const a = generateGraph(kind, 1000, 6, 0.3, seeded(3));
    const b = generateGraph(kind, 1000, 6, 0.3, seeded(3));
    const c = generateGraph(kind, 1000, 6, 0.3, seeded(4));
    expect(b.src).toEqual(a.src);
    expect(b.dst).toEqual(a.dst);
    expect(c.src.length === a.src.length && c.dst.every((v, i) => v === a.dst[i])).toBe(false);
  });

  it('preferential attachment is heavy-tailed, random is not', () => {
    const n = 20000;
    const ba = degreesOfSimpleGraph(generateGraph('preferential-attachment', n, 10, 0, seeded()));
    const er = degreesOfSimpleGraph(generateGraph('random', n, 10, 0, seeded()));
    const max = (d: Int32Array) => d.reduce((a, b) => Math.max(a, b), 0);
    const tail = (d: Int32Array) => d.filter((x) => x >= 40).length;
    expect(max(ba)).toBeGreaterThan(150); // hubs: ~ m * sqrt(n) = 700 in expectation
    expect(max(er)).toBeLessThan(35); // Poisson(10)
    expect(tail(ba)).toBeGreaterThan(200);
    expect(tail(er)).toBe(0);
    // every newcomer brings m = 5 ties, so nobody has fewer
    expect(ba.reduce((a, b) => Math.min(a, b), Infinity)).toBe(5);
  });

  it('small world: clustering far above a random graph of the same density, falling with rewiring', () => {
    const lattice = meanClustering(generateGraph('small-world', 2000, 10, 0, seeded()));
    const sw = meanClustering(generateGraph('small-world', 2000, 10, 0.1, seeded()));
    const er = meanClustering(generateGraph('random', 2000, 10, 0, seeded()));
    expect(lattice).toBeCloseTo((3 * 4) / (2 * 9), 10); // 3(k-1) / 2(2k-1) for k = 5
    // Watts-Strogatz: C(p) ~ C(0) (1-p)^3
    expect(Math.abs(sw - lattice * 0.9 ** 3)).toBeLessThan(0.02);
    expect(er).toBeLessThan(0.01);
    expect(sw).toBeGreaterThan(20 * er);
  });

  it('handles tiny graphs and a mean degree at or past n - 1', () => {
    for (const kind of [...KINDS, 'none'] as GraphKind[]) {
      expect(generateGraph(kind, 0, 4, 0.1, seeded()).src.length).toBe(0);
      expect(generateGraph(kind, 1, 4, 0.1, seeded()).src.length).toBe(0);
      expect(generateGraph(kind, 5, 0, 0.1, seeded()).src.length).toBe(0);
    }
    for (const kind of KINDS) {
      expect(generateGraph(kind, 2, 1, 0.5, seeded()).src.length).toBe(1);
      const full = generateGraph(kind, 6, 5, 0.5, seeded());
      expect(full.src.length).toBe(15);
      degreesOfSimpleGraph(full);
      const past = generateGraph(kind, 6, 40, 0.5, seeded());
      expect(past.src.length).toBe(15);
    }
    expect(generateGraph('none', 100, 10, 0.1, seeded())).toMatchObject({ nodes: 100 });
    expect(generateGraph('none', 100, 10, 0.1, seeded()).src.length).toBe(0);
  });

  it('stays simple on small, nearly complete graphs with full rewiring', () => {
    for (let seed = 1; seed <= 30; seed++) {
      for (const [n, d] of [[5, 2], [7, 4], [9, 6], [12, 9], [20, 15]]) {
        const g = generateGraph('small-world', n, d, 1, seeded(seed));
        degreesOfSimpleGraph(g);
        expect(g.src.length).toBeLessThanOrEqual(n * Math.round(d / 2));
        degreesOfSimpleGraph(generateGraph('preferential-attachment', n, d, 0, seeded(seed)));
        degreesOfSimpleGraph(generateGraph('random', n, d, 0, seeded(seed)));
      }
    }
  });

  it('rejects bad arguments with the argument named', () => {
    expect(() => generateGraph('random', -1, 4, 0, seeded())).toThrow(/n: expected a non-negative integer/);
    expect(() => generateGraph('random', 10, Number.NaN, 0, seeded())).toThrow(/meanDegree/);
    expect(() => generateGraph('small-world', 10, 4, 1.5, seeded())).toThrow(/rewire: expected a number in \[0, 1\]/);
    expect(() => generateGraph('lattice' as GraphKind, 10, 4, 0, seeded())).toThrow(/kind/);
  });

  it('makes a million nodes with mean degree 10 (its speed is measured in bench/, not here)', () => {
    for (const kind of KINDS) {
      const g = generateGraph(kind, 1_000_000, 10, 0.1, seeded());
      expect(Math.abs(g.src.length - 5_000_000) / 5_000_000).toBeLessThan(0.01);
    }
  });
});
