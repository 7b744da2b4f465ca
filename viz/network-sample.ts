/**
 * What the network view draws of a large community, chosen in the engine's worker on the page's
 * request and never in the tick: a neighbourhood ("snowball") sample grown from the
 * best-connected members, so the ties that give a community its shape are kept (a uniform sample
 * of 300 out of 10,000 keeps about 3% of each member's ties and draws a shapeless cloud); or the
 * community's Louvain communities drawn as aggregated nodes (Blondel et al. 2008, the engine's
 * own implementation in engine/graph/louvain.ts).
 *
 * Pure functions over the engine's `tieGraph()` (typed arrays), so they run in the worker and in
 * unit tests alike.
 */
import { Archetype, Stage } from '../engine/agents/members.js';
import { louvain } from '../engine/graph/louvain.js';
import { Stream } from '../engine/rng.js';
import type { GraphView, MemberView, TieGraph } from '../engine/simulation.js';

/** How the members to draw are chosen once there are more than the view draws. */
export type SampleHow = 'neighbourhood' | 'random';
export type NetworkMode = 'members' | 'communities';

/** The page's choice, sent to the worker. */
export interface NetworkRequest {
  mode: NetworkMode;
  how: SampleHow;
  /** Most members drawn. */
  maxMembers: number;
  /** In members mode: draw only this community's members (a community opened from the communities view). */
  focus?: number | null;
}

/** One community as an aggregated node. */
export interface CommunityNode {
  /** Stable label across re-partitions (-1: members in small groups or without ties). */
  id: number;
  size: number;
  /** Members by stage (newcomer, regular, core, advocate). */
  stages: number[];
  /** Troll-prone members. */
  trolls: number;
}

/**
 * The drawn members as columns: ten thousand member objects took the page ~100 ms to receive
 * (structured clone walks every property), typed arrays are copied in one go.
 */
export interface PackedMembers {
  id: Int32Array;
  stage: Uint8Array;
  archetype: Uint8Array;
  /** Bit 0 toxic today, bit 1 a post removed today, bit 2 invited expert. */
  flags: Uint8Array;
  tenure: Int32Array;
  contribs: Int32Array;
  activity: Float32Array;
  satisfaction: Float32Array;
  alignment: Float32Array;
  sensitivity: Float32Array;
  expertise: Float32Array;
  identity: Float32Array;
}

/** What the network view gets: the drawn members and their ties, or the communities. */
export interface NetworkPicture {
  day: number;
  /** Members present in the community. */
  total: number;
  mode: NetworkMode;
  /** How the drawn members were chosen ('all' when every member fits). */
  how: SampleHow | 'all';
  members: PackedMembers;
  /** Ties among drawn members: indices into `members`, with weights. */
  links: { source: Int32Array; target: Int32Array; weight: Float32Array };
  /** The community of each drawn member (labels as in `communities`; -1 small groups), when known. */
  communityOf?: Int32Array;
  /** Communities mode: the aggregated nodes, largest first, and the tie weight between them. */
  communities?: CommunityNode[];
  communityLinks?: { source: number; target: number; weight: number }[];
  /** The community drawn alone (members mode with a focus). */
  focus?: number | null;
  /**
   * Contributions of a stable uniform sample of members (the participation-inequality chart):
   * whatever the network draws, so a neighbourhood sample's hubs do not bias the chart.
   */
  contribs: number[];
}

/** The engine's graph view as columns (`contribs` and the mode filled in by the caller). */
export function pack(view: GraphView): Pick<NetworkPicture, 'day' | 'total' | 'members' | 'links'> {
  const n = view.members.length;
  const p: PackedMembers = {
    id: new Int32Array(n), stage: new Uint8Array(n), archetype: new Uint8Array(n), flags: new Uint8Array(n), tenure: new Int32Array(n), contribs: new Int32Array(n),
    activity: new Float32Array(n), satisfaction: new Float32Array(n), alignment: new Float32Array(n), sensitivity: new Float32Array(n), expertise: new Float32Array(n), identity: new Float32Array(n),
  };
  view.members.forEach((m, i) => {
    p.id[i] = m.id;
    p.stage[i] = m.stage;
    p.archetype[i] = m.archetype;
    p.flags[i] = (m.toxicToday ? 1 : 0) | (m.removedToday ? 2 : 0) | (m.expert ? 4 : 0);
    p.tenure[i] = m.tenure;
    p.contribs[i] = m.contribs;
    p.activity[i] = m.activity;
    p.satisfaction[i] = m.satisfaction;
    p.alignment[i] = m.alignment;
    p.sensitivity[i] = m.sensitivity;
    p.expertise[i] = m.expertise;
    p.identity[i] = m.identity;
  });
  const l = view.links.length;
  const links = { source: new Int32Array(l), target: new Int32Array(l), weight: new Float32Array(l) };
  view.links.forEach((e, i) => {
    links.source[i] = e.source;
    links.target[i] = e.target;
    links.weight[i] = e.weight;
  });
  return { day: view.day, total: view.total, members: p, links };
}

/** Member `i` of `p`, written into `into` (no allocation for members already drawn). */
export function memberAt(p: PackedMembers, i: number, into: MemberView): MemberView {
  into.id = p.id[i];
  into.stage = p.stage[i];
  into.archetype = p.archetype[i];
  into.toxicToday = (p.flags[i] & 1) !== 0;
  into.removedToday = (p.flags[i] & 2) !== 0;
  into.expert = (p.flags[i] & 4) !== 0;
  into.tenure = p.tenure[i];
  into.contribs = p.contribs[i];
  into.activity = p.activity[i];
  into.satisfaction = p.satisfaction[i];
  into.alignment = p.alignment[i];
  into.sensitivity = p.sensitivity[i];
  into.expertise = p.expertise[i];
  into.identity = p.identity[i];
  return into;
}

/** Communities smaller than this share of the members (and at least this many) are pooled as "small groups". */
const SMALL_SHARE = 0.005;
const SMALL_MIN = 5;

/**
 * The members of a snowball sample of at most `max` nodes (indices into `g.ids`): breadth-first
 * from the best-connected node, each ring taken in order of degree (so a ring cut short keeps its
 * hubs); when a component is used up, the next-best-connected node not yet drawn seeds the next.
 * `allowed` restricts the sample to some nodes (one community). Deterministic: degree, then id.
 */
export function snowball(g: TieGraph, max: number, allowed?: (node: number) => boolean): Int32Array {
  const { n, offsets, targets } = g.csr;
  const degree = (u: number) => offsets[u + 1] - offsets[u];
  const byDegree = (a: number, b: number) => degree(b) - degree(a) || g.ids[a] - g.ids[b];
  const candidates: number[] = [];
  for (let u = 0; u < n; u++) if (!allowed || allowed(u)) candidates.push(u);
  candidates.sort(byDegree);
  const limit = Math.min(max, candidates.length);
  const taken = new Uint8Array(n);
  const out = new Int32Array(limit);
  let count = 0;
  let next = 0;
  while (count < limit) {
    while (taken[candidates[next]]) next++;
    let ring = [candidates[next]];
    taken[ring[0]] = 1;
    out[count++] = ring[0];
    while (ring.length && count < limit) {
      const outer: number[] = [];
      for (const u of ring) {
        for (let e = offsets[u]; e < offsets[u + 1]; e++) {
          const v = targets[e];
          if (taken[v] || (allowed && !allowed(v))) continue;
          taken[v] = 1;
          outer.push(v);
        }
      }
      outer.sort(byDegree);
      // A ring cut short keeps its best-connected; the rest stay free for a later seed.
      const room = limit - count;
      for (let k = room; k < outer.length; k++) taken[outer[k]] = 0;
      if (outer.length > room) outer.length = room;
      for (const v of outer) out[count++] = v;
      ring = outer;
    }
  }
  return out;
}

/**
 * Louvain communities of the whole tie graph, kept between frames: partitioning 10,000 members
 * takes tens of ms, so it is redone only when the community has changed enough (a month later,
 * or a fifth more or fewer members); members who joined since take the community most of their
 * ties lead to. Labels stay with the same group across re-partitions (matched by overlap), so the
 * drawn communities do not swap places.
 */
export class Communities {
  /** Label per member id (-2: not partitioned yet). */
  private label = new Int32Array(0);
  private day = -Infinity;
  private size = 0;
  private nextLabel = 0;

  /** The label of each node of `g` (by index), re-partitioning when due. */
  of(g: TieGraph, force = false): Int32Array {
    const n = g.ids.length;
    if (force || g.day - this.day >= 30 || Math.abs(n - this.size) > 0.2 * Math.max(this.size, 50) || g.day < this.day) this.partition(g);
    const out = new Int32Array(n);
    const { offsets, targets, weights } = g.csr;
    const pull = new Map<number, number>();
    for (let u = 0; u < n; u++) {
      const id = g.ids[u];
      const known = id < this.label.length ? this.label[id] : -2;
      if (known !== -2) {
        out[u] = known;
        continue;
      }
      pull.clear();
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const v = g.ids[targets[e]];
        const l = v < this.label.length ? this.label[v] : -2;
        if (l >= 0) pull.set(l, (pull.get(l) ?? 0) + weights[e]);
      }
      let best = -1;
      let most = 0;
      for (const [l, w] of pull) if (w > most || (w === most && l < best)) [best, most] = [l, w];
      out[u] = best;
    }
    return out;
  }

  private partition(g: TieGraph): void {
    const n = g.ids.length;
    const raw = louvain(g.csr, Stream.derive(1, 'viz/communities'));
    let k = 0;
    for (let u = 0; u < n; u++) k = Math.max(k, raw[u] + 1);
    const sizes = new Int32Array(k);
    for (let u = 0; u < n; u++) sizes[raw[u]]++;
    const small = Math.max(SMALL_MIN, SMALL_SHARE * n);
    // Largest first: a large group keeps its old label before a smaller one can claim it.
    const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => sizes[b] - sizes[a] || a - b);
    const members: number[][] = Array.from({ length: k }, () => []);
    for (let u = 0; u < n; u++) members[raw[u]].push(u);
    let top = 0;
    for (let u = 0; u < n; u++) if (g.ids[u] > top) top = g.ids[u];
    const next = new Int32Array(top + 1).fill(-2);
    const used = new Set<number>();
    for (const c of order) {
      let label = -1;
      if (sizes[c] >= small) {
        const votes = new Map<number, number>();
        for (const u of members[c]) {
          const id = g.ids[u];
          const old = id < this.label.length ? this.label[id] : -2;
          if (old >= 0 && !used.has(old)) votes.set(old, (votes.get(old) ?? 0) + 1);
        }
        let most = 0;
        for (const [l, v] of votes) if (v > most || (v === most && l < label)) [label, most] = [l, v];
        // A group that is mostly new members is a new community.
        if (label < 0 || most < sizes[c] / 3) label = this.nextLabel++;
        used.add(label);
      }
      for (const u of members[c]) next[g.ids[u]] = label;
    }
    this.label = next;
    this.day = g.day;
    this.size = n;
  }
}

/** The aggregated nodes and the tie weight between them, for node labels `label` of `g`. */
export function aggregate(g: TieGraph, label: Int32Array): Pick<NetworkPicture, 'communities' | 'communityLinks'> {
  const byLabel = new Map<number, CommunityNode>();
  for (let u = 0; u < g.ids.length; u++) {
    const l = label[u];
    let c = byLabel.get(l);
    if (!c) byLabel.set(l, (c = { id: l, size: 0, stages: [0, 0, 0, 0], trolls: 0 }));
    c.size++;
    if (g.stage[u] < Stage.Churned) c.stages[g.stage[u]]++;
    if (g.archetype[u] === Archetype.Troll) c.trolls++;
  }
  const communities = [...byLabel.values()].sort((a, b) => b.size - a.size || a.id - b.id);
  const index = new Map(communities.map((c, i) => [c.id, i]));
  const between = new Map<number, number>();
  const { offsets, targets, weights } = g.csr;
  const k = communities.length;
  for (let u = 0; u < g.ids.length; u++) {
    const a = index.get(label[u])!;
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const b = index.get(label[targets[e]])!;
      if (b > a) between.set(a * k + b, (between.get(a * k + b) ?? 0) + weights[e]);
    }
  }
  const communityLinks = [...between].map(([key, weight]) => ({ source: Math.floor(key / k), target: key % k, weight }));
  return { communities, communityLinks };
}
