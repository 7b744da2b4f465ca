import { UndirectedGraph, DirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { generateGraph } from '../../../engine/graph/generators.js';
import { fromGraphology, toGraphology } from '../../../engine/graph/graphology.js';
import { Ties, type EdgeList } from '../../../engine/graph/ties.js';
import { Stream } from '../../../engine/rng.js';

/** Ties from a generated graph with weights 1 + (edge index mod 7) / 8, exact in Float32. */
function weightedTies(n: number): Ties {
  const g = generateGraph('small-world', n, 6, 0.2, Stream.derive(1, 'graph'));
  const weight = new Float32Array(g.src.length).map((_, i) => 1 + (i % 7) / 8);
  const ties = new Ties(n);
  ties.addEdges({ ...g, weight }, 0, 1);
  return ties;
}

/** The undirected edge set as "a-b:w" strings with a < b. */
function edgeSet(list: EdgeList, name: (i: number) => number = (i) => i): Set<string> {
  const out = new Set<string>();
  for (let e = 0; e < list.src.length; e++) {
    const a = name(list.src[e]);
    const b = name(list.dst[e]);
    out.add(`${Math.min(a, b)}-${Math.max(a, b)}:${list.weight ? list.weight[e] : 1}`);
  }
  return out;
}

function tieSet(ties: Ties, keep: (id: number) => boolean): Set<string> {
  const out = new Set<string>();
  for (let u = 0; u < ties.nodeCapacity; u++) {
    if (!keep(u)) continue;
    for (let e = ties.start[u]; e < ties.start[u] + ties.len[u]; e++) {
      const v = ties.nbr[e];
      if (v > u && keep(v)) out.add(`${u}-${v}:${ties.weight(u, v)}`);
    }
  }
  return out;
}

describe('toGraphology / fromGraphology', () => {
  it('round-trips the whole graph: ties -> graphology -> edge list', () => {
    const n = 500;
    const ties = weightedTies(n);
    const graph = toGraphology(ties, (id) => id < n);
    expect(graph.type).toBe('undirected');
    expect(graph.order).toBe(n);
    expect(graph.size).toBe(ties.edges);
    const list = fromGraphology(graph);
    expect(list.nodes).toBe(n);
    expect(list.weight).toBeDefined();
    // every present id was added in order, so node index i is member i
    expect(edgeSet(list)).toEqual(tieSet(ties, (id) => id < n));
    // and back into ties: the same graph
    const again = new Ties(n);
    again.addEdges(list, 0, 1);
    expect(again.edges).toBe(ties.edges);
    expect(tieSet(again, (id) => id < n)).toEqual(tieSet(ties, (id) => id < n));
  });

  it('uses effective (decayed) weights', () => {
    const ties = new Ties(4);
    ties.strengthen(0, 1, 2);
    ties.decay(0.5);
    const graph = toGraphology(ties, (id) => id < 2);
    expect(graph.getEdgeAttribute(graph.edge('0', '1')!, 'weight')).toBe(1);
  });

  it('builds the subgraph induced by a sample of present ids', () => {
    const n = 300;
    const ties = weightedTies(n);
    const present = (id: number) => id < n && id % 5 !== 0;
    const ids = Int32Array.from({ length: 120 }, (_, i) => i * 2 + 1); // odd ids below 240
    const graph = toGraphology(ties, present, ids);
    const inSample = (id: number) => id % 2 === 1 && id < 240 && present(id);
    expect(graph.order).toBe(ids.filter(inSample).length);
    const keys = graph.nodes().map(Number);
    const list = fromGraphology(graph);
    expect(edgeSet(list, (i) => keys[i])).toEqual(tieSet(ties, inSample));
    graph.forEachNode((key) => expect(inSample(Number(key))).toBe(true));
  });

  it('maps any node keys to 0..n-1 in iteration order, skips self loops, defaults weights to 1', () => {
    const g = new UndirectedGraph({ allowSelfLoops: true });
    g.addNode('alice');
    g.addNode('bob');
    g.addNode('carol');
    g.addEdge('carol', 'alice');
    g.addEdge('bob', 'bob');
    g.addEdge('alice', 'bob', { weight: 2.5 });
    const list = fromGraphology(g);
    expect(list.nodes).toBe(3);
    expect(Array.from(list.src)).toEqual([2, 0]);
    expect(Array.from(list.dst)).toEqual([0, 1]);
    expect(Array.from(list.weight!)).toEqual([1, 2.5]);

    const plain = new DirectedGraph();
    plain.mergeEdge('x', 'y');
    plain.mergeEdge('y', 'x');
    const both = fromGraphology(plain);
    expect(both.weight).toBeUndefined();
    const ties = new Ties(2);
    ties.addEdges(both, 0, 1);
    expect(ties.edges).toBe(1);
  });

  it('rejects a weight that is not a non-negative number, naming the edge', () => {
    const g = new UndirectedGraph();
    g.mergeEdgeWithKey('e7', 'a', 'b', { weight: 'heavy' });
    expect(() => fromGraphology(g)).toThrow(/edge e7 \(a - b\)\.weight: expected a non-negative number, got "heavy"/);
    const h = new UndirectedGraph();
    h.mergeEdge('a', 'b', { weight: '0.5' });
    expect(Array.from(fromGraphology(h).weight!)).toEqual([0.5]);
  });
});
