/**
 * The executor interface: how experiments hand runs to whatever executes them. The experiment
 * logic (compare, sweep, sensitivity) only builds jobs and consumes outcomes, so the local
 * worker pool (pool.ts) can be swapped for a distributed queue without touching it.
 *
 * Contract for an executor:
 * - One job = one (design point or arm, replication). Its `key` is stable: the same experiment
 *   always gives the same job the same key, so a job may be executed more than once (a retry, a
 *   lost lock, a resumed sweep) and the collector keeps one result per key.
 * - A job is plain JSON (structured-clone safe): the validated scenario with every default
 *   filled in, and its seed. Running it is `executeJob(job)`, pure apart from reading a graph
 *   file the scenario may name, so any machine gives the same numbers for the same job.
 * - `run` pulls jobs lazily (a sweep's generator of 100,000 jobs costs no memory), yields each
 *   outcome as it finishes (completion order, not job order) and never throws for a failed
 *   run: a run that fails is retried once, then yielded as `{ ok: false }` with its error.
 */
import { createSimulation, memberLimit, runScenario, type DailyRow, type EdgeList, type RunLimits, type RunSummary, type Scenario } from '../engine/index.js';
import { fitLowerBound, type FitTarget } from './fit-distance.js';
import { measureRun, type Probes } from './reporters.js';

/** One run to execute. */
export interface RunJob {
  /** Stable identity within the experiment, e.g. `"12:3"` (design point 12, replication 3). */
  key: string;
  /** Design point (or arm) index. */
  point: number;
  /** Replication index. */
  rep: number;
  /** The run seed: `deriveSeed(baseSeed, rep)`, shared by every point of replication `rep`. */
  seed: number;
  /** The validated scenario (defaults filled in); a graph file in it is an absolute path. */
  scenario: Scenario;
  /** Keep the daily series in the output. */
  series?: boolean;
  /** The varied parameters of the point (path -> value), for reports of failed runs. */
  params?: Record<string, unknown>;
  /**
   * Stop the run at the end of the first observed period by which its fit distance
   * (experiments/fit-distance.ts) is sure to exceed `tolerance`: a fit's proposal that cannot be
   * accepted costs only the days up to there. The output then has `stoppedAt`.
   */
  stopAbove?: StopAbove;
  /** Reporters to measure and a stop condition (experiments/reporters.ts); the output then has `reporters`. */
  probes?: Probes;
}

/**
 * A fit's early stop: past `tolerance` by the target's distance, or (`size`, with a log
 * distance) past `size.limit` by the relative distance on the observed columns' scales.
 */
export type StopAbove = FitTarget & { tolerance: number; size?: { scales: Record<string, number>; limit: number } };

/** What a finished run sends back. */
export interface RunOutput {
  key: string;
  seed: number;
  summary: RunSummary;
  series?: DailyRow[];
  /** Milliseconds the run took inside the executor (for overhead figures). */
  ms: number;
  /** The day a `stopAbove` run or a run's stop condition stopped it on (its summary and series end there). */
  stoppedAt?: number;
  /** The values of `probes` in the order of `probeColumns` (NaN where undefined). */
  reporters?: number[];
}

export type RunOutcome =
  | { ok: true; job: RunJob; output: RunOutput; attempts: number }
  | { ok: false; job: RunJob; error: string; attempts: number };

export interface Executor {
  /** Parallel runs at most (for progress estimates). */
  readonly size: number;
  /** Executes jobs and yields their outcomes as they finish. */
  run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome>;
  /** Frees the executor's resources (workers, connections). */
  close(): Promise<void>;
  /**
   * Optional: called by the runner before `run` with the design's hash and output directory, so
   * an executor that keeps state outside the process (a queue) can name it per design and
   * re-attach to it when a run is resumed.
   */
  bind?(design: { hash: string; out: string }): void;
}

const graphs = new Map<string, EdgeList>();

/**
 * Runs one job with the engine: what every executor does with a job, in whichever thread or
 * machine. Graph files are read once per process and path; their readers (graphology, xmldom)
 * load only when a scenario names one, which shortens a worker's start by about a third.
 */
export async function executeJob(job: RunJob, limits: RunLimits = {}): Promise<RunOutput> {
  const t0 = performance.now();
  const g = job.scenario.population.graph;
  let graph: EdgeList | undefined;
  if ('file' in g) {
    graph = graphs.get(g.file);
    if (!graph) {
      const { readGraphFile } = await import('./io/graph-files.js');
      graphs.set(g.file, (graph = readGraphFile(g.file, g.format)));
    }
  }
  // the limits belong to the machine doing the run, not to the job: a run that outgrows them
  // stops with a GrowthLimitError naming the day, never an allocation failure
  const maxMembers = memberLimit(job.scenario, limits);
  if (job.stopAbove) return runUntilPast(job, job.stopAbove, graph, t0, maxMembers);
  if (job.probes) return runMeasured(job, job.probes, graph, t0, maxMembers);
  const result = runScenario(job.scenario, { seed: job.seed, graph, maxMembers });
  const output: RunOutput = { key: job.key, seed: job.seed, summary: result.summary, ms: 0 };
  if (job.series) output.series = result.series;
  output.ms = performance.now() - t0;
  return output;
}

/** A run checked against a fit's tolerance at the end of every observed period. */
function runUntilPast(job: RunJob, stop: StopAbove, graph: EdgeList | undefined, t0: number, maxMembers: number): RunOutput {
  const sim = createSimulation(job.scenario, { seed: job.seed, graph, maxMembers });
  const { starts, period, days } = stop.observed;
  let stoppedAt: number | undefined;
  for (let p = 0; p < starts.length && !sim.done; p++) {
    // Observed day k is the run's day k + 1: period p ends on run day min(start + period, days).
    sim.step(Math.min(starts[p] + period, days) - sim.day);
    const past = (t: FitTarget, limit: number) => fitLowerBound(sim.series(), t, p + 1) > limit;
    if (p < starts.length - 1 && (past(stop, stop.tolerance) || (stop.size !== undefined && past({ observed: stop.observed, weights: stop.weights, scales: stop.size.scales }, stop.size.limit)))) {
      stoppedAt = sim.day;
      break;
    }
  }
  if (stoppedAt === undefined) sim.step(sim.days - sim.day);
  const output: RunOutput = { key: job.key, seed: job.seed, summary: sim.summary(), ms: 0 };
  if (job.series) output.series = sim.series();
  if (stoppedAt !== undefined) output.stoppedAt = stoppedAt;
  output.ms = performance.now() - t0;
  return output;
}

/** A run with reporters and perhaps a stop condition (experiments/reporters.ts). */
function runMeasured(job: RunJob, probes: Probes, graph: EdgeList | undefined, t0: number, maxMembers: number): RunOutput {
  const sim = createSimulation(job.scenario, { seed: job.seed, graph, maxMembers });
  const measured = measureRun(sim, probes);
  const output: RunOutput = { key: job.key, seed: job.seed, summary: sim.summary(), ms: 0, reporters: measured.values };
  if (job.series) output.series = sim.series();
  if (measured.stoppedAt !== undefined) output.stoppedAt = measured.stoppedAt;
  output.ms = performance.now() - t0;
  return output;
}

/** Runs jobs one after another in the calling thread: for scripts, debugging and the benchmark's baseline. */
export class InlineExecutor implements Executor {
  readonly size = 1;

  constructor(private readonly limits: RunLimits = {}) {}

  async *run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
    for await (const job of jobs) {
      let error = '';
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          yield { ok: true, job, output: await executeJob(job, this.limits), attempts: attempt };
          error = '';
          break;
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      }
      if (error) yield { ok: false, job, error, attempts: 2 };
    }
  }

  async close(): Promise<void> {}
}
