/**
 * The bridge between the engine's compact ties and graphology (STYLE.md example 4): the run keeps
 * its ties in `Ties`; a graphology graph is built from them only when a reader needs one (graph
 * metrics, GEXF/GraphML export, the views), and graph files read by graphology come back as a
 * plain `EdgeList`.
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph, Attributes } from 'graphology-types';
import type { EdgeList, Ties } from './ties.js';

/** A graph built from ties: node keys are member ids as strings, nodes start without attributes. */
export type TieGraph = UndirectedGraph<Attributes, { weight: number }>;

/**
 * An undirected graphology graph of the ties between present members, weighted by the ties'
 * effective weights. With `ids`, only those members and the ties among them (an induced
 * subgraph); without, every id below the ties' node capacity for which `present` holds, so
 * `present` must be false for ids not yet in use. Node keys are the member ids as strings.
 */
export function toGraphology(ties: Ties, present: (id: number) => boolean, ids?: Int32Array): TieGraph {
  const graph: TieGraph = new UndirectedGraph();
  const inGraph = new Uint8Array(ties.nodeCapacity);
  const nodes = ids ?? allIds(ties.nodeCapacity);
  for (let i = 0; i < nodes.length; i++) {
    const u = nodes[i];
    if (u < 0 || u >= ties.nodeCapacity || inGraph[u] || !present(u)) continue;
    inGraph[u] = 1;
    graph.addNode(String(u));
  }
  const { start, len, nbr, wt, scale } = ties;
  for (let i = 0; i < nodes.length; i++) {
    const u = nodes[i];
    if (u < 0 || u >= ties.nodeCapacity || !inGraph[u]) continue;
    const end = start[u] + len[u];
    for (let e = start[u]; e < end; e++) {
      const v = nbr[e];
      // each undirected tie once, from its smaller end
      if (v > u && inGraph[v]) graph.addUndirectedEdge(String(u), String(v), { weight: wt[e] * scale });
    }
  }
  return graph;
}

function allIds(n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}

/**
 * An edge list of any graphology graph: node keys become 0..order-1 in the graph's node
 * iteration order, edges keep their iteration order, and the `weight` edge attribute becomes
 * `weight` when any edge has one (edges without it weigh 1). Self loops are left out: members do
 * not tie to themselves. Directed edges are read as undirected; `Ties.addEdges` merges the pairs.
 */
export function fromGraphology(graph: AbstractGraph): EdgeList {
  const index = new Map<string, number>();
  graph.forEachNode((key) => {
    index.set(key, index.size);
  });
  const src = new Int32Array(graph.size);
  const dst = new Int32Array(graph.size);
  const weight = new Float32Array(graph.size);
  let weighted = false;
  let e = 0;
  graph.forEachEdge((key, attrs, source, target) => {
    if (source === target) return;
    src[e] = index.get(source)!;
    dst[e] = index.get(target)!;
    const w = attrs.weight as unknown;
    if (w === undefined) {
      weight[e] = 1;
    } else {
      const x = typeof w === 'string' && w.trim() !== '' ? Number(w) : w;
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
        throw new Error(`edge ${key} (${source} - ${target}).weight: expected a non-negative number, got ${JSON.stringify(w)}`);
      }
      weight[e] = x;
      weighted = true;
    }
    e++;
  });
  const list: EdgeList = { nodes: graph.order, src: src.slice(0, e), dst: dst.slice(0, e) };
  if (weighted) list.weight = weight.slice(0, e);
  return list;
}
