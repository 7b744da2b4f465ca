/**
 * Structure metrics of the social graph (MODEL.md "What is measured": core size, clustering,
 * modularity, components), computed on a cadence.
 *
 * What is O(E) runs on the whole compact graph, exactly: density (from the tie count), the k-core
 * decomposition (Batagelj & Zaversnik 2003, "An O(m) algorithm for cores decomposition of
 * networks") and connected components. What is not runs on a sample of at most `maxNodes`
 * members when the graph is larger:
 * - clustering is the mean local clustering of a uniform sample of members, each over its whole
 *   neighbourhood (an unbiased estimate; on the subgraph induced by a 0.5% sample almost nobody
 *   would keep two neighbours and the estimate would collapse to 0);
 * - modularity is that of Louvain's communities (louvain.ts, seeded) on a snowball sample:
 *   breadth-first from uniformly drawn members until `maxNodes` are reached. Communities only
 *   show in a sample that keeps neighbourhoods together; the subgraph induced by a thin uniform
 *   sample is a scatter of single edges whose modularity is close to 1.
 */
import { undirectedDensity } from 'graphology-metrics/graph/density.js';
import type { GraphSample } from '../metrics.js';
import type { Stream } from '../rng.js';
import { inducedCsr, louvain, modularity } from './louvain.js';
import type { Ties } from './ties.js';

/**
 * Graph metrics of day `day` over the members whose `members` flag is non-zero (ids past the
 * end of `members` are absent). `nodes` and `edges` count the whole graph; `sampled` says
 * whether clustering and modularity were estimated on samples of `maxNodes` members.
 */
export function graphSample(day: number, ties: Ties, members: Uint8Array, maxNodes: number, rng: Stream): GraphSample {
  const n = Math.min(members.length, ties.nodeCapacity);
  const present = presentIds(members, n);
  const edges = countEdges(ties, members, present);
  const core = coreNumbers(ties, members, present);
  let kCoreMax = 0;
  for (let i = 0; i < present.length; i++) kCoreMax = Math.max(kCoreMax, core[present[i]]);
  let kCoreSize = 0;
  for (let i = 0; i < present.length; i++) if (core[present[i]] === kCoreMax) kCoreSize++;

  const sampled = present.length > maxNodes;
  const size = Math.min(present.length, Math.max(0, Math.floor(maxNodes)));
  // a partial Fisher-Yates shuffle: the first `size` ids are a uniform sample in random order
  const order = present.slice();
  if (sampled) {
    for (let i = 0; i < size; i++) {
      const j = i + rng.int(order.length - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  const sample = order.subarray(0, size);
  return {
    day,
    nodes: present.length,
    edges,
    sampled,
    density: undirectedDensity(present.length, edges),
    clustering: meanClustering(ties, members, sample),
    modularity: louvainModularity(ties, members, sampled ? snowball(ties, members, sample, size) : present, rng),
    kCoreMax,
    kCoreSize,
    components: countComponents(ties, members, present),
  };
}

function presentIds(members: Uint8Array, n: number): Int32Array {
  let count = 0;
  for (let u = 0; u < n; u++) if (members[u]) count++;
  const ids = new Int32Array(count);
  let at = 0;
  for (let u = 0; u < n; u++) if (members[u]) ids[at++] = u;
  return ids;
}

/** Undirected ties between present members. */
function countEdges(ties: Ties, members: Uint8Array, present: Int32Array): number {
  const { start, len, nbr } = ties;
  let directed = 0;
  for (let i = 0; i < present.length; i++) {
    const u = present[i];
    const end = start[u] + len[u];
    for (let e = start[u]; e < end; e++) if (members[nbr[e]]) directed++;
  }
  return directed / 2;
}

/**
 * Core number of every present member (0 for absent ids): the largest k such that the member
 * belongs to a subgraph where everyone has at least k ties inside it. Batagelj-Zaversnik: order
 * members by degree with a bucket sort, then peel the lowest, lowering the degree of each
 * neighbour still above it by moving it one bucket down, in O(n + E).
 */
export function coreNumbers(ties: Ties, members: Uint8Array, present: Int32Array): Int32Array {
  const n = Math.min(members.length, ties.nodeCapacity);
  const { start, len, nbr } = ties;
  const deg = new Int32Array(n);
  let maxDeg = 0;
  for (let i = 0; i < present.length; i++) {
    const u = present[i];
    let d = 0;
    const end = start[u] + len[u];
    for (let e = start[u]; e < end; e++) if (members[nbr[e]]) d++;
    deg[u] = d;
    if (d > maxDeg) maxDeg = d;
  }
  // bin[d]: first position of degree d in `vert`; pos[u]: u's position in `vert`
  const bin = new Int32Array(maxDeg + 1);
  for (let i = 0; i < present.length; i++) bin[deg[present[i]]]++;
  let at = 0;
  for (let d = 0; d <= maxDeg; d++) {
    const c = bin[d];
    bin[d] = at;
    at += c;
  }
  const vert = new Int32Array(present.length);
  const pos = new Int32Array(n);
  for (let i = 0; i < present.length; i++) {
    const u = present[i];
    pos[u] = bin[deg[u]]++;
    vert[pos[u]] = u;
  }
  for (let d = maxDeg; d > 0; d--) bin[d] = bin[d - 1];
  bin[0] = 0;
  for (let i = 0; i < vert.length; i++) {
    const v = vert[i];
    const end = start[v] + len[v];
    for (let e = start[v]; e < end; e++) {
      const u = nbr[e];
      if (!members[u] || deg[u] <= deg[v]) continue;
      // swap u with the first member of its bucket, then shrink the bucket past it
      const du = deg[u];
      const pu = pos[u];
      const pw = bin[du];
      const w = vert[pw];
      if (u !== w) {
        pos[u] = pw;
        vert[pu] = w;
        pos[w] = pu;
        vert[pw] = u;
      }
      bin[du]++;
      deg[u]--;
    }
  }
  return deg;
}

/**
 * Connected components among present members (an isolated member is one). Union-find over the
 * slab in storage order rather than a breadth-first search: the search jumps to a random block
 * at every member and ran 2.7 times slower on a million members.
 */
export function countComponents(ties: Ties, members: Uint8Array, present: Int32Array): number {
  const n = Math.min(members.length, ties.nodeCapacity);
  const { start, len, nbr } = ties;
  const parent = new Int32Array(n);
  for (let u = 0; u < n; u++) parent[u] = u;
  let components = present.length;
  for (let i = 0; i < present.length; i++) {
    const u = present[i];
    const end = start[u] + len[u];
    for (let e = start[u]; e < end; e++) {
      const v = nbr[e];
      if (v < u || !members[v]) continue;
      // find both roots, halving the paths on the way
      let a = u;
      while (parent[a] !== a) a = parent[a] = parent[parent[a]];
      let b = v;
      while (parent[b] !== b) b = parent[b] = parent[parent[b]];
      if (a !== b) {
        if (a < b) parent[b] = a;
        else parent[a] = b;
        components--;
      }
    }
  }
  return components;
}

/**
 * Mean local clustering of the members in `sample`, each over its whole neighbourhood among
 * present members; a member with fewer than two ties counts as 0 (as networkx's average_clustering).
 */
function meanClustering(ties: Ties, members: Uint8Array, sample: Int32Array): number {
  if (sample.length === 0) return 0;
  const { start, len, nbr } = ties;
  const mark = new Int32Array(members.length).fill(-1);
  let sum = 0;
  for (let i = 0; i < sample.length; i++) {
    const u = sample[i];
    const end = start[u] + len[u];
    let d = 0;
    for (let e = start[u]; e < end; e++) {
      const v = nbr[e];
      if (members[v]) {
        mark[v] = u;
        d++;
      }
    }
    if (d < 2) continue;
    // every triangle through u is seen twice, once from each of its other two corners
    let closed = 0;
    for (let e = start[u]; e < end; e++) {
      const v = nbr[e];
      if (!members[v]) continue;
      const vend = start[v] + len[v];
      for (let f = start[v]; f < vend; f++) if (mark[nbr[f]] === u) closed++;
    }
    sum += closed / (d * (d - 1));
  }
  return sum / sample.length;
}

/** Up to `size` members reached breadth-first from the seeds in order (a seed already reached is skipped). */
function snowball(ties: Ties, members: Uint8Array, seeds: Int32Array, size: number): Int32Array {
  const { start, len, nbr } = ties;
  const seen = new Uint8Array(members.length);
  const out = new Int32Array(size);
  let tail = 0;
  for (let s = 0; s < seeds.length && tail < size; s++) {
    if (seen[seeds[s]]) continue;
    seen[seeds[s]] = 1;
    let head = tail;
    out[tail++] = seeds[s];
    while (head < tail && tail < size) {
      const u = out[head++];
      const end = start[u] + len[u];
      for (let e = start[u]; e < end && tail < size; e++) {
        const v = nbr[e];
        if (members[v] && !seen[v]) {
          seen[v] = 1;
          out[tail++] = v;
        }
      }
    }
  }
  return out.subarray(0, tail);
}

/** Weighted modularity of Louvain's partition of the subgraph on `ids`; 0 for a graph without ties. */
function louvainModularity(ties: Ties, members: Uint8Array, ids: Int32Array, rng: Stream): number {
  const g = inducedCsr(ties, members, ids);
  if (g.targets.length === 0) return 0;
  const q = modularity(g, louvain(g, rng));
  return Number.isFinite(q) ? q : 0;
}
