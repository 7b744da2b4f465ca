/**
 * Initial social graphs (MODEL.md "Social graph"): Watts-Strogatz small world, Barabasi-Albert
 * preferential attachment and Erdos-Renyi G(n, p), written on typed arrays.
 *
 * These are our own rather than graphology-generators because a graphology graph holds 500-700
 * bytes per edge: a million members with ten million ties would need 5-7 GB before the run starts.
 * Here an edge is two Int32 entries, duplicate checks are per node (a stamp array) rather than a
 * set of string keys, and a million nodes with mean degree 10 take 0.2-0.9 s a kind on one core.
 * Every draw comes from the given stream, so a graph is a pure function of the stream's state.
 */
import type { Stream } from '../rng.js';
import type { EdgeList } from './ties.js';
import { log } from '../numeric.js';
import { grow } from '../grow.js';

export type GraphKind = 'small-world' | 'preferential-attachment' | 'random' | 'none';

/**
 * A graph of `n` nodes with mean degree about `meanDegree`. `rewire` is the Watts-Strogatz
 * rewiring probability (ignored by the other kinds). A mean degree of n - 1 or more gives the
 * complete graph whatever the kind.
 */
export function generateGraph(kind: GraphKind, n: number, meanDegree: number, rewire: number, rng: Stream): EdgeList {
  if (!Number.isInteger(n) || n < 0) throw new Error(`engine/graph/generators: n: expected a non-negative integer, got ${n}`);
  if (!(meanDegree >= 0) || !Number.isFinite(meanDegree)) {
    throw new Error(`engine/graph/generators: meanDegree: expected a finite number >= 0, got ${meanDegree}`);
  }
  if (!(rewire >= 0 && rewire <= 1)) throw new Error(`engine/graph/generators: rewire: expected a number in [0, 1], got ${rewire}`);
  if (kind === 'none' || n < 2 || meanDegree === 0) return empty(n);
  if (meanDegree >= n - 1) return complete(n);
  switch (kind) {
    case 'small-world':
      return smallWorld(n, Math.round(meanDegree / 2), rewire, rng);
    case 'preferential-attachment':
      return preferentialAttachment(n, Math.max(1, Math.round(meanDegree / 2)), rng);
    case 'random':
      return erdosRenyi(n, meanDegree / (n - 1), rng);
    default:
      throw new Error(`engine/graph/generators: kind: expected small-world, preferential-attachment, random or none, got ${String(kind)}`);
  }
}

function empty(n: number): EdgeList {
  return { nodes: n, src: new Int32Array(0), dst: new Int32Array(0) };
}

function complete(n: number): EdgeList {
  const m = (n * (n - 1)) / 2;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  let e = 0;
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      src[e] = u;
      dst[e] = v;
      e++;
    }
  }
  return { nodes: n, src, dst };
}

/**
 * Watts & Strogatz (1998): a ring where each node links to its `k` nearest neighbours on each
 * side, then each edge keeps its first end and moves its second end to a uniform node with
 * probability `p`. Rewired edges that land on an existing edge are redrawn (whole-graph duplicate
 * passes, each O(n + m)); an edge still duplicate after many passes (only possible on tiny, nearly
 * complete graphs) is dropped.
 */
function smallWorld(n: number, k: number, p: number, rng: Stream): EdgeList {
  k = Math.min(k, Math.floor((n - 1) / 2));
  if (k < 1) return empty(n);
  const m = n * k;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const rewired = new Uint8Array(m);
  let e = 0;
  for (let u = 0; u < n; u++) {
    for (let j = 1; j <= k; j++) {
      src[e] = u;
      dst[e] = (u + j) % n;
      e++;
    }
  }
  // a lattice where every node already touches every other has nothing to rewire to
  if (p > 0 && 2 * k < n - 1) {
    for (e = 0; e < m; e++) {
      if (rng.next() < p) {
        dst[e] = otherNode(src[e], n, rng);
        rewired[e] = 1;
      }
    }
    const dups = new Int32Array(m);
    const scratch = new DuplicateScratch(n, m);
    for (let pass = 0; pass < 100; pass++) {
      const count = scratch.find(src, dst, m, rewired, dups);
      if (count === 0) return { nodes: n, src, dst };
      for (let i = 0; i < count; i++) dst[dups[i]] = otherNode(src[dups[i]], n, rng);
    }
    return dropDuplicates(n, src, dst, rewired, scratch);
  }
  return { nodes: n, src, dst };
}

/** A uniform node other than `u`. */
function otherNode(u: number, n: number, rng: Stream): number {
  const w = rng.int(n - 1);
  return w >= u ? w + 1 : w;
}

/**
 * Finds duplicate undirected edges in O(n + m): edges are bucketed by their smaller end (a
 * counting sort), then each bucket is scanned with a stamp per far end. Of two equal edges the
 * rewired one is reported, so lattice edges stay put.
 */
class DuplicateScratch {
  private readonly bucketStart: Int32Array;
  private readonly order: Int32Array;
  private readonly stamp: Int32Array;
  private readonly seenEdge: Int32Array;

  constructor(n: number, m: number) {
    this.bucketStart = new Int32Array(n + 1);
    this.order = new Int32Array(m);
    this.stamp = new Int32Array(n);
    this.seenEdge = new Int32Array(n);
  }

  /** Writes the indices of duplicate edges to `out` and returns how many there are. */
  find(src: Int32Array, dst: Int32Array, m: number, rewired: Uint8Array, out: Int32Array): number {
    const { bucketStart, order, stamp, seenEdge } = this;
    const n = stamp.length;
    bucketStart.fill(0);
    for (let e = 0; e < m; e++) bucketStart[Math.min(src[e], dst[e]) + 1]++;
    for (let u = 0; u < n; u++) bucketStart[u + 1] += bucketStart[u];
    const fill = bucketStart.slice(0, n);
    for (let e = 0; e < m; e++) order[fill[Math.min(src[e], dst[e])]++] = e;
    stamp.fill(-1);
    let count = 0;
    for (let u = 0; u < n; u++) {
      for (let i = bucketStart[u]; i < bucketStart[u + 1]; i++) {
        const e = order[i];
        const v = src[e] === u ? dst[e] : src[e];
        if (stamp[v] !== u) {
          stamp[v] = u;
          seenEdge[v] = e;
        } else if (rewired[e]) {
          out[count++] = e;
        } else {
          out[count++] = seenEdge[v];
          seenEdge[v] = e;
        }
      }
    }
    return count;
  }
}

function dropDuplicates(n: number, src: Int32Array, dst: Int32Array, rewired: Uint8Array, scratch: DuplicateScratch): EdgeList {
  const m = src.length;
  const dups = new Int32Array(m);
  const count = scratch.find(src, dst, m, rewired, dups);
  const drop = new Uint8Array(m);
  for (let i = 0; i < count; i++) drop[dups[i]] = 1;
  const keep = m - count;
  const s = new Int32Array(keep);
  const d = new Int32Array(keep);
  let at = 0;
  for (let e = 0; e < m; e++) {
    if (drop[e]) continue;
    s[at] = src[e];
    d[at] = dst[e];
    at++;
  }
  return { nodes: n, src: s, dst: d };
}

/**
 * Barabasi & Albert (1999): start from a clique of m + 1 nodes, then each new node links to `m`
 * distinct earlier nodes chosen with probability proportional to degree. `ends` lists every edge
 * end once, so a uniform index into it is a degree-proportional node.
 */
function preferentialAttachment(n: number, m: number, rng: Stream): EdgeList {
  m = Math.min(m, n - 1);
  const seed = m + 1;
  const total = (seed * (seed - 1)) / 2 + (n - seed) * m;
  const src = new Int32Array(total);
  const dst = new Int32Array(total);
  const ends = new Int32Array(2 * total);
  let e = 0;
  for (let u = 0; u < seed; u++) {
    for (let v = u + 1; v < seed; v++) {
      src[e] = u;
      dst[e] = v;
      ends[2 * e] = u;
      ends[2 * e + 1] = v;
      e++;
    }
  }
  const picked = new Int32Array(n).fill(-1);
  for (let t = seed; t < n; t++) {
    const pool = 2 * e; // ends of edges that existed before t arrived
    for (let j = 0; j < m; j++) {
      let v: number;
      do v = ends[rng.int(pool)];
      while (picked[v] === t);
      picked[v] = t;
      src[e + j] = t;
      dst[e + j] = v;
    }
    for (let j = 0; j < m; j++) {
      ends[2 * (e + j)] = t;
      ends[2 * (e + j) + 1] = dst[e + j];
    }
    e += m;
  }
  return { nodes: n, src, dst };
}

/**
 * Erdos-Renyi G(n, p) in O(n + m) by geometric skipping over the lower triangle of the adjacency
 * matrix (Batagelj & Brandes 2005, "Efficient generation of large random networks").
 */
function erdosRenyi(n: number, p: number, rng: Stream): EdgeList {
  let src: Int32Array = new Int32Array(Math.ceil((p * n * (n - 1)) / 2 * 1.05) + 16);
  let dst: Int32Array = new Int32Array(src.length);
  const logq = log(1 - p);
  let e = 0;
  let v = 1;
  let w = -1;
  while (v < n) {
    w += 1 + Math.floor(log(1 - rng.next()) / logq);
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) {
      if (e === src.length) {
        src = grow(src);
        dst = grow(dst);
      }
      src[e] = v;
      dst[e] = w;
      e++;
    }
  }
  return { nodes: n, src: src.slice(0, e), dst: dst.slice(0, e) };
}

