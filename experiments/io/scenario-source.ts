/**
 * Where a scenario comes from: a scenario file, a shipped preset (`scenarios/NAME.json` of the
 * package) or `{}`, validated; and the graph file the scenario may name, read relative to the
 * scenario file. Used by the experiment library and every command (cli/scenario-source.ts adds
 * the command line's overrides).
 *
 * A scenario file may say `"extends": "PRESET or FILE"` and state only what differs: the parent
 * (a file relative to this one, else a preset) is read first, itself possibly extending another,
 * and this file's fields are merged into it (objects field by field; a value, a list or null
 * replaces). A cycle is an error naming the chain.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError, mergeScenario, parseScenario, type Scenario } from '../../scenarios/schema.js';
import type { EdgeList } from '../../engine/index.js';
import { InputError } from './input-error.js';
import { readGraphFile } from './graph-files.js';
import { readJsonFile } from './json-file.js';

/** A scenario as read, before validation. */
export interface ScenarioSource {
  /** The parsed JSON (`{}` when no file or preset was given). */
  input: unknown;
  /** How error messages name it: the file path as given, or `preset "NAME"`. */
  label: string;
  /** Absolute path of the file it came from; absent for the default `{}`. */
  file?: string;
  /** Directory that relative paths inside the scenario (the graph file) start from. */
  dir: string;
}

let root: string | undefined;

/** The package's root directory, found by walking up from this module (dist/cli/ or cli/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('community-sim: cannot find the package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return (root = dir);
}

/** Directory of the shipped preset scenarios. */
export function presetsDir(): string {
  return join(packageRoot(), 'scenarios');
}

export interface PresetInfo {
  /** What `--preset` takes: the file name without `.json`. */
  name: string;
  /** The scenario's `description` field ('' when absent). */
  description: string;
  file: string;
}

/** The shipped presets, sorted by name. */
export function listPresets(): PresetInfo[] {
  const dir = presetsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      let description: string;
      try {
        const input = JSON.parse(readFileSync(file, 'utf8')) as { description?: unknown };
        description = typeof input?.description === 'string' ? input.description : '';
      } catch (e) {
        description = `(unreadable: ${(e as Error).message})`;
      }
      return { name: basename(f, '.json'), description, file };
    });
}

const PRESET_NAME = /^[A-Za-z0-9][\w-]*$/;

/**
 * Loads a scenario by reference: an existing file path, else a preset name (letters, digits,
 * `-` and `_`), else a file path that does not exist (an error).
 */
export function loadScenarioSource(ref: string): ScenarioSource {
  const isFile = existsSync(ref) && statSync(ref).isFile();
  if (!isFile && PRESET_NAME.test(ref)) return loadPreset(ref);
  return readScenarioFile(ref);
}

/** Loads `scenarios/NAME.json` of the package. */
export function loadPreset(name: string): ScenarioSource {
  const file = join(presetsDir(), `${name}.json`);
  if (!PRESET_NAME.test(name) || !existsSync(file)) {
    const known = listPresets().map((p) => p.name);
    const hint = known.length ? `known: ${known.join(', ')}` : 'no presets are installed';
    throw new InputError(`unknown preset "${name}" (${hint}; \`community-sim presets\` lists them)`);
  }
  return { ...readScenarioFile(file), label: `preset "${name}"` };
}

/** Reads and JSON-parses a scenario file, with what it `extends` merged in (not yet validated). */
export function readScenarioFile(path: string): ScenarioSource {
  const file = resolve(path);
  return { input: readExtending(path, []), label: path, file, dir: dirname(file) };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);


/** A file's JSON with its `extends` chain resolved; `chain` holds the files that extend it. */
function readExtending(path: string, chain: string[]): unknown {
  const file = resolve(path);
  return resolveExtends(readJsonFile(path, 'scenario'), dirname(file), path, [...chain, file]);
}

/**
 * A scenario object with its `extends` (a file relative to `dir`, else a preset) merged in, for
 * scenarios that are not files of their own (an experiment's inline base). `label` names it in
 * errors (empty: the caller prefixes it); `chain` holds the files already on the way (for cycles).
 */
export function resolveExtends(input: unknown, dir: string, label: string, chain: string[] = []): unknown {
  if (!isObject(input) || !('extends' in input)) return input;
  const { extends: parent, ...rest } = input;
  const where = label ? `${label}: extends` : 'extends';
  if (typeof parent !== 'string' || !parent) throw new InputError([{ path: where, message: `expected a preset name or a scenario file path, got ${JSON.stringify(parent)}` }]);
  const near = resolve(dir, parent);
  let parentFile: string;
  if (existsSync(near) && statSync(near).isFile()) parentFile = near;
  else if (PRESET_NAME.test(parent) && existsSync(join(presetsDir(), `${parent}.json`))) parentFile = join(presetsDir(), `${parent}.json`);
  else throw new InputError([{ path: where, message: `expected a preset name or a scenario file, got "${parent}" (no file ${near}; presets: ${listPresets().map((p) => p.name).join(', ')})` }]);
  if (chain.includes(parentFile)) throw new InputError([{ path: where, message: `expected no cycle, got ${[...chain, parentFile].map((f) => relative(process.cwd(), f) || f).join(' -> ')}` }]);
  const base = readExtending(parentFile, chain);
  return mergeScenario(isObject(base) ? withAbsoluteGraph(base, dirname(parentFile)) : base, rest);
}

/** A parent's relative `population.graph.file` made absolute, so it still names its file from the child's directory. */
function withAbsoluteGraph(input: Record<string, unknown>, dir: string): unknown {
  const graph = isObject(input.population) ? input.population.graph : undefined;
  if (!isObject(graph) || typeof graph.file !== 'string' || isAbsolute(graph.file) || !existsSync(resolve(dir, graph.file))) return input;
  const population = input.population as Record<string, unknown>;
  return { ...input, population: { ...population, graph: { ...graph, file: resolve(dir, graph.file) } } };
}

/** Which scenario to load; at most one of `file`, `preset` and `ref`, none for the default `{}`. */
export interface ScenarioRef {
  /** A scenario file path. */
  file?: string;
  /** A preset name. */
  preset?: string;
  /** A preset name or a file path (see loadScenarioSource). */
  ref?: string;
}

export interface LoadedScenario {
  scenario: Scenario;
  source: ScenarioSource;
}

/**
 * Loads and validates a scenario: a file, a preset, either (`ref`), or the default `{}`. A bad
 * field is an InputError naming the file and the field path.
 */
export function loadScenario(request: ScenarioRef = {}): LoadedScenario {
  const refs = [request.file, request.preset, request.ref].filter((r) => r !== undefined);
  if (refs.length > 1) throw new InputError('give a scenario file or a preset, not both');
  const source =
    request.file !== undefined ? readScenarioFile(request.file)
    : request.preset !== undefined ? loadPreset(request.preset)
    : request.ref !== undefined ? loadScenarioSource(request.ref)
    : { input: {}, label: 'default scenario', dir: process.cwd() };
  try {
    return { scenario: parseScenario(source.input), source };
  } catch (e) {
    if (e instanceof ScenarioError) throw InputError.fromScenarioError(e, source.file ? source.label : undefined);
    throw e;
  }
}

/**
 * The initial ties of `population.graph.file` when the scenario names one (for
 * `createSimulation(scenario, { graph })`), read relative to the scenario's directory `dir`,
 * else the working directory.
 */
export function readScenarioGraph(scenario: Scenario, dir: string): EdgeList | undefined {
  const g = scenario.population.graph;
  return 'file' in g ? readGraphFile(locateGraphFile(g.file, dir), g.format) : undefined;
}

/** The graph file relative to the scenario's directory, else to the working directory. */
function locateGraphFile(file: string, dir: string): string {
  const candidates = isAbsolute(file) ? [file] : [...new Set([resolve(dir, file), resolve(file)])];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new InputError([{ path: 'population.graph.file', message: `no such graph file "${file}" (looked in ${[...new Set([dir, process.cwd()])].join(' and ')})` }]);
  }
  const shown = relative(process.cwd(), found);
  return shown && !shown.startsWith('..') ? shown : found;
}
