/**
 * The library face of the engine: create a simulation from a validated scenario, step it, run
 * it to the end, snapshot and resume it bit-identically, read its metrics and a view of its
 * members for the browser.
 */
import type { Scenario } from '../scenarios/schema.js';
import type { CohortTable, DailyRow, GraphSample, RunResult, RunSummary, SimEvent } from './metrics.js';
import type { EdgeList } from './graph/ties.js';

export const VERSION = '0.1.0';

export interface SimulationOptions {
  /** Overrides `scenario.seed`. */
  seed?: number;
  /** Initial ties when `population.graph` names a file: the caller reads the file (the engine does no I/O). */
  graph?: EdgeList;
}

/** One member as the network view draws it. */
export interface MemberView {
  id: number;
  stage: number;
  archetype: number;
  activity: number;
  satisfaction: number;
  tenure: number;
  contribs: number;
  toxicToday: boolean;
  removedToday: boolean;
  expert: boolean;
  alignment: number;
  sensitivity: number;
  expertise: number;
  identity: number;
}

/** A sample of the graph for the views: members and the ties among them. */
export interface GraphView {
  day: number;
  /** Members present in the community. */
  total: number;
  /** Members drawn (a sample when the community is large). */
  members: MemberView[];
  /** Ties among drawn members, as index pairs into `members`, with weights. */
  links: { source: number; target: number; weight: number }[];
}

/** A run frozen between two days; plain data (typed arrays) that survives structuredClone and postMessage. */
export interface Snapshot {
  version: string;
  scenario: Scenario;
  seed: number;
  day: number;
  state: unknown;
}

export interface Simulation {
  readonly scenario: Scenario;
  readonly seed: number;
  /** Days simulated so far (0 before the first step). */
  readonly day: number;
  readonly days: number;
  readonly done: boolean;
  /** Advances `n` days (default 1), never past `days`. */
  step(n?: number): void;
  /** Runs to the last day; `onDay` is called after each day (progress bars). */
  run(onDay?: (day: number) => void): RunResult;
  /** Changes a lever by its scenario path from the next day on (validated like a file). */
  set(path: string, value: unknown): void;
  snapshot(): Snapshot;
  /** Daily rows up to the current day. */
  series(): DailyRow[];
  /** One metric column up to the current day. */
  column(name: string): Float64Array;
  summary(): RunSummary;
  cohorts(): CohortTable;
  graphSamples(): GraphSample[];
  events(): SimEvent[];
  /** Everything so far, shaped like `community-sim run`'s JSON. */
  result(): RunResult;
  /** Members and ties for the network view, at most `maxMembers` drawn. */
  view(maxMembers: number): GraphView;
}

export function createSimulation(scenario: Scenario, options: SimulationOptions = {}): Simulation {
  throw new Error(`engine: not implemented yet (${scenario.days}, ${options.seed})`);
}
export function resumeSimulation(snapshot: Snapshot): Simulation {
  throw new Error(`engine: not implemented yet (${snapshot.day})`);
}
/** Creates a simulation and runs it to the end. */
export function runScenario(scenario: Scenario, options: SimulationOptions = {}): RunResult {
  return createSimulation(scenario, options).run();
}
