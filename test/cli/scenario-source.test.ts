// Scenario sources as the commands (and the experiment runner) resolve them: files, presets,
// `{}`, overrides in order, and the graph file relative to the scenario.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/schema.js';
import { InputError } from '../../experiments/io/input-error.js';
import { listPresets, loadScenarioSource, packageRoot } from '../../experiments/io/scenario-source.js';
import { parseCliValue, resolveScenario } from '../../cli/scenario-source.js';
import { ROOT } from './run-cli.js';
import { scratchDir } from './scratch.js';

const scratch = scratchDir('sources');
const write = scratch.write;

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error('expected an InputError');
}

describe('resolveScenario', () => {
  it('defaults to {} with every default filled in', () => {
    const { scenario, graph } = resolveScenario({});
    expect(scenario).toEqual(parseScenario({}));
    expect(graph).toBeUndefined();
  });

  it('applies --set in order, then --days and --seed, validating each', () => {
    const f = write('base.json', { days: 90, seed: 4, policies: { moderation: { strictness: 0.2 } } });
    const { scenario } = resolveScenario({
      file: f,
      sets: ['policies.moderation.strictness=0.9', 'policies.response.targetHours=null', 'name=my run', 'days=10', 'policies.moderation.strictness=0.7'],
      days: '30',
      seed: 12,
    });
    expect(scenario.policies.moderation.strictness).toBe(0.7);
    expect(scenario.policies.response.targetHours).toBeNull();
    expect(scenario.name).toBe('my run');
    expect([scenario.days, scenario.seed]).toEqual([30, 12]);
  });

  it('reads values as JSON where they parse and as strings otherwise', () => {
    expect([parseCliValue('0.8'), parseCliValue('true'), parseCliValue('null'), parseCliValue('[1,2]'), parseCliValue('abc'), parseCliValue('')]).toEqual([0.8, true, null, [1, 2], 'abc', '']);
  });

  it('names the file in the issues of a bad file, and the path in those of a bad override', () => {
    const f = write('bad.json', { population: { initialMembers: 'many' } });
    expect(issuesOf(() => resolveScenario({ file: f }))).toEqual([{ path: `${f}: population.initialMembers`, message: 'expected an integer in [0, 10000000], got "many"' }]);
    expect(issuesOf(() => resolveScenario({ sets: ['policies.events.offline=maybe'] }))).toEqual([{ path: 'policies.events.offline', message: 'expected true or false, got "maybe"' }]);
  });

  it('shows a number that is not finite as what was given, never as null (JSON.stringify writes NaN and Infinity as null)', () => {
    expect(issuesOf(() => resolveScenario({ sets: ['policies.moderation.strictness=1e400'] }))).toEqual([{ path: 'policies.moderation.strictness', message: 'expected a number in [0, 1], got 1e400 (not a finite number)' }]);
    expect(issuesOf(() => resolveScenario({ sets: ['policies.moderation.strictness=-1e999'] }))[0].message).toBe('expected a number in [0, 1], got -1e999 (not a finite number)');
    // in a file the text is gone once parsed: the value is named
    const f = write('infinite.json', '{ "population": { "mix": { "lurker": 1e400 } } }');
    expect(issuesOf(() => resolveScenario({ file: f }))[0].message).toBe('expected a number >= 0, got Infinity (not a finite number)');
  });

  it('reads the graph file relative to the scenario file, else the working directory', () => {
    write('nested/ties.txt', 'a b\nb c\nc d\n');
    const f = write('nested/with-graph.json', { population: { graph: { file: 'ties.txt' } } });
    expect(resolveScenario({ file: f }).graph?.nodes).toBe(4);
    // A graph named on the command line of a default scenario is found from the working directory.
    const cwd = process.cwd();
    try {
      process.chdir(join(scratch.path, 'nested'));
      expect(resolveScenario({ sets: ['population.graph={"file":"ties.txt"}'] }).graph?.nodes).toBe(4);
    } finally {
      process.chdir(cwd);
    }
    expect(resolveScenario({ file: f, readGraph: false }).graph).toBeUndefined();
  });
});

describe('loadScenarioSource', () => {
  it('finds the package root from the sources', () => {
    expect(packageRoot()).toBe(ROOT);
  });

  it('takes an existing path as a file and a bare name as a preset', () => {
    const f = write('plain.json', { name: 'plain' });
    expect(loadScenarioSource(f)).toMatchObject({ input: { name: 'plain' }, label: f, dir: scratch.path });
    expect(issuesOf(() => loadScenarioSource('surely-not-a-preset'))[0].message).toMatch(/^unknown preset "surely-not-a-preset"/);
    expect(issuesOf(() => loadScenarioSource('missing/file.json'))).toEqual([{ path: 'missing/file.json', message: 'no such scenario file' }]);
  });

  it('loads every shipped preset as a valid scenario', () => {
    for (const p of listPresets()) {
      const { scenario, source } = resolveScenario({ preset: p.name, readGraph: false });
      expect(source.label).toBe(`preset "${p.name}"`);
      expect(scenario.days).toBeGreaterThan(0);
    }
  });
});

describe('"extends": a scenario that states only what differs', () => {
  it('merges the file into a preset, field by field (null and lists replace)', () => {
    const f = write('ext/fast.json', { extends: 'brand-community', manager: { hoursPerDay: 2 }, policies: { response: { targetHours: null } } });
    const preset = resolveScenario({ preset: 'brand-community' }).scenario;
    const { scenario } = resolveScenario({ file: f });
    expect(scenario.manager.hoursPerDay).toBe(2);
    expect(scenario.policies.response.targetHours).toBeNull();
    expect(scenario.policies.response.welcomeNewcomers).toBe(preset.policies.response.welcomeNewcomers);
    expect(scenario).toEqual({ ...preset, manager: { ...preset.manager, hoursPerDay: 2 }, policies: { ...preset.policies, response: { ...preset.policies.response, targetHours: null } } });
  });

  it('follows a chain of files, each relative to the one that names it, and keeps the parent\'s graph file', () => {
    write('ext/g/ties.txt', 'a b\nb c\n');
    write('ext/g/base.json', { days: 50, population: { graph: { file: 'ties.txt' } }, policies: { rubrics: { perWeek: 2 } } });
    write('ext/mid.json', { extends: 'g/base.json', policies: { rubrics: { quality: 0.9 } } });
    const leaf = write('ext/leaf/leaf.json', { extends: '../mid.json', days: 60 });
    const { scenario, graph } = resolveScenario({ file: leaf });
    expect([scenario.days, scenario.policies.rubrics.perWeek, scenario.policies.rubrics.quality]).toEqual([60, 2, 0.9]);
    expect(graph?.nodes).toBe(3);
  });

  it('names the field of a bad parent, a cycle and a field the merge made wrong', () => {
    const missing = write('ext/bad1.json', { extends: 'no-such-thing' });
    expect(issuesOf(() => resolveScenario({ file: missing }))[0]).toMatchObject({ path: `${missing}: extends`, message: expect.stringMatching(/^expected a preset name or a scenario file, got "no-such-thing"/) });
    const wrongType = write('ext/bad2.json', { extends: 3 });
    expect(issuesOf(() => resolveScenario({ file: wrongType }))[0]).toEqual({ path: `${wrongType}: extends`, message: 'expected a preset name or a scenario file path, got 3' });
    write('ext/c1.json', { extends: 'c2.json' });
    const c2 = write('ext/c2.json', { extends: 'c1.json' });
    expect(issuesOf(() => resolveScenario({ file: c2 }))[0].message).toMatch(/^expected no cycle, got .*c2\.json -> .*c1\.json -> .*c2\.json$/);
    const self = write('ext/self.json', { extends: 'self.json' });
    expect(issuesOf(() => resolveScenario({ file: self }))[0].message).toMatch(/cycle/);
    const bad = write('ext/bad3.json', { extends: 'moderated-forum', policies: { moderation: { strictness: 2 } } });
    expect(issuesOf(() => resolveScenario({ file: bad }))[0].path).toBe(`${bad}: policies.moderation.strictness`);
  });
});
