import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getPath, objectShape, parseScenario, ScenarioSchema } from '../../scenarios/schema.js';
import { applyLever, leverGroups, shockForms } from '../../viz/levers.js';

/** Every scalar path under `policies` in the schema, found independently of viz/levers. */
function policyPaths(schema: z.ZodType, prefix: string): string[] {
  const shape = objectShape(schema);
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([k, v]) => policyPaths(v, `${prefix}.${k}`));
}

describe('viz/levers', () => {
  const groups = leverGroups();
  const paths = groups.flatMap((g) => g.levers.map((l) => l.path));

  it('gives every policy of the schema a control, once', () => {
    const expected = policyPaths(objectShape(ScenarioSchema)!.policies, 'policies');
    for (const p of expected) expect(paths).toContain(p);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('groups levers in MODEL.md order with the manager hours under response latency', () => {
    expect(groups.map((g) => g.title)).toEqual(['Rubrics', 'Expert invites', 'Moderation', 'Response latency', 'Contests / challenges', 'Offline events', 'Leader visibility', 'Acquisition', 'Values clarity']);
    expect(groups.find((g) => g.id === 'response')!.levers.map((l) => l.path)).toContain('manager.hoursPerDay');
  });

  it('describes each control from the schema: kind, range, default, description', () => {
    const all = groups.flatMap((g) => g.levers);
    const strict = all.find((l) => l.path === 'policies.moderation.strictness')!;
    expect(strict).toMatchObject({ kind: 'number', min: 0, max: 1, sliderMax: 1, integer: false, nullable: false, defaultValue: 0.5 });
    expect(strict.description).toMatch(/false positives/);
    expect(all.find((l) => l.path === 'policies.response.targetHours')).toMatchObject({ kind: 'number', nullable: true, defaultValue: 4 });
    expect(all.find((l) => l.path === 'policies.moderation.sanctions.banAfter')).toMatchObject({ integer: true, nullable: true, label: 'Sanctions: ban after' });
    expect(all.find((l) => l.path === 'policies.experts.selection')).toMatchObject({ kind: 'enum', options: ['most-active', 'most-expert', 'random'] });
    expect(all.find((l) => l.path === 'policies.moderation.explainRemovals')).toMatchObject({ kind: 'boolean', defaultValue: false });
    for (const l of all) {
      expect(l.description, l.path).not.toBe('');
      expect(getPath(parseScenario({}), l.path), l.path).toEqual(l.defaultValue);
    }
  });

  it('builds a form for every shock type', () => {
    const forms = shockForms();
    expect(forms.map((f) => f.type)).toEqual(['troll-raid', 'manager-incident', 'leader-leaves', 'festival', 'viral-spike']);
    for (const f of forms) expect(f.fields.map((c) => c.path)).toContain('day');
  });

  it('a lever change before the run edits the lever, during a run schedules it for the next day', () => {
    const base = parseScenario({});
    expect(applyLever(base, 0, 'policies.moderation.strictness', 0.9).policies.moderation.strictness).toBe(0.9);
    const during = applyLever(base, 40, 'policies.moderation.strictness', 0);
    expect(during.policies.moderation.strictness).toBe(0.5);
    expect(during.schedule).toEqual([{ day: 41, set: { 'policies.moderation.strictness': 0 } }]);
    const twice = applyLever(during, 40, 'manager.hoursPerDay', 1);
    expect(twice.schedule).toEqual([{ day: 41, set: { 'policies.moderation.strictness': 0, 'manager.hoursPerDay': 1 } }]);
    expect(() => applyLever(base, 0, 'policies.moderation.strictness', 1.7)).toThrow(/policies\.moderation\.strictness: expected a number in \[0, 1\], got 1\.7/);
  });
});

describe('viz/levers applyLever against the engine', () => {
  it('a lever changed live and the schedule entry that records it give the same run, whatever the lever', async () => {
    const { createSimulation } = await import('../../engine/index.js');
    const base = parseScenario({ seed: 11, days: 40, population: { initialMembers: 150 } });
    for (const [path, value, day] of [['manager.hoursPerDay', 0.5, 12], ['behaviour.tieDecay', 0.2, 8], ['policies.moderation.strictness', 0, 20]] as const) {
      const live = createSimulation(base, { seed: 11 });
      live.step(day);
      live.set(path, value);
      live.run();
      const replay = createSimulation(applyLever(base, day, path, value), { seed: 11 });
      replay.run();
      expect(replay.series(), path).toEqual(live.series());
    }
  });
});
