/**
 * The library API: determinism, snapshot and resume, live changes, views, and the same run in a
 * Node worker thread (through comlink, as the experiment pool runs it) as in the main thread.
 */
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, resumeSimulation, runScenario, type SimEvent } from '../../engine/index.js';

const scenario = parseScenario({ days: 120, population: { initialMembers: 150 }, metrics: { graphEvery: 40 } });

describe('determinism', () => {
  it('the same scenario and seed give the same numbers, bit for bit', () => {
    const a = JSON.stringify(runScenario(scenario, { seed: 11 }));
    const b = JSON.stringify(runScenario(scenario, { seed: 11 }));
    expect(a).toBe(b);
  });
  it('another seed gives another run', () => {
    const a = runScenario(scenario, { seed: 11 }).summary;
    const b = runScenario(scenario, { seed: 12 }).summary;
    expect(a).not.toEqual(b);
  });
});

describe('snapshot and resume', () => {
  it('a run resumed from a snapshot equals the uninterrupted run', () => {
    const whole = createSimulation(scenario, { seed: 5 }).run();
    const sim = createSimulation(scenario, { seed: 5 });
    sim.step(47);
    // through structuredClone, as a snapshot crosses postMessage or a file
    const snap = structuredClone(sim.snapshot());
    sim.step(3); // the original goes on undisturbed by the snapshot
    const resumed = resumeSimulation(snap);
    expect(resumed.day).toBe(47);
    const tail = resumed.run();
    expect(JSON.stringify(tail)).toBe(JSON.stringify(whole));
  });
  it('a snapshot taken right after a live change resumes into the same run, its log included', () => {
    const sim = createSimulation(scenario, { seed: 5 });
    sim.step(30);
    sim.set('policies.response.targetHours', 48);
    const snap = structuredClone(sim.snapshot());
    const result = sim.run();
    expect(result.events.some((e) => e.text === 'policies.response.targetHours set to 48 (live)')).toBe(true);
    expect(JSON.stringify(resumeSimulation(snap).run())).toBe(JSON.stringify(result));
  });
  it('series(from) gives the rows from that day on, as series() does', () => {
    const sim = createSimulation(scenario, { seed: 5 });
    sim.step(40);
    expect(sim.series(25)).toEqual(sim.series().slice(25));
    expect(sim.series(41)).toEqual([]);
  });
  it('events(from) gives only the events from that index on: a reader that asks for what is new reassembles the whole list', () => {
    const sim = createSimulation(parseScenario({ days: 40, population: { initialMembers: 150 }, shocks: [{ type: 'troll-raid', day: 5, size: 20 }] }), { seed: 5 });
    const read: SimEvent[] = [];
    for (let d = 1; d <= 40; d++) {
      if (d === 20) sim.set('policies.moderation.strictness', 1);
      sim.step();
      const fresh = sim.events(read.length);
      expect(fresh.every((e) => e.day === d)).toBe(true);
      read.push(...fresh);
    }
    expect(read.length).toBeGreaterThan(2);
    expect(read).toEqual(sim.events());
    expect(sim.events(read.length)).toEqual([]);
    expect(sim.events(2)).toEqual(sim.events().slice(2));
  });
  it('a live change applies from the next day and is logged', () => {
    const sim = createSimulation(scenario, { seed: 5 });
    sim.step(10);
    sim.set('policies.moderation.strictness', 1);
    expect(sim.scenario.policies.moderation.strictness).toBe(1);
    sim.step(1);
    expect(sim.events().some((e) => e.day === 11 && e.kind === 'schedule' && e.text.includes('strictness'))).toBe(true);
    expect(() => sim.set('policies.moderation.strictness', 7)).toThrow(/policies\.moderation\.strictness: expected a number in \[0, 1\], got 7/);
  });
});

describe('views', () => {
  it('draws a stable sample of members with ties among them', () => {
    const sim = createSimulation(parseScenario({ days: 30, population: { initialMembers: 400 } }), { seed: 3 });
    sim.step(5);
    const v = sim.view(100);
    expect(v.members.length).toBeLessThanOrEqual(100);
    expect(v.total).toBeGreaterThan(100);
    for (const l of v.links) {
      expect(l.source).toBeLessThan(v.members.length);
      expect(l.target).toBeLessThan(v.members.length);
      expect(l.weight).toBeGreaterThan(0);
    }
    sim.step(1);
    const ids = new Set(sim.view(100).members.map((m) => m.id));
    const kept = v.members.filter((m) => ids.has(m.id)).length;
    expect(kept / v.members.length).toBeGreaterThan(0.8);
  });
});

describe('in a worker thread', () => {
  it('the same run in a worker_threads worker equals the main-thread run', async () => {
    // dist/ is built by `npm test` (and by `npm install`); the pool's worker runs the engine
    const worker = new Worker(new URL('../../dist/experiments/worker.js', import.meta.url));
    try {
      const remote = Comlink.wrap<{ run(job: unknown): Promise<{ summary: unknown }> }>(nodeEndpoint(worker));
      const out = await remote.run({ key: 'w', point: 0, rep: 0, seed: 9, scenario });
      expect(out.summary).toEqual(runScenario(scenario, { seed: 9 }).summary);
    } finally {
      await worker.terminate();
    }
  });
});
