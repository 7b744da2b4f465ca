/**
 * The engine in a Web Worker, exposed through comlink, so a run at full speed never blocks the
 * page (STYLE.md example 7). A live run streams frames: the daily rows and events since the last
 * frame, a sample of the graph for the network view and the cohort table. Compare mode asks a
 * worker of its own per strategy for whole replications.
 */
import * as Comlink from 'comlink';
import { createSimulation, parseScenario, type Simulation } from '../engine/index.js';
import type { DailyMetric, DailyRow, RunSummary, SimEvent } from '../engine/metrics.js';
import type { GraphView } from '../engine/simulation.js';

/** What the page needs after some days of a live run. */
export interface Frame {
  day: number;
  days: number;
  done: boolean;
  /** Daily rows not sent before (day 0 included in the first frame). */
  rows: DailyRow[];
  /** Events not sent before. */
  events: SimEvent[];
  /** The graph sample for the network view, when the page asked for one. */
  view: GraphView | null;
  /** The cohort table's new cells, when a week closed since the last frame (it changes only then). */
  cohorts?: CohortDelta;
  /** Milliseconds the worker spent simulating for this frame. */
  ms: number;
}

/**
 * What changed in the cohort table: every size (one number a week), and for each cohort row the
 * cells from `from[c]` on. A closed week's cells never change, so a ten-year run sends a few
 * hundred numbers a week instead of its whole table (~135,000 cells).
 */
export interface CohortDelta {
  sizes: number[];
  from: number[];
  cells: number[][];
}

/** One replication of a compare arm: the chosen daily columns and the summary. */
export interface Replication {
  seed: number;
  columns: Partial<Record<DailyMetric, Float64Array>>;
  summary: RunSummary;
  events: SimEvent[];
}

class Runner {
  private sim: Simulation | null = null;
  private sentRows = 0;
  private sentEvents = 0;
  /** Weeks closed when the cohort table was last sent (-1: not sent in this run). */
  private sentWeeks = -1;
  /** Cells of each cohort row sent so far. */
  private sentCells: number[] = [];
  private maxMembers = 400;

  private live(): Simulation {
    if (!this.sim) throw new Error('viz/worker: no run loaded');
    return this.sim;
  }

  /** Starts a run of `scenario` (validated again here: the worker trusts nobody) and returns day 0. */
  load(scenario: unknown, maxMembers: number): Frame {
    const parsed = parseScenario(scenario);
    this.sim = createSimulation(parsed, { seed: parsed.seed });
    this.sentRows = 0;
    this.sentEvents = 0;
    this.sentWeeks = -1;
    this.sentCells = [];
    this.maxMembers = maxMembers;
    return this.frame(0, true);
  }

  /**
   * Simulates up to `days` days, stopping early once `budgetMs` is spent, and returns a frame;
   * `view` asks for the network sample (a pass over every member: only when it is drawn).
   */
  advance(days: number, budgetMs: number, view = true): Frame {
    const sim = this.live();
    const t0 = performance.now();
    for (let i = 0; i < days && !sim.done; i++) {
      sim.step(1);
      if (performance.now() - t0 > budgetMs) break;
    }
    return this.frame(performance.now() - t0, view);
  }

  /** Simulates straight to `day` (after an edit of the past, to rebuild the same point in time). */
  advanceTo(day: number): Frame {
    const sim = this.live();
    const t0 = performance.now();
    if (day > sim.day) sim.step(day - sim.day);
    return this.frame(performance.now() - t0, true);
  }

  /**
   * Adds a shock that starts on the next day (a trainer's "troll raid now"); returns the last day
   * simulated, so the page can record the shock on the day it happens and replays match.
   */
  shockNow(shock: Record<string, unknown>): number {
    const sim = this.live();
    sim.set('shocks', [...sim.scenario.shocks, { ...shock, day: sim.day + 1 }]);
    return sim.day;
  }

  /** A frame without simulating: what is not sent yet, and the network as of now. */
  peek(): Frame {
    return this.frame(0, true);
  }

  /** Changes a lever from the next day on; returns the last day simulated before the change. */
  set(path: string, value: unknown): number {
    const sim = this.live();
    sim.set(path, value);
    return sim.day;
  }

  private frame(ms: number, view: boolean): Frame {
    const sim = this.live();
    // Only what is new: rebuilding a long run's whole series every frame slowed the page down.
    const rows = sim.series(this.sentRows);
    const events = sim.events();
    const fresh = events.slice(this.sentEvents);
    this.sentRows += rows.length;
    this.sentEvents = events.length;
    const weeks = Math.floor(sim.day / 7);
    let cohorts: CohortDelta | undefined;
    // With the network sample only (a few times a second, and on the last day): a long run's
    // table costs the engine a pass over every cell each time it is read.
    if (weeks !== this.sentWeeks && (view || sim.done)) {
      const table = sim.cohorts();
      // The last cell sent of each row may have been the week in progress: send it again.
      const from = table.share.map((_, c) => Math.max(0, (this.sentCells[c] ?? 0) - 1));
      cohorts = { sizes: table.sizes, from, cells: table.share.map((row, c) => row.slice(from[c])) };
      this.sentCells = table.share.map((row) => row.length);
      this.sentWeeks = weeks;
    }
    return { day: sim.day, days: sim.days, done: sim.done, rows, events: fresh, view: view || sim.done ? sim.view(this.maxMembers) : null, cohorts, ms };
  }

  /**
   * Runs `scenario` to the end once per seed and returns the chosen columns and summaries;
   * `onProgress(done, total)` is called after each replication.
   */
  replicate(scenario: unknown, seeds: number[], metrics: DailyMetric[], onProgress?: (done: number, total: number) => void): Replication[] {
    const parsed = parseScenario(scenario);
    const out: Replication[] = [];
    for (const seed of seeds) {
      const sim = createSimulation({ ...parsed, seed }, { seed });
      sim.run();
      const columns: Partial<Record<DailyMetric, Float64Array>> = {};
      for (const m of metrics) columns[m] = Float64Array.from(sim.column(m));
      out.push({ seed, columns, summary: sim.summary(), events: sim.events() });
      onProgress?.(out.length, seeds.length);
    }
    const buffers = out.flatMap((r) => Object.values(r.columns).map((c) => (c as Float64Array).buffer));
    return Comlink.transfer(out, buffers);
  }
}

export type RunnerApi = Runner;

Comlink.expose(new Runner());
