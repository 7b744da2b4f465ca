import fc from 'fast-check';
import louvainModule from 'graphology-communities-louvain';
import modularityModule from 'graphology-metrics/graph/modularity.js';
import { describe, expect, it } from 'vitest';
import { generateGraph } from '../../../engine/graph/generators.js';
import { toGraphology } from '../../../engine/graph/graphology.js';
import { inducedCsr, louvain, modularity } from '../../../engine/graph/louvain.js';
import { Ties } from '../../../engine/graph/ties.js';
import { Stream } from '../../../engine/rng.js';

// CommonJS packages typed with `export default` (see engine/graph/graphology.ts)
const cjs = <T>(m: { default: T }): T => (m as { default?: T }).default ?? (m as unknown as T);
const refLouvain = cjs(louvainModule);
const refModularity = cjs(modularityModule);

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function weightedTies(n: number, edges: [number, number, number][]): Ties {
  const ties = new Ties(n);
  for (const [u, v, w] of edges) ties.strengthen(u, v, w);
  return ties;
}

/** Modularity of graphology-communities-louvain's partition, computed by graphology-metrics. */
function reference(ties: Ties, present: Uint8Array, seed: number): number {
  const graph = toGraphology(ties, (id) => present[id] > 0);
  const rng = Stream.derive(seed, 'reference');
  const communities = refLouvain(graph, { getEdgeWeight: 'weight', rng: () => rng.next() });
  return refModularity(graph, { getEdgeWeight: 'weight', getNodeCommunity: (node: string) => communities[node] });
}

/** `groups` groups of `size`, dense inside (p_in) and sparse between (p_out). */
function planted(groups: number, size: number, pIn: number, pOut: number, seed: number): Ties {
  const rng = Stream.derive(seed, 'planted');
  const n = groups * size;
  const ties = new Ties(n);
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const same = Math.floor(u / size) === Math.floor(v / size);
      if (rng.next() < (same ? pIn : pOut)) ties.strengthen(u, v, 0.5 + rng.next());
    }
  }
  return ties;
}

describe('modularity', () => {
  it('equals graphology-metrics on arbitrary weighted graphs and partitions', () => {
    const graph = fc
      .integer({ min: 2, max: 30 })
      .chain((n) =>
        fc.record({
          n: fc.constant(n),
          edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.double({ min: 0.1, max: 5, noNaN: true })), { minLength: 1, maxLength: 80 }),
          labels: fc.array(fc.nat(4), { minLength: n, maxLength: n }),
        }),
      );
    fc.assert(
      fc.property(graph, ({ n, edges, labels }) => {
        const ties = weightedTies(n, edges);
        const present = new Uint8Array(n).fill(1);
        const g = inducedCsr(ties, present, all(n));
        const community = Int32Array.from(labels);
        const ours = modularity(g, community);
        const tg = toGraphology(ties, (id) => id < n);
        if (tg.size === 0) {
          expect(ours).toBe(0);
          return;
        }
        const theirs = refModularity(tg, { getEdgeWeight: 'weight', getNodeCommunity: (node: string) => labels[Number(node)] });
        expect(ours).toBeCloseTo(theirs, 9);
      }),
      { numRuns: 300, seed: 2 },
    );
  });
});

describe('louvain', () => {
  it('finds the cliques of a ring of cliques', () => {
    // 8 cliques of 6, neighbouring cliques joined by one tie: 8 x 15 inner ties + 8 bridges
    const edges: [number, number, number][] = [];
    for (let c = 0; c < 8; c++) {
      for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) edges.push([c * 6 + i, c * 6 + j, 1]);
      edges.push([c * 6 + 5, ((c + 1) % 8) * 6, 1]);
    }
    const g = inducedCsr(weightedTies(48, edges), new Uint8Array(48).fill(1), all(48));
    const community = louvain(g, Stream.derive(1, 'louvain'));
    for (let u = 0; u < 48; u++) expect(community[u]).toBe(community[Math.floor(u / 6) * 6]);
    expect(new Set(community).size).toBe(8);
    // m = 128; each clique: 15 inner ties, degree sum 32
    expect(modularity(g, community)).toBeCloseTo(8 * (15 / 128 - (32 / 256) ** 2), 12);
  });

  it('reaches the modularity graphology-communities-louvain reaches, graph by graph', () => {
    const cases: { name: string; ties: Ties; n: number }[] = [];
    for (let s = 1; s <= 4; s++) cases.push({ name: `planted ${s}`, ties: planted(6, 25, 0.3, 0.02, s), n: 150 });
    for (const [kind, p] of [['small-world', 0.1], ['preferential-attachment', 0], ['random', 0]] as const) {
      const n = 400;
      const ties = new Ties(n);
      ties.addEdges(generateGraph(kind, n, 6, p, Stream.derive(3, kind)), 0, 1);
      cases.push({ name: kind, ties, n });
    }
    const gaps: number[] = [];
    for (const { name, ties, n } of cases) {
      const present = new Uint8Array(n).fill(1);
      const g = inducedCsr(ties, present, all(n));
      const ours = modularity(g, louvain(g, Stream.derive(1, name)));
      // graphology's own result varies with its random order: its best of three seeds
      const theirs = Math.max(reference(ties, present, 1), reference(ties, present, 2), reference(ties, present, 3));
      gaps.push(theirs - ours);
      expect(ours, name).toBeGreaterThan(theirs - 0.02);
    }
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(0.01);
  });

  it('is deterministic for a seed, labels every node 0..k-1, and keeps modularity in [-0.5, 1]', () => {
    const graph = fc
      .integer({ min: 1, max: 40 })
      .chain((n) => fc.record({ n: fc.constant(n), edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.double({ min: 0.01, max: 5, noNaN: true })), { maxLength: 120 }), seed: fc.nat() }));
    fc.assert(
      fc.property(graph, ({ n, edges, seed }) => {
        const g = inducedCsr(weightedTies(n, edges), new Uint8Array(n).fill(1), all(n));
        const a = louvain(g, Stream.derive(seed, 'l'));
        expect(louvain(g, Stream.derive(seed, 'l'))).toEqual(a);
        const k = new Set(a).size;
        for (const c of a) expect(c >= 0 && c < k).toBe(true);
        const q = modularity(g, a);
        expect(q).toBeGreaterThanOrEqual(-0.5);
        expect(q).toBeLessThanOrEqual(1);
        // never worse than every node alone
        expect(q).toBeGreaterThanOrEqual(modularity(g, all(n)) - 1e-12);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('induces the subgraph of the listed present members only', () => {
    const ties = weightedTies(6, [[0, 1, 1], [1, 2, 2], [2, 3, 1], [3, 4, 1], [4, 5, 1]]);
    const present = Uint8Array.from([1, 1, 1, 0, 1, 1]);
    const g = inducedCsr(ties, present, Int32Array.from([2, 1, 3, 1, 5, 4]));
    // kept in order: 2, 1, 5, 4 (3 is absent, the second 1 a duplicate); ties 2-1 and 5-4
    expect(g.n).toBe(4);
    expect(Array.from(g.offsets)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(g.targets)).toEqual([1, 0, 3, 2]);
    expect(Array.from(g.weights)).toEqual([2, 2, 1, 1]);
  });
});
