/**
 * The engine in a Web Worker, exposed through comlink, so a run at full speed never blocks the
 * page (STYLE.md example 7). A live run streams frames: the daily rows and events since the last
 * frame, a sample of the graph for the network view and the cohort table. Compare mode asks a
 * worker of its own per strategy for whole replications.
 */
import * as Comlink from 'comlink';
import { createSimulation, membersWithin, parseScenario, type Scenario, type Simulation } from '../engine/index.js';
import type { CohortCells, DailyMetric, DailyRow, RunSummary, SimEvent } from '../engine/metrics.js';
import { executeJob, type RunJob, type RunOutput } from '../experiments/executor.js';
import { Communities, aggregate, pack, snowball, type NetworkPicture, type NetworkRequest } from './network-sample.js';

/** Memory a tab's run may grow into: Chromium gives a tab about 4 GB; half is left to the page. */
const TAB_BYTES = 2e9;

/**
 * Members a run in this tab may hold: what TAB_BYTES holds, and at least twice the start (a large
 * population the user confirmed may still grow). Past it the run stops with a GrowthLimitError
 * ("the community grew past the limit ..."), shown as the engine's message, where it used to end
 * in "Array buffer allocation failed".
 */
function tabLimit(s: Scenario): number {
  return Math.max(membersWithin(TAB_BYTES, s), 2 * s.population.initialMembers);
}

/** The network view's members are chosen afresh at most this often (ms of the page's time). */
const RECHOOSE_MS = 3000;

/** What the page needs after some days of a live run. */
export interface Frame {
  day: number;
  days: number;
  done: boolean;
  /** Daily rows not sent before (day 0 included in the first frame). */
  rows: DailyRow[];
  /** Events not sent before. */
  events: SimEvent[];
  /** The graph sample (or communities) for the network view, when the page asked for one. */
  view: NetworkPicture | null;
  /** The cohort table's new cells, when a week closed since the last frame (it changes only then). */
  cohorts?: CohortDelta;
  /** Milliseconds the worker spent simulating for this frame. */
  ms: number;
}

/**
 * What changed in the cohort table: every size (one number a week), and for each cohort row the
 * cells from `from[c]` on. A closed week's cells never change, so a ten-year run sends a few
 * hundred numbers a week instead of its whole table (~135,000 cells), and the engine reads only
 * those (Simulation.cohortsSince).
 */
export type CohortDelta = CohortCells;

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
  /** Calendar weeks of the table sent so far: the last one may have been in progress. */
  private sentTableWeeks = 0;
  private network: NetworkRequest = { mode: 'members', how: 'neighbourhood', maxMembers: 400 };
  private communities = new Communities();
  /** Members in the inequality chart's uniform sample (the load's default drawn count). */
  private inequalitySample = 400;
  /** Whether the page chose what to draw (drawNetwork), rather than the load's default. */
  private chosen = false;

  private live(): Simulation {
    if (!this.sim) throw new Error('viz/worker: no run loaded');
    return this.sim;
  }

  /** Starts a run of `scenario` (validated again here: the worker trusts nobody) and returns day 0. */
  load(scenario: unknown, maxMembers: number): Frame {
    const parsed = parseScenario(scenario);
    this.sim = createSimulation(parsed, { seed: parsed.seed, maxMembers: tabLimit(parsed) });
    this.sentRows = 0;
    this.sentEvents = 0;
    this.sentWeeks = -1;
    this.sentTableWeeks = 0;
    // The page's own choice of how many to draw outlives a reset; a community opened in the
    // communities view does not (the new run's communities are not the old one's).
    this.inequalitySample = maxMembers;
    this.network = { ...this.network, maxMembers: this.chosen ? this.network.maxMembers : maxMembers, focus: null };
    this.communities = new Communities();
    this.sample = null;
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

  /** What the network view draws from now on; returns a frame with it. */
  drawNetwork(request: NetworkRequest): Frame {
    this.network = { ...request };
    this.chosen = true;
    return this.frame(0, true);
  }

  /**
   * The network as the page asked for it. Sampling and aggregation happen here, on request, not
   * in the engine's tick: the engine hands over its tie graph as typed arrays.
   */
  private picture(): NetworkPicture {
    const sim = this.live();
    const req = this.network;
    // The inequality chart's sample: uniform and stable, whatever the network draws.
    const uniform = sim.view(this.inequalitySample);
    const contribs = uniform.members.map((m) => m.contribs);
    if (req.mode === 'members' && req.how === 'random' && req.focus == null) {
      const view = req.maxMembers === this.inequalitySample ? uniform : sim.view(req.maxMembers);
      return { ...pack(view), mode: 'members', how: view.members.length < view.total ? 'random' : 'all', contribs };
    }
    if (req.mode === 'communities') {
      const g = sim.tieGraph();
      const empty = pack({ day: sim.day, total: g.ids.length, members: [], links: [] });
      return { ...empty, mode: 'communities', how: 'all', ...aggregate(g, this.communities.of(g)), contribs };
    }
    const chosen = this.chosenMembers();
    const view = pack(sim.view(req.maxMembers, chosen.ids ?? undefined));
    const communityOf = chosen.labels ? view.members.id.map((id) => chosen.labels!.get(id) ?? -1) : undefined;
    return { ...view, mode: 'members', how: chosen.how, communityOf, focus: req.focus ?? null, contribs };
  }

  /** The members chosen for the network view, and when they were chosen (see chosenMembers). */
  private sample: { key: string; day: number; at: number; ids: number[] | null; labels: Map<number, number> | null; how: 'all' | 'neighbourhood' } | null = null;

  /**
   * Which members to draw: every one when they fit, else a neighbourhood sample; with their
   * communities when the page lays many out around them. Chosen afresh once a week of the run,
   * and at most every RECHOOSE_MS of the page's time (or at once when the request changes): in
   * between the same members are drawn (those who left fade out, their stages and ties change),
   * which keeps the picture still and costs ~1 ms a frame instead of ~15 at 10,000 members. At
   * full speed a week of the run passes between any two pictures, and choosing afresh each time
   * (the tie graph and the snowball, ~2/3 of a picture's cost at 10,000 members) was most of
   * what the network cost the worker.
   */
  private chosenMembers(): NonNullable<Runner['sample']> {
    const sim = this.live();
    const req = this.network;
    const key = JSON.stringify(req);
    const c = this.sample;
    const now = performance.now();
    // The last day's picture is chosen afresh: it is the one left on screen.
    if (c && c.key === key && sim.day >= c.day && (sim.day - c.day < 7 || (now - c.at < RECHOOSE_MS && !sim.done))) return c;
    const g = sim.tieGraph();
    const total = g.ids.length;
    // Past this many drawn members the page lays them out around their communities (a force
    // layout of thousands of members is too slow for the page), so it needs their labels.
    const LAYOUT_BY_COMMUNITY = 1500;
    const focus = req.focus ?? null;
    const labels = focus != null || Math.min(total, req.maxMembers) > LAYOUT_BY_COMMUNITY ? this.communities.of(g) : null;
    const inFocus = focus == null ? undefined : (u: number) => labels![u] === focus;
    const pool = inFocus ? labels!.reduce((n, l) => n + (l === focus ? 1 : 0), 0) : total;
    const all = pool <= req.maxMembers && !inFocus;
    const ids = all ? null : Array.from(snowball(g, req.maxMembers, inFocus), (u) => g.ids[u]);
    let byId: Map<number, number> | null = null;
    if (labels) {
      byId = new Map();
      for (let u = 0; u < total; u++) byId.set(g.ids[u], labels[u]);
    }
    this.sample = { key, day: sim.day, at: now, ids, labels: byId, how: all || pool <= req.maxMembers ? 'all' : 'neighbourhood' };
    return this.sample;
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
    const fresh = sim.events(this.sentEvents);
    this.sentRows += rows.length;
    this.sentEvents += fresh.length;
    const weeks = Math.floor(sim.day / 7);
    let cohorts: CohortDelta | undefined;
    // With the network sample only (a few times a second, and on the last day): a long run's
    // table costs the engine a pass over every cell each time it is read.
    if (weeks !== this.sentWeeks && (view || sim.done)) {
      // The last week sent may have been in progress: send it again.
      cohorts = sim.cohortsSince(Math.max(0, this.sentTableWeeks - 1));
      this.sentTableWeeks = cohorts.sizes.length;
      this.sentWeeks = weeks;
    }
    return { day: sim.day, days: sim.days, done: sim.done, rows, events: fresh, view: view || sim.done ? this.picture() : null, cohorts, ms };
  }

  /** One run of an experiment (an optimisation's candidate, a fit's proposal), as the CLI's workers run it. */
  job(job: RunJob): Promise<RunOutput> {
    return executeJob({ ...job, scenario: parseScenario(job.scenario) });
  }

  /**
   * Runs `scenario` to the end once per seed and returns the chosen columns and summaries;
   * `onProgress(done, total)` is called after each replication.
   */
  replicate(scenario: unknown, seeds: number[], metrics: DailyMetric[], onProgress?: (done: number, total: number) => void): Replication[] {
    const parsed = parseScenario(scenario);
    const out: Replication[] = [];
    for (const seed of seeds) {
      const sim = createSimulation({ ...parsed, seed }, { seed, maxMembers: tabLimit(parsed) });
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
