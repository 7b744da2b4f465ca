/**
 * Louvain community detection and weighted modularity on a compact weighted graph (CSR), for the
 * graph metrics sampled on a cadence (analysis.ts).
 *
 * Why not graphology-communities-louvain on a graphology graph, as before: building the graph
 * allocated about 1.5 MB per 500-member sample (three quarters of everything a 1,000-member run
 * allocated), and its code runs a few times a run, so it never gets past V8's interpreter: 50 to
 * 130 ms a sample against a few ms here. The algorithm is the same (Blondel, Guillaume, Lambiotte
 * & Lefebvre 2008, "Fast unfolding of communities in large networks"): move single nodes to the
 * neighbouring community that raises modularity most until no move does, merge each community into
 * one node, repeat until a level moves nothing. Tests check `modularity` against
 * graphology-metrics and `louvain`'s partitions against graphology-communities-louvain's.
 */
import type { Stream } from '../rng.js';
import type { Ties } from './ties.js';
import { grow } from '../grow.js';

/** An undirected weighted graph: each tie is stored in both rows, a self-loop once with twice its weight. */
export interface WeightedCsr {
  n: number;
  /** Row u is `targets[offsets[u] .. offsets[u + 1])`. */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
}

/**
 * The subgraph induced by `ids` (members for which `present` is non-zero; duplicates and absent
 * ids are skipped), weighted by the ties' effective weights. Node i is the i-th kept id.
 */
export function inducedCsr(ties: Ties, present: Uint8Array, ids: Int32Array): WeightedCsr {
  const limit = Math.min(present.length, ties.nodeCapacity);
  const local = new Int32Array(limit).fill(-1);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const u = ids[i];
    if (u >= 0 && u < limit && present[u] && local[u] < 0) local[u] = n++;
  }
  const kept = new Int32Array(n);
  for (let i = 0; i < ids.length; i++) {
    const u = ids[i];
    if (u >= 0 && u < limit && local[u] >= 0) kept[local[u]] = u;
  }
  const { start, len, nbr, wt, scale } = ties;
  const offsets = new Int32Array(n + 1);
  for (let a = 0; a < n; a++) {
    const u = kept[a];
    let d = 0;
    for (let e = start[u], end = start[u] + len[u]; e < end; e++) {
      const v = nbr[e];
      if (v < limit && local[v] >= 0 && v !== u) d++;
    }
    offsets[a + 1] = offsets[a] + d;
  }
  const targets = new Int32Array(offsets[n]);
  const weights = new Float64Array(offsets[n]);
  for (let a = 0; a < n; a++) {
    const u = kept[a];
    let at = offsets[a];
    for (let e = start[u], end = start[u] + len[u]; e < end; e++) {
      const v = nbr[e];
      if (v < limit && local[v] >= 0 && v !== u) {
        targets[at] = local[v];
        weights[at++] = wt[e] * scale;
      }
    }
  }
  return { n, offsets, targets, weights };
}

/** Weighted modularity of a partition: the sum over communities of internal share minus expected share. */
export function modularity(g: WeightedCsr, community: Int32Array): number {
  const { n, offsets, targets, weights } = g;
  let k = 0;
  for (let u = 0; u < n; u++) if (community[u] + 1 > k) k = community[u] + 1;
  const inside = new Float64Array(k);
  const total = new Float64Array(k);
  let m2 = 0;
  for (let u = 0; u < n; u++) {
    const c = community[u];
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const w = weights[e];
      total[c] += w;
      m2 += w;
      if (community[targets[e]] === c) inside[c] += w;
    }
  }
  if (m2 === 0) return 0;
  let q = 0;
  for (let c = 0; c < k; c++) q += inside[c] / m2 - (total[c] / m2) * (total[c] / m2);
  return q;
}

/** Most sweeps over the nodes of one level: each sweep raises modularity, so this only guards against rounding cycles. */
const MAX_SWEEPS = 64;

/**
 * Louvain's partition of `g`: a community label (0..k-1, numbered in order of first node) per node.
 * Nodes are visited in an order shuffled by `rng` once per level, as graphology's random walk does.
 */
export function louvain(g: WeightedCsr, rng: Stream): Int32Array {
  const membership = new Int32Array(g.n);
  for (let u = 0; u < g.n; u++) membership[u] = u;
  let level = g;
  for (;;) {
    const { community, count } = moveNodes(level, rng);
    if (count === level.n) return membership;
    for (let u = 0; u < g.n; u++) membership[u] = community[membership[u]];
    level = aggregate(level, community, count);
  }
}

/** One level's local moving: the partition reached, renumbered 0..count-1. */
function moveNodes(g: WeightedCsr, rng: Stream): { community: Int32Array; count: number } {
  const { n, offsets, targets, weights } = g;
  const strength = new Float64Array(n);
  let m2 = 0;
  for (let u = 0; u < n; u++) {
    let s = 0;
    for (let e = offsets[u]; e < offsets[u + 1]; e++) s += weights[e];
    strength[u] = s;
    m2 += s;
  }
  const community = new Int32Array(n);
  const total = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    community[u] = u;
    total[u] = strength[u];
  }
  if (m2 === 0) return { community, count: n };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  // weight from the node being moved to each neighbouring community, and which ones it touched
  const toCommunity = new Float64Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const touched = new Int32Array(n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const u = order[i];
      const own = community[u];
      const ku = strength[u];
      let nt = 0;
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const v = targets[e];
        if (v === u) continue; // a self-loop stays inside whichever community u joins
        const c = community[v];
        if (stamp[c] !== u) {
          stamp[c] = u;
          toCommunity[c] = 0;
          touched[nt++] = c;
        }
        toCommunity[c] += weights[e];
      }
      total[own] -= ku;
      // gain of joining c, up to a constant factor: k(u, c) - total(c) * k(u) / 2m
      let best = own;
      let bestGain = (stamp[own] === u ? toCommunity[own] : 0) - (total[own] * ku) / m2;
      for (let t = 0; t < nt; t++) {
        const c = touched[t];
        const gain = toCommunity[c] - (total[c] * ku) / m2;
        if (gain > bestGain) {
          bestGain = gain;
          best = c;
        }
      }
      total[best] += ku;
      if (best !== own) {
        community[u] = best;
        moved = true;
      }
    }
    if (!moved) break;
  }
  // renumber the labels in order of first node
  const label = stamp.fill(-1);
  let count = 0;
  for (let u = 0; u < n; u++) {
    const c = community[u];
    if (label[c] < 0) label[c] = count++;
    community[u] = label[c];
  }
  return { community, count };
}

/** The graph of communities: node c's row holds its ties to other communities and a self-loop with its inner weight. */
function aggregate(g: WeightedCsr, community: Int32Array, count: number): WeightedCsr {
  const { n, offsets, targets, weights } = g;
  // nodes grouped by community (a counting sort), so each new row is filled in one go
  const first = new Int32Array(count + 1);
  for (let u = 0; u < n; u++) first[community[u] + 1]++;
  for (let c = 0; c < count; c++) first[c + 1] += first[c];
  const byCommunity = new Int32Array(n);
  const fill = first.slice(0, count);
  for (let u = 0; u < n; u++) byCommunity[fill[community[u]]++] = u;

  const acc = new Float64Array(count);
  const stamp = new Int32Array(count).fill(-1);
  const touched = new Int32Array(count);
  const rowOffsets = new Int32Array(count + 1);
  let outTargets = new Int32Array(Math.max(16, count * 4));
  let outWeights = new Float64Array(outTargets.length);
  let at = 0;
  for (let c = 0; c < count; c++) {
    let nt = 0;
    for (let i = first[c]; i < first[c + 1]; i++) {
      const u = byCommunity[i];
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const d = community[targets[e]];
        if (stamp[d] !== c) {
          stamp[d] = c;
          acc[d] = 0;
          touched[nt++] = d;
        }
        acc[d] += weights[e];
      }
    }
    if (at + nt > outTargets.length) {
      const size = Math.max(at + nt, outTargets.length * 2);
      outTargets = grow(outTargets, size);
      outWeights = grow(outWeights, size);
    }
    for (let t = 0; t < nt; t++) {
      outTargets[at] = touched[t];
      outWeights[at++] = acc[touched[t]];
    }
    rowOffsets[c + 1] = at;
  }
  return { n: count, offsets: rowOffsets, targets: outTargets.subarray(0, at), weights: outWeights.subarray(0, at) };
}
