/**
 * A live run on the page's side: owns one engine worker (viz/worker.ts) and keeps what it has
 * streamed so far (rows, events, the latest graph sample and cohorts). Play asks the worker for
 * a few days at a time at the chosen speed; at full speed the worker fills a time budget per
 * frame, so the page gets a frame every ~30 ms and never waits on the engine.
 */
import * as Comlink from 'comlink';
import { parseScenario, type Scenario } from '../scenarios/schema.js';
import type { CohortTable, DailyRow, SimEvent } from '../engine/metrics.js';
import type { NetworkPicture, NetworkRequest } from './network-sample.js';
import type { CohortDelta, Frame, RunnerApi } from './worker.js';

/** Applies `delta` to `table` in place (the page's copy of the worker's cohort table). */
export function applyCohortDelta(table: CohortTable, delta: CohortDelta): void {
  table.sizes = delta.sizes;
  delta.cells.forEach((cells, c) => {
    const row = (table.share[c] ??= []);
    row.length = delta.from[c];
    for (const v of cells) row.push(v);
  });
}

/** A new engine worker (compare mode keeps one per strategy). */
export function spawnEngine(): { worker: Worker; api: Comlink.Remote<RunnerApi> } {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'community-sim engine' });
  return { worker, api: Comlink.wrap<RunnerApi>(worker) };
}

/** Speeds offered, in days per second; Infinity is "as fast as the engine goes". */
export const SPEEDS = [1, 3, 10, 30, 100, Infinity];

export class LiveRun {
  scenario: Scenario;
  rows: DailyRow[] = [];
  events: SimEvent[] = [];
  view: NetworkPicture | null = null;
  cohorts: CohortTable = { sizes: [], share: [] };
  day = 0;
  days = 0;
  done = false;
  playing = false;
  speed = 30;
  /** The last error of the engine, shown by the page. */
  error: string | null = null;
  /**
   * Engine time a frame at full speed, ms. A view that draws sparsely asks for longer frames:
   * each frame has a fixed cost on both sides (rows and messages, the day shown, a compositor
   * frame) that no drawing saves.
   */
  frameMs = 80;
  /** Longest time the worker took for one frame, ms (at full speed it is the budget). */
  lastFrameMs = 0;
  /**
   * Whether the next frame should carry a network sample (a pass over every member in the
   * worker, ~14 ms at 6,000 members); by default ~4 times a second, as often as the charts are
   * drawn (the layout animates in between). The page sets this to what it draws.
   */
  wantView: () => boolean = () => performance.now() - this.viewAt > 250;
  private viewAt = -Infinity;
  /** Cohort rows changed by the last frames (the heatmap paints only these; cleared by the reader). */
  cohortsChanged = true;
  private readonly engine = spawnEngine();
  private generation = 0;
  /** Plays started: a loop left from an earlier play stops when it sees a newer one. */
  private plays = 0;
  private readonly listeners = new Set<(run: LiveRun) => void>();

  constructor(scenario: Scenario, private readonly maxMembers = 400) {
    this.scenario = scenario;
  }

  /** Calls `fn` after every frame, load and reset. */
  onChange(fn: (run: LiveRun) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Like onChange, but at most once per animation frame: for listeners that draw. */
  onFrame(fn: (run: LiveRun) => void): () => void {
    let pending = false;
    return this.onChange(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        fn(this);
      });
    });
  }

  private emit(): void {
    for (const fn of this.listeners) fn(this);
  }

  private apply(frame: Frame, generation: number): void {
    if (generation !== this.generation) return; // a frame of a run that was reset meanwhile
    this.rows.push(...frame.rows);
    this.events.push(...frame.events);
    if (frame.view) {
      this.view = frame.view;
      this.viewAt = performance.now();
    }
    if (frame.cohorts) {
      applyCohortDelta(this.cohorts, frame.cohorts);
      this.cohortsChanged = true;
    }
    this.day = frame.day;
    this.days = frame.days;
    this.done = frame.done;
    this.lastFrameMs = frame.ms;
    if (frame.done) this.playing = false;
    this.emit();
  }

  private fail(e: unknown): void {
    this.playing = false;
    this.error = e instanceof Error ? e.message : String(e);
    this.emit();
  }

  /** Starts `scenario` afresh at day 0 (paused); resolves with the new run's generation. */
  async load(scenario: Scenario = this.scenario): Promise<number> {
    this.playing = false;
    const generation = ++this.generation;
    this.scenario = scenario;
    // New arrays, not emptied ones: readers tell a new run by the identity of its arrays.
    this.rows = [];
    this.events = [];
    this.cohorts = { sizes: [], share: [] };
    this.cohortsChanged = true;
    this.error = null;
    // At once, not when the engine answers: a Step right after Reset is for the new run (the
    // worker takes messages in order, so it runs after the load).
    this.day = 0;
    this.done = false;
    try {
      this.apply(await this.engine.api.load(scenario, this.maxMembers), generation);
    } catch (e) {
      this.fail(e);
    }
    return generation;
  }

  /** Restarts with `scenario` and simulates back to the current day (after an edit of the schedule or shocks). */
  async rebuild(scenario: Scenario): Promise<void> {
    const wasPlaying = this.playing;
    const generation = await this.loadAt(scenario, this.day);
    if (wasPlaying && generation === this.generation) this.play();
  }

  /** Starts `scenario` afresh and simulates to `day` (a link that says how far its run had got). */
  async loadAt(scenario: Scenario, day: number): Promise<number> {
    const generation = await this.load(scenario);
    // A reset or another load while this one was on its way: that run is not to be advanced.
    if (generation !== this.generation || day <= 0) return generation;
    try {
      this.apply(await this.engine.api.advanceTo(Math.min(day, scenario.days)), generation);
    } catch (e) {
      this.fail(e);
    }
    return generation;
  }

  play(): void {
    if (this.playing || this.done) return;
    this.playing = true;
    this.emit();
    // A loop paused and played again within one frame would still be waiting for that frame:
    // each play gets its own token, and only the newest loop goes on.
    void this.loop(this.generation, ++this.plays);
  }

  pause(): void {
    this.playing = false;
    this.emit();
    // Frames drawn sparsely carried no network sample: fetch today's for the paused page.
    if (this.view && this.view.day !== this.day) void this.peek();
  }

  private async peek(): Promise<void> {
    const generation = this.generation;
    try {
      this.apply(await this.engine.api.peek(), generation);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Changes what the network view draws (sample, how many, communities) and fetches it at once. */
  async drawNetwork(request: NetworkRequest): Promise<void> {
    const generation = this.generation;
    try {
      this.apply(await this.engine.api.drawNetwork(request), generation);
    } catch (e) {
      this.fail(e);
    }
  }

  /** One day. */
  async step(): Promise<void> {
    this.playing = false;
    await this.advance(1);
  }

  /** `days` more days in one go (the trainer's panels advance in lock-step this way). */
  async advance(days: number): Promise<void> {
    if (this.done) return;
    const generation = this.generation;
    try {
      this.apply(await this.engine.api.advance(days, Infinity), generation);
    } catch (e) {
      this.fail(e);
    }
  }

  private async loop(generation: number, play: number): Promise<void> {
    while (this.playing && generation === this.generation && play === this.plays && !this.done) {
      if (!Number.isFinite(this.speed)) {
        await this.race(generation, play);
        continue; // the speed was changed: go on at the new pace
      }
      const started = performance.now();
      // Finite speeds: frames of at least 40 ms carrying speed x 40 ms worth of days.
      const interval = Math.max(40, 1000 / this.speed);
      const days = Math.max(1, Math.round((this.speed * interval) / 1000));
      try {
        this.apply(await this.engine.api.advance(days, 30, this.wantView()), generation);
      } catch (e) {
        this.fail(e);
        return;
      }
      const wait = Math.max(0, interval - (performance.now() - started));
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * Full speed: the next frame is asked for before this one is applied, so the engine works
   * while the page draws (a strict request/response loop left the worker idle during drawing
   * and made the page, not the engine, set the pace). Returns when paused, reset, done or the
   * speed became finite; a frame already asked for is still applied (the engine did those days).
   */
  private async race(generation: number, play: number): Promise<void> {
    // 80 ms of engine a frame by default (frameMs): frames come ~12 times a second, plenty for
    // a day counter and for charts drawn a few times a second, and each frame's fixed cost
    // (messages, the page's bookkeeping) is paid less often than at 30 ms; Pause still answers
    // within a frame.
    const ask = () => this.engine.api.advance(100_000, this.frameMs, this.wantView());
    let pending: Promise<Frame> | null = ask();
    while (pending) {
      let frame: Frame;
      try {
        frame = await pending;
      } catch (e) {
        this.fail(e);
        return;
      }
      const goOn = this.playing && generation === this.generation && play === this.plays && !frame.done && !Number.isFinite(this.speed);
      pending = goOn ? ask() : null;
      this.apply(frame, generation);
      // Let the page's events and frames in between two frames of the engine.
      if (pending) await new Promise((r) => setTimeout(r, 0));
    }
  }

  /**
   * Changes a lever. Before the run starts (or after it ended) it restarts with the changed
   * scenario; during a run it takes effect from the next day of the engine (which may be a frame
   * ahead of the page) and `scenarioAt(day)` records it as of that day, so a reset or a shared
   * link replays it exactly.
   */
  async set(path: string, value: unknown, scenarioAt: (lastDay: number) => Scenario): Promise<void> {
    if ((this.day === 0 && !this.playing) || this.done) {
      await this.load(scenarioAt(0));
      return;
    }
    try {
      this.scenario = scenarioAt(await this.engine.api.set(path, value));
    } catch (e) {
      this.fail(e);
    }
    this.emit();
  }

  /**
   * A shock from the next day of the engine on (`shock` without its day); the scenario records
   * it on that day, so a restart or a link replays it.
   */
  async shockNow(shock: Record<string, unknown>): Promise<void> {
    if (this.done) return;
    try {
      const day = await this.engine.api.shockNow(shock);
      this.scenario = parseScenario({ ...this.scenario, shocks: [...this.scenario.shocks, { ...shock, day: day + 1 }] });
    } catch (e) {
      this.fail(e);
    }
    this.emit();
  }

  dispose(): void {
    this.generation++;
    this.playing = false;
    this.engine.worker.terminate();
  }
}
