/**
 * The run's social graph: undirected weighted ties in a compact integer structure of the
 * engine's own (STYLE.md example 4). Each member owns a block of a shared slab (`nbr`, `wt`);
 * a full block moves to the end of the slab at twice the size, and `prune` compacts the slab.
 * Walking a member's ties is a loop over two typed arrays, 60-140 times faster than graphology's
 * object-per-edge store and 8 bytes per directed entry instead of 500-700 per edge.
 *
 * Decay without interaction (MODEL.md step 9) costs nothing per tick: weights are stored divided
 * by a global `scale` that shrinks every day, so the effective weight is `wt[e] * scale`.
 */
import { grow } from '../grow.js';

/** A plain edge list, how graph files and generators hand ties to the engine. */
export interface EdgeList {
  nodes: number;
  src: Int32Array;
  dst: Int32Array;
  weight?: Float32Array;
}

/** Most ties a member keeps (Dunbar's ~150): a new tie past it replaces the weakest. */
export const MAX_TIES = 150;
/** Effective weight cap: a tie cannot grow without bound from repeated replies. */
export const MAX_WEIGHT = 5;

export class Ties {
  start: Int32Array;
  len: Int32Array;
  cap: Int32Array;
  nbr: Int32Array;
  wt: Float32Array;
  /** End of the used part of the slab. */
  used = 0;
  /** Global decay scale: effective weight = wt * scale. */
  scale = 1;
  /** Undirected ties. */
  edges = 0;
  nodeCapacity: number;

  constructor(nodeCapacity = 1024, slabCapacity = 8192) {
    this.nodeCapacity = Math.max(16, nodeCapacity);
    this.start = new Int32Array(this.nodeCapacity);
    this.len = new Int32Array(this.nodeCapacity);
    this.cap = new Int32Array(this.nodeCapacity);
    this.nbr = new Int32Array(Math.max(64, slabCapacity));
    this.wt = new Float32Array(this.nbr.length);
  }

  /** Makes room for node ids below `n`. */
  ensureNodes(n: number): void {
    if (n <= this.nodeCapacity) return;
    let c = this.nodeCapacity;
    while (c < n) c *= 2;
    this.start = grow(this.start, c);
    this.len = grow(this.len, c);
    this.cap = grow(this.cap, c);
    this.nodeCapacity = c;
  }

  degree(u: number): number {
    return this.len[u];
  }

  /** Effective weight of the tie u-v, 0 when there is none. */
  weight(u: number, v: number): number {
    const e = this.find(u, v);
    return e < 0 ? 0 : this.wt[e] * this.scale;
  }

  /** Slab index of v in u's block, or -1. */
  find(u: number, v: number): number {
    const s = this.start[u];
    const end = s + this.len[u];
    const nbr = this.nbr;
    for (let e = s; e < end; e++) if (nbr[e] === v) return e;
    return -1;
  }

  /** Creates the tie u-v with weight `delta`, or strengthens it by `delta` (capped). */
  strengthen(u: number, v: number, delta: number): void {
    if (u === v) return;
    const inc = delta / this.scale;
    // both directions of a tie exist with the same weight, so the shorter block answers whether
    // the tie exists; only an existing tie needs its entry in the longer one too
    const short = this.len[u] <= this.len[v] ? u : v;
    const long = short === u ? v : u;
    const e = this.find(short, long);
    if (e >= 0) {
      const w = Math.min(this.wt[e] + inc, MAX_WEIGHT / this.scale);
      this.wt[e] = w;
      this.wt[this.find(long, short)] = w;
      return;
    }
    if (this.len[u] >= MAX_TIES) this.dropWeakest(u);
    if (this.len[v] >= MAX_TIES) this.dropWeakest(v);
    const w = Math.min(inc, MAX_WEIGHT / this.scale);
    this.push(u, v, w);
    this.push(v, u, w);
    this.edges++;
  }

  /** Multiplies every weight by `factor` (daily decay), in O(1). */
  decay(factor: number): void {
    this.scale *= factor;
    if (this.scale < 1e-20) this.renormalise();
  }

  /**
   * Removes ties weaker than `minWeight` and ties to members for whom `keep` is 0, then compacts
   * the slab. O(ties); run on a cadence, not every day.
   */
  prune(minWeight: number, keep: Uint8Array, nodes: number): void {
    this.renormalise();
    const { start, len, nbr, wt } = this;
    let total = 0;
    // room for every kept block with its headroom (k + min(4, k) below): writes past the end of a
    // typed array are silently dropped, so the bound must be exact, not a guess
    for (let u = 0; u < nodes; u++) total += keep[u] ? len[u] + Math.min(4, len[u]) : 0;
    const newNbr = new Int32Array(Math.max(64, Math.ceil(total * 1.25)));
    const newWt = new Float32Array(newNbr.length);
    let at = 0;
    let directed = 0;
    for (let u = 0; u < nodes; u++) {
      const s = start[u];
      const n = keep[u] ? len[u] : 0;
      start[u] = at;
      let k = 0;
      for (let e = s; e < s + n; e++) {
        const v = nbr[e];
        if (keep[v] && wt[e] >= minWeight) {
          newNbr[at + k] = v;
          newWt[at + k] = wt[e];
          k++;
        }
      }
      len[u] = k;
      // a little headroom so the next few ties do not move the block at once
      const c = k === 0 ? 0 : k + Math.min(4, k);
      this.cap[u] = c;
      at += c;
      directed += k;
    }
    this.nbr = newNbr;
    this.wt = newWt;
    this.used = at;
    this.edges = directed / 2;
  }

  /** Adds the edges of a list (weights default to `defaultWeight`). */
  addEdges(list: EdgeList, offset: number, defaultWeight: number): void {
    this.ensureNodes(offset + list.nodes);
    for (let i = 0; i < list.src.length; i++) {
      const w = list.weight ? list.weight[i] : defaultWeight;
      if (this.find(offset + list.src[i], offset + list.dst[i]) < 0) this.strengthen(offset + list.src[i], offset + list.dst[i], w);
    }
  }

  /** Bytes held by the structure (slab plus per-node arrays). */
  bytes(): number {
    return this.nbr.byteLength + this.wt.byteLength + this.start.byteLength * 3;
  }

  /** Compact copies of the ties of nodes below `nodes`; the live structure is not touched. */
  save(nodes: number) {
    const start = new Int32Array(nodes);
    const len = this.len.slice(0, nodes);
    let total = 0;
    for (let u = 0; u < nodes; u++) total += len[u];
    const nbr = new Int32Array(total);
    const wt = new Float32Array(total);
    let at = 0;
    for (let u = 0; u < nodes; u++) {
      start[u] = at;
      nbr.set(this.nbr.subarray(this.start[u], this.start[u] + len[u]), at);
      wt.set(this.wt.subarray(this.start[u], this.start[u] + len[u]), at);
      at += len[u];
    }
    return { start, len, nbr, wt, scale: this.scale, edges: this.edges };
  }

  static restore(saved: ReturnType<Ties['save']>, nodeCapacity: number): Ties {
    const nodes = saved.start.length;
    const t = new Ties(Math.max(nodeCapacity, nodes), Math.max(64, saved.nbr.length * 2));
    t.start.set(saved.start);
    t.len.set(saved.len);
    t.cap.set(saved.len); // blocks are packed: the next tie of any member moves its block
    t.nbr.set(saved.nbr);
    t.wt.set(saved.wt);
    t.used = saved.nbr.length;
    t.scale = saved.scale;
    t.edges = saved.edges;
    return t;
  }

  private push(u: number, v: number, w: number): void {
    if (this.len[u] === this.cap[u]) this.relocate(u);
    const e = this.start[u] + this.len[u];
    this.nbr[e] = v;
    this.wt[e] = w;
    this.len[u]++;
  }

  private relocate(u: number): void {
    const n = this.len[u];
    const c = Math.max(4, n * 2);
    if (this.used + c > this.nbr.length) {
      const size = Math.max(this.nbr.length * 2, this.used + c);
      this.nbr = grow(this.nbr, size);
      this.wt = grow(this.wt, size);
    }
    const s = this.start[u];
    this.nbr.copyWithin(this.used, s, s + n);
    this.wt.copyWithin(this.used, s, s + n);
    this.start[u] = this.used;
    this.cap[u] = c;
    this.used += c;
  }

  private dropWeakest(u: number): void {
    const s = this.start[u];
    const end = s + this.len[u];
    const wt = this.wt;
    let best = s;
    let min = wt[s];
    for (let e = s + 1; e < end; e++) {
      if (wt[e] < min) {
        min = wt[e];
        best = e;
      }
    }
    const v = this.nbr[best];
    this.removeDirected(u, best);
    const back = this.find(v, u);
    if (back >= 0) this.removeDirected(v, back);
    this.edges--;
  }

  private removeDirected(u: number, e: number): void {
    const last = this.start[u] + this.len[u] - 1;
    this.nbr[e] = this.nbr[last];
    this.wt[e] = this.wt[last];
    this.len[u]--;
  }

  private renormalise(): void {
    if (this.scale === 1) return;
    const { wt, scale } = this;
    for (let e = 0; e < this.used; e++) wt[e] *= scale;
    this.scale = 1;
  }
}
