import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreNumbers, countComponents, graphSample } from '../../../engine/graph/analysis.js';
import { generateGraph } from '../../../engine/graph/generators.js';
import { Ties } from '../../../engine/graph/ties.js';
import { Stream } from '../../../engine/rng.js';

function tiesOf(n: number, edges: [number, number][]): Ties {
  const ties = new Ties(n);
  for (const [u, v] of edges) ties.strengthen(u, v, 1);
  return ties;
}

function clique(ids: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push([ids[i], ids[j]]);
  return out;
}

function ids(members: Uint8Array): Int32Array {
  return Int32Array.from(Array.from(members).flatMap((m, i) => (m ? [i] : [])));
}

const rng = () => Stream.derive(1, 'graph-metrics');

/** Core numbers by repeated peeling, the definition itself. */
function naiveCores(n: number, edges: [number, number][], members: Uint8Array): number[] {
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (const [u, v] of edges) {
    if (u === v || !members[u] || !members[v]) continue;
    adj[u].add(v);
    adj[v].add(u);
  }
  const core = new Array<number>(n).fill(0);
  const alive = new Set([...ids(members)]);
  for (let k = 0; alive.size > 0; k++) {
    let peeled = true;
    while (peeled) {
      peeled = false;
      for (const u of alive) {
        let d = 0;
        for (const v of adj[u]) if (alive.has(v)) d++;
        if (d <= k) {
          core[u] = k;
          alive.delete(u);
          peeled = true;
        }
      }
    }
  }
  return core;
}

function naiveComponents(n: number, edges: [number, number][], members: Uint8Array): number {
  const parent = Array.from({ length: n }, (_, i) => i);
  const root = (x: number): number => (parent[x] === x ? x : (parent[x] = root(parent[x])));
  for (const [u, v] of edges) if (members[u] && members[v]) parent[root(u)] = root(v);
  return new Set([...ids(members)].map(root)).size;
}

const randomGraph = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 120 }),
    members: fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((b) => Uint8Array.from(b, (x) => (x ? 1 : 0))),
  }),
);

describe('k-core and components on the compact ties', () => {
  // a 5-clique with a 3-node tail: 0..4 clique, 4-5-6-7 path
  const tailed = [...clique([0, 1, 2, 3, 4]), [4, 5], [5, 6], [6, 7]] as [number, number][];

  it('a clique plus a tail: the clique is the 4-core, the tail the 1-shell', () => {
    const members = new Uint8Array(8).fill(1);
    const ties = tiesOf(8, tailed);
    expect(Array.from(coreNumbers(ties, members, ids(members)))).toEqual([4, 4, 4, 4, 4, 1, 1, 1]);
    const s = graphSample(3, ties, members, 100, rng());
    expect(s).toMatchObject({ day: 3, nodes: 8, edges: 13, sampled: false, kCoreMax: 4, kCoreSize: 5, components: 1 });
    expect(s.density).toBeCloseTo(26 / 56, 12);
    // nodes 0-3: 1; node 4: 6 of its 10 neighbour pairs closed; the tail: 0
    expect(s.clustering).toBeCloseTo((4 + 0.6) / 8, 12);
  });

  it('absent members and their ties do not count', () => {
    const members = new Uint8Array(12).fill(1);
    members[2] = 0; // out of the clique: 0, 1, 3, 4 are a 4-clique, the 3-core
    members[6] = 0; // cuts the tail: 7 is alone
    const ties = tiesOf(12, [...tailed, [9, 10]]);
    const s = graphSample(0, ties, members, 100, rng());
    // present: 0 1 3 4 5 7 8 9 10 11; components {0,1,3,4,5} {7} {8} {9,10} {11}
    expect(s).toMatchObject({ nodes: 10, edges: 8, kCoreMax: 3, kCoreSize: 4, components: 5 });
  });

  it('an empty community and one without ties', () => {
    expect(graphSample(0, new Ties(4), new Uint8Array(0), 10, rng())).toMatchObject({
      nodes: 0, edges: 0, density: 0, clustering: 0, modularity: 0, kCoreMax: 0, kCoreSize: 0, components: 0,
    });
    expect(graphSample(0, new Ties(4), new Uint8Array(3).fill(1), 10, rng())).toMatchObject({
      nodes: 3, edges: 0, kCoreMax: 0, kCoreSize: 3, components: 3, modularity: 0,
    });
  });

  it('core numbers and component counts agree with the definitions on arbitrary graphs', () => {
    fc.assert(
      fc.property(randomGraph, ({ n, edges, members }) => {
        const ties = tiesOf(n, edges);
        const present = ids(members);
        const core = coreNumbers(ties, members, present);
        const expected = naiveCores(n, edges, members);
        for (const u of present) expect(core[u]).toBe(expected[u]);
        expect(countComponents(ties, members, present)).toBe(naiveComponents(n, edges, members));
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe('graphSample', () => {
  it('Louvain finds two cliques joined by a bridge', () => {
    const members = new Uint8Array(10).fill(1);
    const ties = tiesOf(10, [...clique([0, 1, 2, 3, 4]), ...clique([5, 6, 7, 8, 9]), [4, 5]]);
    const s = graphSample(0, ties, members, 100, rng());
    // two communities of 10 internal ties and degree 21 each, m = 21
    expect(s.modularity).toBeCloseTo(2 * (10 / 21 - 0.25), 12);
    expect(s.components).toBe(1);
    expect(s.kCoreMax).toBe(4);
    expect(s.kCoreSize).toBe(10);
  });

  it('on a large graph: exact counts, density, cores and components; sampled clustering close to the full one', () => {
    const n = 20000;
    const g = generateGraph('small-world', n, 10, 0.1, Stream.derive(1, 'graph'));
    const ties = new Ties(n);
    ties.addEdges(g, 0, 1);
    const members = new Uint8Array(n).fill(1);
    const full = graphSample(1, ties, members, n, rng());
    const a = graphSample(1, ties, members, 2000, rng());
    const b = graphSample(1, ties, members, 2000, rng());
    expect(full.sampled).toBe(false);
    expect(a.sampled).toBe(true);
    expect(a).toEqual(b); // same stream state, same sample
    for (const key of ['nodes', 'edges', 'density', 'kCoreMax', 'kCoreSize', 'components'] as const) expect(a[key]).toBe(full[key]);
    expect(a.edges).toBe(100000);
    expect(Math.abs(a.clustering - full.clustering)).toBeLessThan(0.02);
    expect(full.clustering).toBeGreaterThan(0.4);
    // a ring cut in arcs is very modular, and so is a snowball of it
    expect(full.modularity).toBeGreaterThan(0.7);
    expect(a.modularity).toBeGreaterThan(0.8);
  });
});
