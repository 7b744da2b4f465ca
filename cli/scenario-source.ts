/**
 * Where a scenario comes from and how the command line changes it: a scenario file, a shipped
 * preset (`scenarios/NAME.json` of the package) or `{}`; then `--set path=value` overrides and
 * `--days`/`--seed`, each validated like a file; then the graph file the scenario may name, read
 * relative to the scenario file. Shared by `run`, `validate` and the experiment commands.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError, parseScenario, withPath, type FieldIssue, type Scenario } from '../scenarios/schema.js';
import type { EdgeList } from '../engine/index.js';
import { InputError } from './errors.js';
import { readGraphFile } from './graph-files.js';
import { readJsonFile } from './json-file.js';

/** The scenario-path contract, for the help of every command that takes `--set`. */
export const SCENARIO_PATHS_HELP = `
Scenario paths:
  Every field of a scenario file has a dotted path, e.g. policies.moderation.strictness or
  population.initialMembers. --set PATH=VALUE overrides one (repeatable); VALUE is read as JSON
  where it parses (0.8, true, null, [1,2]) and as a string otherwise. Overrides are validated
  like a file. \`community-sim schema\` prints every field with its range and meaning.
  A scenario's population.graph.file is read relative to the scenario file, else the
  working directory.`;

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

/** Reads and JSON-parses a scenario file (not yet validated). */
export function readScenarioFile(path: string): ScenarioSource {
  const input = readJsonFile(path, 'scenario');
  const file = resolve(path);
  return { input, label: path, file, dir: dirname(file) };
}

/** A command-line value: JSON where it parses (numbers, true, null, arrays, objects), else the string itself. */
export function parseCliValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Splits `path=value` (the value read by parseCliValue). */
export function parseSetArg(arg: string): { path: string; value: unknown } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new InputError([{ path: `--set ${arg}`, message: 'expected path=value, e.g. policies.moderation.strictness=0.8' }]);
  return { path: arg.slice(0, eq).trim(), value: parseCliValue(arg.slice(eq + 1)) };
}

/** What the command line asks for; at most one of `file`, `preset` and `ref`. */
export interface ScenarioRequest {
  /** A scenario file path. */
  file?: string;
  /** A preset name. */
  preset?: string;
  /** A preset name or a file path (see loadScenarioSource). */
  ref?: string;
  /** Overrides `path=value`, applied in order. */
  sets?: readonly string[];
  /** Overrides `days` (a number or its command-line text). */
  days?: number | string;
  /** Overrides `seed`. */
  seed?: number | string;
  /** Read `population.graph.file` when the scenario names one (default true). */
  readGraph?: boolean;
}

export interface ResolvedScenario {
  scenario: Scenario;
  source: ScenarioSource;
  /** The initial ties read from `population.graph.file`, for `createSimulation(scenario, { graph })`. */
  graph?: EdgeList;
}

/**
 * Builds the validated scenario a command runs. Every problem (the file's fields, each `--set`,
 * `--days`, `--seed`, the graph file) is an InputError naming the field path.
 */
export function resolveScenario(request: ScenarioRequest): ResolvedScenario {
  const refs = [request.file, request.preset, request.ref].filter((r) => r !== undefined);
  if (refs.length > 1) throw new InputError('give a scenario FILE or --preset NAME, not both');
  const source =
    request.file !== undefined ? readScenarioFile(request.file)
    : request.preset !== undefined ? loadPreset(request.preset)
    : request.ref !== undefined ? loadScenarioSource(request.ref)
    : { input: {}, label: 'default scenario', dir: process.cwd() };

  let scenario: Scenario;
  try {
    scenario = parseScenario(source.input);
  } catch (e) {
    if (e instanceof ScenarioError) throw InputError.fromScenarioError(e, source.file ? source.label : undefined);
    throw e;
  }

  // Check every override, in command-line order, so one invocation reports all its problems.
  const issues: FieldIssue[] = [];
  const apply = (override: () => { path: string; value: unknown }) => {
    try {
      const { path, value } = override();
      scenario = withPath(scenario, path, value);
    } catch (e) {
      if (!(e instanceof ScenarioError || e instanceof InputError)) throw e;
      issues.push(...e.issues);
    }
  };
  const flag = (v: number | string) => (typeof v === 'string' ? parseCliValue(v) : v);
  for (const arg of request.sets ?? []) apply(() => parseSetArg(arg));
  if (request.days !== undefined) apply(() => ({ path: 'days', value: flag(request.days!) }));
  if (request.seed !== undefined) apply(() => ({ path: 'seed', value: flag(request.seed!) }));
  if (issues.length) throw new InputError(issues);

  const resolved: ResolvedScenario = { scenario, source };
  const g = scenario.population.graph;
  if ('file' in g && request.readGraph !== false) {
    resolved.graph = readGraphFile(locateGraphFile(g.file, source.dir), g.format);
  }
  return resolved;
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
