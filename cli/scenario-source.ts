/**
 * How the command line picks and changes a scenario: a FILE argument or `--preset NAME` (loaded by
 * experiments/io/scenario-source.ts), then `--set path=value` overrides and `--days`/`--seed`,
 * each validated like a file, then the graph file the scenario may name. Shared by `run`,
 * `validate` and the experiment commands.
 */
import { ScenarioError, withPath, type FieldIssue, type Scenario } from '../scenarios/schema.js';
import type { EdgeList } from '../engine/index.js';
import { InputError } from '../experiments/io/input-error.js';
import { tooDeep, tooDeepMessage } from '../experiments/io/json-file.js';
import { loadScenario, readScenarioGraph, type ScenarioRef, type ScenarioSource } from '../experiments/io/scenario-source.js';

/** The scenario-path contract, for the help of every command that takes `--set`. */
export const SCENARIO_PATHS_HELP = `
Scenario paths:
  Every field of a scenario file has a dotted path, e.g. policies.moderation.strictness or
  population.initialMembers. --set PATH=VALUE overrides one (repeatable); VALUE is read as JSON
  where it parses (0.8, true, null, [1,2]) and as a string otherwise. Overrides are validated
  like a file. \`community-sim schema\` prints every field with its range and meaning.
  A scenario's population.graph.file is read relative to the scenario file, else the
  working directory.`;

/** A command-line value: JSON where it parses (numbers, true, null, arrays, objects), else the string itself. */
export function parseCliValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Splits `path=value` (the value read by parseCliValue). */
export function parseSetArg(arg: string): { path: string; value: unknown; raw: string } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new InputError([{ path: `--set ${arg}`, message: 'expected path=value, e.g. policies.moderation.strictness=0.8' }]);
  const value = parseCliValue(arg.slice(eq + 1));
  const deep = tooDeep(value);
  if (deep !== null) throw new InputError([{ path: `--set ${arg.slice(0, eq).trim()}`, message: tooDeepMessage(deep) }]);
  return { path: arg.slice(0, eq).trim(), value, raw: arg.slice(eq + 1).trim() };
}

/** What the command line asks for; at most one of `file`, `preset` and `ref`. */
export interface ScenarioRequest extends ScenarioRef {
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
  let { scenario, source } = loadScenario(request);

  // Check every override, in command-line order, so one invocation reports all its problems.
  const issues: FieldIssue[] = [];
  const apply = (override: () => { path: string; value: unknown; raw?: string }) => {
    let raw: string | undefined;
    try {
      const o = override();
      // a number too large for a double (1e400) parses as Infinity: the message shows what was typed
      if (typeof o.value === 'number' && !Number.isFinite(o.value)) raw = o.raw;
      scenario = withPath(scenario, o.path, o.value);
    } catch (e) {
      if (!(e instanceof ScenarioError || e instanceof InputError)) throw e;
      issues.push(...(raw === undefined ? e.issues : e.issues.map((i) => ({ ...i, message: i.message.replace(/got -?Infinity \(not a finite number\)/, `got ${raw} (not a finite number)`) }))));
    }
  };
  const flag = (v: number | string) => (typeof v === 'string' ? parseCliValue(v) : v);
  for (const arg of request.sets ?? []) apply(() => parseSetArg(arg));
  if (request.days !== undefined) apply(() => ({ path: 'days', value: flag(request.days!), raw: String(request.days) }));
  if (request.seed !== undefined) apply(() => ({ path: 'seed', value: flag(request.seed!), raw: String(request.seed) }));
  if (issues.length) throw new InputError(issues);

  const resolved: ResolvedScenario = { scenario, source };
  const graph = request.readGraph === false ? undefined : readScenarioGraph(scenario, source.dir);
  if (graph) resolved.graph = graph;
  return resolved;
}
