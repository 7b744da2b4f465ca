// Every field is reachable by a dotted path, through unions too: population.graph's fields in
// --set (withPath), sweep and sensitivity factors, and a live set; a field of the other form of
// the union is refused with a message that says how to switch.
import { describe, expect, it } from 'vitest';
import { ScenarioError, ScenarioSchema, createSimulation, objectShape, parseScenario, withPath } from '../../engine/index.js';
import { planSchedule, type Scenario } from '../../scenarios/schema.js';
import { resolveExperiment, sensitivityRanges } from '../../experiments/schema.js';
import { pointScenario } from '../../experiments/sweep.js';

const defaults = parseScenario({});
const fileGraph = withPath(defaults, 'population.graph', { file: 'ties.txt' });
const issue = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    throw e;
  }
  throw new Error('expected a ScenarioError');
};

describe('dotted paths into a union (population.graph)', () => {
  it('set a field of the form the graph has', () => {
    expect(withPath(defaults, 'population.graph.meanDegree', 10).population.graph).toEqual({ generator: 'small-world', meanDegree: 10, rewire: 0.1 });
    expect(withPath(defaults, 'population.graph.generator', 'random').population.graph).toMatchObject({ generator: 'random', meanDegree: 6 });
    // raw input without a graph: the default form
    expect(withPath({}, 'population.graph.rewire', 0.5).population.graph).toMatchObject({ generator: 'small-world', rewire: 0.5 });
    expect(withPath(fileGraph, 'population.graph.format', 'edgelist').population.graph).toEqual({ file: 'ties.txt', format: 'edgelist' });
  });

  it('validates the value like any field', () => {
    expect(issue(() => withPath(defaults, 'population.graph.meanDegree', 1000))).toBe('population.graph.meanDegree: expected a number in [0, 200], got 1000');
    expect(issue(() => withPath(defaults, 'population.graph.generator', 'lattice'))).toMatch(/^population\.graph\.generator: expected one of/);
  });

  it('refuses a field of the other form, saying how to switch', () => {
    expect(issue(() => withPath(defaults, 'population.graph.file', 'x.gexf'))).toBe(
      'population.graph.file: not a field of population.graph in its current form { generator, meanDegree, rewire }; "file" belongs to the form { file, format }: set population.graph as a whole to switch',
    );
    expect(issue(() => withPath(fileGraph, 'population.graph.meanDegree', 4))).toMatch(/^population\.graph\.meanDegree: not a field of population\.graph in its current form \{ file, format \}/);
    // switching as a whole works
    expect(withPath(fileGraph, 'population.graph', { generator: 'random' }).population.graph).toMatchObject({ generator: 'random' });
  });

  it('names an unknown field with the fields of every form', () => {
    expect(issue(() => withPath(defaults, 'population.graph.meanDegre', 3))).toBe('population.graph.meanDegre: unknown field (known: generator, meanDegree, rewire, file, format)');
  });

  it('an inherited name (toString, hasOwnProperty) is an unknown field, not a crash', () => {
    expect(issue(() => withPath(defaults, 'toString.x', 1))).toMatch(/^toString: unknown field \(known: /);
    expect(issue(() => withPath(defaults, 'policies.hasOwnProperty.x', 1))).toMatch(/^policies\.hasOwnProperty: unknown field \(known: /);
    expect(issue(() => withPath(defaults, 'population.graph.valueOf', 1))).toMatch(/^population\.graph\.valueOf: unknown field \(known: /);
  });

  it('objectShape gives the shape of the form a value has (the default form without one)', () => {
    const graph = objectShape(objectShape(ScenarioSchema)!.population)!.graph;
    expect(Object.keys(objectShape(graph)!)).toEqual(['generator', 'meanDegree', 'rewire']);
    expect(Object.keys(objectShape(graph, { file: 'a.txt' })!)).toEqual(['file', 'format']);
  });

  it('a graph path is not schedulable: the graph is drawn on day 0', () => {
    expect(issue(() => parseScenario({ schedule: [{ day: 5, set: { 'population.graph.meanDegree': 3 } }] }))).toMatch(/^schedule\[0\]\.set\.population\.graph\.meanDegree: expected a path inside manager, policies or behaviour \(such as policies\.moderation\.strictness\), or population\.organicPerDay$/);
  });

  it('changes the graph a run starts from, through set() before the first day', () => {
    // without the burn-in, day 0 holds the drawn graph itself
    const tiesOf = (s: typeof defaults) => createSimulation(withPath(withPath(s, 'days', 1), 'population.burnInDays', 0), { seed: 1 }).series()[0].ties;
    const sparse = tiesOf(withPath(defaults, 'population.graph.meanDegree', 2));
    const dense = tiesOf(withPath(defaults, 'population.graph.meanDegree', 20));
    expect(dense).toBeGreaterThan(4 * sparse);
    const sim = createSimulation(withPath(defaults, 'days', 3), { seed: 1 });
    sim.set('population.graph.rewire', 0.9);
    expect(() => sim.set('population.graph.file', 'x.txt')).toThrow(/not a field of population\.graph in its current form/);
  });
});

describe('sweep and sensitivity factors into population.graph', () => {
  it('a factor on population.graph.meanDegree is checked and applied', () => {
    const exp = resolveExperiment({ base: {}, factors: { 'population.graph.meanDegree': [2, 10], 'population.graph.generator': ['random'] } });
    expect(pointScenario(exp.base, ['population.graph.meanDegree', 'population.graph.generator'], [10, 'random']).population.graph).toMatchObject({ generator: 'random', meanDegree: 10 });
    const sens = resolveExperiment({ base: {}, factors: { 'population.graph.meanDegree': { min: 2, max: 12, n: 1 } } });
    expect(sensitivityRanges(sens.spec).names).toEqual(['population.graph.meanDegree']);
  });

  it('a bad value or a field of the other form is an error naming the factor', () => {
    expect(() => resolveExperiment({ base: {}, factors: { 'population.graph.meanDegree': [2, 1000] } })).toThrow(/factors\.population\.graph\.meanDegree.*expected a number in \[0, 200\], got 1000/);
    expect(() => resolveExperiment({ base: {}, factors: { 'population.graph.format': ['gexf'] } })).toThrow(/^factors\.population\.graph\.format\[0\]: not a field of population\.graph in its current form/);
  });
});

describe('experiment ranges', () => {
  it('a range whose width overflows is named, not probed into "got null"', () => {
    expect(() => resolveExperiment({ base: {}, factors: { 'policies.moderation.strictness': { min: -1e308, max: 1e308, n: 3 } } })).toThrow(/^factors\.policies\.moderation\.strictness\.max: expected a range whose width max - min is a finite number, got min -1e\+308 and max 1e\+308$/);
  });
});

describe('a schedule compiled once', () => {
  /** Every leaf path a schedule may set, walked from the defaults. */
  const leaves = (node: unknown, at: string): string[] =>
    node && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k)) : [at];
  const schedulable = ['manager', 'policies', 'behaviour'].flatMap((k) => leaves((defaults as Record<string, unknown>)[k], k)).concat('population.organicPerDay');
  const applyAll = (s: Scenario) => [...planSchedule(s).values()].flat().reduce((acc, c) => c.apply(acc), s);

  it('makes the same scenario as withPath, field by field and for whole blocks', () => {
    expect(schedulable.length).toBeGreaterThan(100);
    for (const path of schedulable) {
      const value = (path.split('.').reduce((n: any, k) => n[k], defaults) as unknown);
      const s = withPath(defaults, 'schedule', [{ day: 3, set: { [path]: value } }]);
      expect(applyAll(s), path).toEqual({ ...withPath({ ...s, schedule: [] }, path, value), schedule: s.schedule });
    }
    // a whole block set to {} takes its defaults, whatever the scenario had
    const s = parseScenario({ policies: { moderation: { strictness: 0.9 } }, schedule: [{ day: 1, set: { 'policies.moderation': {}, 'manager.hoursPerDay': 1 } }, { day: 2, set: { 'policies.moderation.strictness': 0.4 } }] });
    const after = applyAll(s);
    expect(after.policies.moderation).toEqual({ ...defaults.policies.moderation, strictness: 0.4 });
    expect(after.manager.hoursPerDay).toBe(1);
    expect(s.policies.moderation.strictness).toBe(0.9); // the scenario it started from is untouched
  });

  it('names the field inside a block a schedule entry sets as a whole', () => {
    expect(issue(() => parseScenario({ schedule: [{ day: 1, set: { 'policies.moderation': { strictness: 5 } } }] }))).toBe('schedule[0].set.policies.moderation.strictness: expected a number in [0, 1], got 5');
    expect(issue(() => parseScenario({ schedule: [{ day: 1, set: { policies: {} } }] }))).toMatch(/^schedule\[0\]\.set\.policies: expected a path inside manager, policies or behaviour/);
  });

  it('checks 30,000 entries in about a second (each entry used to re-validate the whole scenario: 1 ms each)', () => {
    const schedule = Array.from({ length: 30_000 }, (_, i) => ({ day: 1 + (i % 300), set: { 'policies.moderation.strictness': (i % 10) / 10 } }));
    const t = performance.now();
    const plan = planSchedule(parseScenario({ days: 300, schedule }));
    expect(performance.now() - t).toBeLessThan(5000); // 42 s before
    expect(plan.get(1)).toHaveLength(100);
  });
});
