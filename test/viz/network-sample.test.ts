/**
 * What the network view draws of a large community (viz/network-sample.ts): a neighbourhood
 * sample keeps the ties a uniform sample loses, and the communities view accounts for every
 * member with labels that stay with their group when the partition is redone.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, type Simulation } from '../../engine/index.js';
import { Communities, aggregate, snowball } from '../../viz/network-sample.js';

function community(members: number, days: number): Simulation {
  const scenario = parseScenario({ seed: 5, days: 60, population: { initialMembers: members } });
  const sim = createSimulation(scenario, { seed: 5 });
  sim.step(days);
  return sim;
}

describe('network sample', () => {
  const sim = community(4000, 20);
  const g = sim.tieGraph();

  it('the tie graph holds every present member and both directions of each tie', () => {
    expect(g.ids.length).toBe(sim.view(0).total);
    const { offsets, targets } = g.csr;
    let asymmetric = 0;
    for (let u = 0; u < g.csr.n; u++) {
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const v = targets[e];
        let back = false;
        for (let f = offsets[v]; f < offsets[v + 1]; f++) if (targets[f] === u) back = true;
        if (!back) asymmetric++;
      }
    }
    expect(asymmetric).toBe(0);
  });

  it('a neighbourhood sample of 300 keeps several times the ties of a random one, and nearly every drawn member has a drawn tie', () => {
    const nodes = snowball(g, 300);
    expect(nodes.length).toBe(300);
    expect(new Set(nodes).size).toBe(300);
    const near = sim.view(300, Array.from(nodes, (u) => g.ids[u]));
    const random = sim.view(300);
    expect(near.members.length).toBe(300);
    // the random sample draws each member with probability 300 / members (a stable hash), so
    // about 300
    expect(random.members.length).toBeLessThanOrEqual(300);
    expect(random.members.length).toBeGreaterThan(270);
    const tied = (v: typeof near) => {
      const seen = new Set<number>();
      for (const l of v.links) seen.add(l.source).add(l.target);
      return seen.size / v.members.length;
    };
    console.log(`network sample: 300 of ${g.ids.length} members: ${near.links.length} ties drawn by neighbourhood (${(tied(near) * 100).toFixed(0)}% tied), ${random.links.length} at random (${(tied(random) * 100).toFixed(0)}% tied)`);
    expect(near.links.length).toBeGreaterThan(3 * random.links.length);
    expect(tied(near)).toBeGreaterThan(0.95);
    // The same graph gives the same sample (the layout does not jump between frames).
    expect(snowball(g, 300)).toEqual(nodes);
  });

  it('a sample within one community draws only its members', () => {
    const labels = new Communities().of(g);
    const target = labels[snowball(g, 1)[0]];
    const nodes = snowball(g, 200, (u) => labels[u] === target);
    expect(nodes.length).toBeGreaterThan(0);
    for (const u of nodes) expect(labels[u]).toBe(target);
  });

  it('communities account for every member, and keep their labels when partitioned again a few days later', () => {
    const communities = new Communities();
    const before = communities.of(g);
    const { communities: nodes, communityLinks } = aggregate(g, before);
    expect(nodes!.reduce((n, c) => n + c.size, 0)).toBe(g.ids.length);
    expect(nodes!.length).toBeGreaterThan(2);
    expect(nodes!.length).toBeLessThan(g.ids.length / 10);
    expect(communityLinks!.length).toBeGreaterThan(0);
    for (const c of nodes!) expect(c.stages.reduce((a, b) => a + b, 0)).toBe(c.size);
    const byId = new Map<number, number>();
    g.ids.forEach((id, u) => byId.set(id, before[u]));
    sim.step(3);
    const g2 = sim.tieGraph();
    const after = communities.of(g2, true);
    // the same partition with labels handed out afresh (a new Communities keeps no memory)
    const fresh = new Communities().of(g2);
    let same = 0;
    let chance = 0;
    let both = 0;
    g2.ids.forEach((id, u) => {
      const old = byId.get(id);
      if (old === undefined || old < 0) return;
      both++;
      if (after[u] === old) same++;
      if (fresh[u] === old) chance++;
    });
    console.log(`network communities: ${nodes!.length} groups of ${g.ids.length} members; ${((same / both) * 100).toFixed(0)}% keep their label when partitioned again 3 days later (${((chance / both) * 100).toFixed(0)}% with fresh labels)`);
    // Louvain on a sparse graph (about 3.5 ties a member here) regroups a good part of it within
    // days, so not every member can keep a label; matched labels must keep several times what
    // fresh ones keep by accident
    expect(same / both).toBeGreaterThan(0.3);
    expect(same / both).toBeGreaterThan(3 * (chance / both));
  });
});
