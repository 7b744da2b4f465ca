/**
 * The library face of the engine: create a simulation from a validated scenario, step it, run
 * it to the end, snapshot and resume it bit-identically, read its metrics and a view of its
 * members for the browser.
 */
import { ScenarioError, planSchedule, withPath, type Scenario, type ScheduledChange } from '../scenarios/schema.js';
import { Channel, Members, Stage } from './agents/members.js';
import { endBurnIn } from './agents/burn-in.js';
import { socialPass } from './agents/social.js';
import { addMember, archetypeCdf } from './agents/traits.js';
import { Collector, countByArchetype, type ArchetypeCounts } from './collector.js';
import { GrowthLimitError } from './cost.js';
import { graphSample } from './graph/analysis.js';
import { generateGraph } from './graph/generators.js';
import { inducedCsr, type WeightedCsr } from './graph/louvain.js';
import { Ties, type EdgeList } from './graph/ties.js';
import type { CohortCells, CohortTable, DailyRow, GraphSample, RunResult, RunSummary, SimEvent } from './metrics.js';
import { createPolicies } from './policies/index.js';
import type { Policy } from './policies/policy.js';
import { Streams, type Stream } from './rng.js';
import { applyShocks, shockArrivals } from './shocks.js';
import { phases, tick, type Phases } from './tick.js';
import { World } from './world.js';
import { exp, log, pow } from './numeric.js';

export const VERSION = '0.1.0';

export interface SimulationOptions {
  /** Overrides `scenario.seed`. */
  seed?: number;
  /** Initial ties when `population.graph` names a file: the caller reads the file (the engine does no I/O). */
  graph?: EdgeList;
  /**
   * Members (every one who ever joins, burn-in included) the run may hold: past it the run stops
   * with a GrowthLimitError naming the day, instead of growing until an allocation fails.
   * `membersWithin(bytes, scenario)` turns a memory budget into this limit. Default: no limit.
   */
  maxMembers?: number;
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
  /** Daily rows up to the current day, from day `from` on (default 0). */
  series(from?: number): DailyRow[];
  /** One metric column up to the current day. */
  column(name: string): Float64Array;
  summary(): RunSummary;
  cohorts(): CohortTable;
  /**
   * The cohort table's cells of calendar weeks `week` on (a live view that has the rest): costs a
   * pass over the new cells, where cohorts() is a pass over the whole table.
   */
  cohortsSince(week: number): CohortCells;
  graphSamples(): GraphSample[];
  /**
   * The events so far (schedule changes, shocks, notable moments), from the `from`-th on
   * (default 0): a caller that has read n events asks for `events(n)` and gets only the new ones,
   * a copy of those alone, where `events()` copies the whole list.
   */
  events(from?: number): SimEvent[];
  /** Everything so far, shaped like `community-sim run`'s JSON. */
  result(): RunResult;
  /**
   * Members and ties for the network view, at most `maxMembers` drawn: a stable hash sample, or
   * exactly the present members among `ids` (in that order) when the caller chose them.
   */
  view(maxMembers: number, ids?: ArrayLike<number>): GraphView;
  /**
   * Every present member's id, stage and archetype, and the ties among them, as typed-array
   * copies: for views that sample by neighbourhood or draw communities. One pass over members
   * and ties, asked for by a view (never by the tick).
   */
  tieGraph(): TieGraph;
  /** Today's members, weekly and monthly actives and weekly contributors by archetype (lurker, contributor, expert, troll). */
  byArchetype(): ArchetypeCounts;
}

/** The present members and their ties, as `tieGraph()` returns them; node i is member `ids[i]`. */
export interface TieGraph {
  day: number;
  ids: Int32Array;
  stage: Uint8Array;
  archetype: Uint8Array;
  /** The ties among present members, both directions stored, with their effective weights. */
  csr: WeightedCsr;
}


class Run implements Simulation {
  private readonly ph: Phases;
  private pending: [string, unknown][] = [];
  private samples: GraphSample[] = [];
  /** The schedule's changes by day, checked and compiled once (applying them costs only themselves). */
  private readonly plan: Map<number, ScheduledChange[]>;

  constructor(
    private readonly original: Scenario,
    private readonly w: World,
    private readonly collector: Collector,
    private readonly policies: Policy[],
  ) {
    this.ph = phases(w.streams, policies, archetypeCdf(w.scenario));
    this.plan = planSchedule(original);
  }

  get scenario(): Scenario {
    return this.w.scenario;
  }
  get seed(): number {
    return this.w.seed;
  }
  get day(): number {
    return this.w.day;
  }
  get days(): number {
    return this.w.scenario.days;
  }
  get done(): boolean {
    return this.w.day >= this.w.scenario.days;
  }
  /** Sets the member limit of a resumed run (not part of a snapshot: it belongs to the machine). */
  limitMembers(limit: number): void {
    this.w.members.limit = limit;
  }

  /** Edge visits of the social pass so far (benchmarks). */
  get edgeVisits(): number {
    return this.ph.edgeVisits;
  }

  step(n = 1): void {
    try {
      for (let k = 0; k < n && !this.done; k++) {
        tick(this.w, this.ph, this.collector, (w) => this.beforeDay(w));
        this.sampleGraph();
      }
    } catch (e) {
      throw atDay(e, this.w);
    }
  }

  /**
   * Lives the burn-in days before day 0 (engine/agents/burn-in.ts), then keeps the steady mix of
   * its members as the initial ones. For its first third the active community is kept at N, which
   * gives a first lapse rate; it is then thinned to the active share that rate implies, and kept
   * there (each lapse or departure replaced) while the rate is measured again over the second half.
   */
  burnIn(): void {
    const w = this.w;
    const n = w.initialMembers;
    const dormant = w.scenario.behaviour.dormantDays;
    const rng = w.streams.get('burn-in');
    const start = w.day;
    const thin = start + Math.ceil(-start / 3);
    const half = Math.floor(start / 2);
    let target = n;
    let lapses = 0;
    let days = 0;
    while (w.day < 0) {
      w.replacements = Math.max(0, target - activeMembers(w));
      tick(w, this.ph, this.collector, () => {});
      if (w.day > half || w.day <= thin) {
        lapses += w.today.lapsed;
        days++;
      }
      if (w.day === thin) {
        target = Math.max(1, Math.round(n / (1 + (lapses / (n * days)) * dormant)));
        dropActive(w, activeMembers(w) - target, rng);
        lapses = 0;
        days = 0;
      }
    }
    endBurnIn(w, n, days > 0 ? lapses / (target * days) : 0, rng);
  }

  run(onDay?: (day: number) => void): RunResult {
    while (!this.done) {
      this.step(1);
      onDay?.(this.w.day);
    }
    return this.result();
  }

  set(path: string, value: unknown): void {
    this.w.scenario = withPath(this.w.scenario, path, value); // validates now, throws ScenarioError
    this.pending.push([path, value]);
  }

  /** Schedule entries of the day about to start (the live changes are made already: logged). */
  private beforeDay(w: World): void {
    for (const change of this.plan.get(w.day) ?? []) {
      w.scenario = change.apply(w.scenario);
      w.log('schedule', `${change.path} set to ${JSON.stringify(change.value)}`);
    }
    for (const [path, value] of this.pending) w.log('schedule', `${path} set to ${JSON.stringify(value)} (live)`);
    this.pending = [];
  }

  /**
   * Day 0 is the starting state, reached by the burn-in and never lived as a day of the run, yet
   * the schema allows a schedule entry or a shock on it. A change on day 0 holds from the start:
   * `startingScenario` made it before the members were drawn, so the burn-in lived under it;
   * here it is logged. A shock on day 0 strikes the starting state, after the burn-in and before
   * day 0 is recorded (raiders and viral newcomers among day 0's joins). Nothing is done, and no
   * random draw made, when nothing is on day 0.
   */
  startDayZero(): void {
    const w = this.w;
    for (const change of this.plan.get(0) ?? []) w.log('schedule', `${change.path} set to ${JSON.stringify(change.value)}`);
    if (!w.scenario.shocks.some((s) => s.day === 0)) return;
    applyShocks(w);
    shockArrivals(w, this.ph.cdf);
    w.present = w.members.rosterSize;
  }

  private sampleGraph(): void {
    const every = this.w.scenario.metrics.graphEvery;
    if (every > 0 && this.w.day % every === 0) {
      const m = this.w.members;
      this.samples.push(graphSample(this.w.day, this.w.ties, m.present.subarray(0, m.count), this.w.scenario.metrics.graphSample, this.w.streams.get('graph-metrics')));
    }
  }

  series(from = 0): DailyRow[] {
    return this.collector.series(from);
  }
  column(name: string): Float64Array {
    const col = (this.collector.columns as Record<string, Float64Array>)[name];
    if (!col) throw new Error(`engine: no daily metric named "${name}"`);
    return col.slice(0, this.w.day + 1);
  }
  summary(): RunSummary {
    return this.collector.summary(this.w);
  }
  cohorts(): CohortTable {
    return this.collector.cohorts();
  }
  cohortsSince(week: number): CohortCells {
    return this.collector.cohortsSince(week);
  }
  graphSamples(): GraphSample[] {
    return this.samples.slice();
  }
  events(from = 0): SimEvent[] {
    return this.w.events.slice(from);
  }

  result(): RunResult {
    return {
      scenario: this.original,
      seed: this.w.seed,
      version: VERSION,
      series: this.series(),
      summary: this.summary(),
      cohorts: this.cohorts(),
      graph: this.graphSamples(),
      events: this.events(),
    };
  }

  byArchetype(): ArchetypeCounts {
    return countByArchetype(this.w.members, this.w.day);
  }

  view(maxMembers: number, ids?: ArrayLike<number>): GraphView {
    const w = this.w;
    const m = w.members;
    let total = 0;
    for (let i = 0; i < m.count; i++) total += m.present[i];
    // a stable sample: a member is drawn when a hash of its id falls below the drawn share, so
    // the same members stay on screen from day to day and the force layout does not jump
    const share = total > maxMembers ? maxMembers / total : 1;
    const removed = new Set<number>();
    for (let k = 0; k < w.feed.count; k++) if (w.feed.removed[k]) removed.add(w.feed.author[k]);
    const index = new Map<number, number>();
    const members: MemberView[] = [];
    const add = (i: number) => {
      index.set(i, members.length);
      members.push({
        id: i, stage: m.stage[i], archetype: m.archetype[i], activity: m.activity[i], satisfaction: m.satisfaction[i],
        tenure: w.day - m.joinDay[i], contribs: m.contribs[i], toxicToday: m.toxicToday[i] === 1, removedToday: removed.has(i),
        expert: m.expert[i] === 1, alignment: m.alignment[i], sensitivity: m.sensitivity[i], expertise: m.expertise[i], identity: m.identity[i],
      });
    };
    if (ids) {
      for (let k = 0; k < ids.length && members.length < maxMembers; k++) {
        const i = ids[k];
        if (i >= 0 && i < m.count && m.present[i] && !index.has(i)) add(i);
      }
    } else {
      for (let i = 0; i < m.count && members.length < maxMembers; i++) {
        if (!m.present[i] || (share < 1 && hashUnit(i) >= share)) continue;
        add(i);
      }
    }
    const links: GraphView['links'] = [];
    const t = w.ties;
    for (const [id, a] of index) {
      for (let e = t.start[id]; e < t.start[id] + t.len[id]; e++) {
        const b = index.get(t.nbr[e]);
        if (b !== undefined && b > a) links.push({ source: a, target: b, weight: t.wt[e] * t.scale });
      }
    }
    return { day: w.day, total, members, links };
  }

  tieGraph(): TieGraph {
    const m = this.w.members;
    let n = 0;
    for (let i = 0; i < m.count; i++) n += m.present[i];
    const ids = new Int32Array(n);
    const stage = new Uint8Array(n);
    const archetype = new Uint8Array(n);
    for (let i = 0, k = 0; i < m.count; i++) {
      if (!m.present[i]) continue;
      ids[k] = i;
      stage[k] = m.stage[i];
      archetype[k++] = m.archetype[i];
    }
    return { day: this.w.day, ids, stage, archetype, csr: inducedCsr(this.w.ties, m.present, ids) };
  }

  snapshot(): Snapshot {
    const w = this.w;
    return structuredClone({
      version: VERSION,
      scenario: w.scenario,
      seed: w.seed,
      day: w.day,
      state: {
        original: this.original,
        members: w.members.save(),
        ties: w.ties.save(w.members.count),
        streams: w.streams.save(),
        collector: this.collector.save(),
        lifetime: { ...w.lifetime, responseHist: w.lifetime.responseHist.slice() },
        queue: linearQueue(w),
        manager: { present: w.manager.present, flood: w.manager.flood },
        climate: { ...w.climate },
        lastVisitors: w.lastVisitors.slice(0, w.lastVisitorCount),
        events: w.events,
        initialMembers: w.initialMembers,
        policies: this.policies.map((p) => p.save?.()),
        samples: this.samples,
        edgeVisits: this.ph.edgeVisits,
        told: [...this.ph.told],
        pending: this.pending,
      } satisfies SavedState,
    });
  }

  static resume(snap: Snapshot): Run {
    if (snap.version !== VERSION) throw new Error(`engine: snapshot of version ${snap.version} cannot resume in ${VERSION}`);
    const st = snap.state as SavedState;
    const members = Members.restore(st.members);
    const ties = Ties.restore(st.ties, members.capacity);
    const w = new World(snap.scenario, snap.seed, Streams.restore(snap.seed, st.streams), members, ties);
    w.day = snap.day;
    w.initialMembers = st.initialMembers;
    Object.assign(w.lifetime, st.lifetime);
    w.lifetime.responseHist = Float64Array.from(st.lifetime.responseHist);
    for (let k = 0; k < st.queue.ids.length; k++) w.queue.push(st.queue.ids[k], st.queue.days[k], st.queue.at[k]);
    w.present = members.rosterSize;
    w.manager.present = st.manager.present;
    w.manager.flood = st.manager.flood;
    Object.assign(w.climate, st.climate);
    w.lastVisitors = Int32Array.from(st.lastVisitors.length ? st.lastVisitors : [0]);
    w.lastVisitorCount = st.lastVisitors.length;
    w.events.push(...st.events);
    const policies = createPolicies();
    policies.forEach((p, k) => p.restore?.(st.policies[k]));
    const run = new Run(st.original, w, Collector.restore(snap.scenario.days, st.collector), policies);
    run.samples = st.samples.slice();
    run.ph.edgeVisits = st.edgeVisits;
    for (const [k, v] of st.told) run.ph.told.set(k, v);
    run.pending = (st.pending ?? []).slice(); // set() since the last step: logged when the next day starts
    return run;
  }
}

interface SavedState {
  original: Scenario;
  members: ReturnType<Members['save']>;
  ties: ReturnType<Ties['save']>;
  streams: Record<string, Int32Array>;
  collector: ReturnType<Collector['save']>;
  lifetime: Omit<World['lifetime'], 'reset'>;
  queue: { ids: Int32Array; days: Int32Array; at: Float64Array };
  manager: { present: number; flood: number };
  climate: World['climate'];
  lastVisitors: Int32Array;
  events: SimEvent[];
  initialMembers: number;
  policies: unknown[];
  samples: GraphSample[];
  edgeVisits: number;
  told: [string, number][];
  /** Live changes (`set`) not yet logged; absent in snapshots taken before it was kept. */
  pending?: [string, unknown][];
}

function linearQueue(w: World): { ids: Int32Array; days: Int32Array; at: Float64Array } {
  const q = w.queue;
  const ids = new Int32Array(q.size);
  const days = new Int32Array(q.size);
  const at = new Float64Array(q.size);
  for (let k = 0; k < q.size; k++) {
    ids[k] = q.idAt(k);
    days[k] = q.dayAt(k);
    at[k] = q.timeAt(k);
  }
  return { ids, days, at };
}

/** Present members who have not lapsed (the burn-in keeps their number). */
function activeMembers(w: World): number {
  const m = w.members;
  let n = 0;
  for (let k = 0; k < m.rosterSize; k++) {
    const i = m.roster[k];
    n += m.present[i] && !m.lapsed[i] ? 1 : 0;
  }
  return n;
}

/** Takes `count` random active members out (the burn-in thinning to its steady active share). */
function dropActive(w: World, count: number, rng: Stream): void {
  const m = w.members;
  const ids: number[] = [];
  for (let k = 0; k < m.rosterSize; k++) {
    const i = m.roster[k];
    if (m.present[i] && !m.lapsed[i]) ids.push(i);
  }
  for (let k = 0; k < count && k < ids.length; k++) {
    const j = k + rng.int(ids.length - k);
    const i = ids[j];
    ids[j] = ids[k];
    m.present[i] = 0;
    m.stage[i] = Stage.Churned;
  }
  m.compact();
}

function hashUnit(i: number): number {
  return (Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 0) / 4294967296;
}

/**
 * Creates a simulation at day 0: the initial members with their traits, the initial graph
 * (generated, or `options.graph` read from a file by the caller) and the first row of metrics.
 */
export function createSimulation(original: Scenario, options: SimulationOptions = {}): Simulation {
  const scenario = startingScenario(original);
  const seed = (options.seed ?? scenario.seed) >>> 0;
  const pop = scenario.population;
  const graphSpec = pop.graph;
  if ('file' in graphSpec && !options.graph) {
    throw new ScenarioError([{ path: 'population.graph.file', message: 'expected the caller to read the graph file and pass it as options.graph (the engine does no I/O)' }]);
  }
  const n0 = options.graph ? options.graph.nodes : pop.initialMembers;
  const streams = new Streams(seed);
  const limit = options.maxMembers ?? Infinity;
  if (n0 > limit) throw new GrowthLimitError(limit, 0, n0);
  const members = new Members(Math.max(1024, Math.ceil(Math.min(n0 * 1.25, limit))));
  members.limit = limit;
  const meanDegree = 'generator' in graphSpec ? graphSpec.meanDegree : 6;
  const ties = new Ties(members.capacity, Math.max(8192, Math.ceil(n0 * (meanDegree + 2) * 1.5)));
  const w = new World(scenario, seed, streams, members, ties);
  // the burn-in (engine/agents/burn-in.ts) runs on days -burnInDays + 1 to 0
  const burnIn = n0 > 0 ? pop.burnInDays : 0;
  w.day = -burnIn;
  const cdf = archetypeCdf(scenario);
  const rng = streams.get('population');
  for (let i = 0; i < n0; i++) addMember(w, rng, Channel.Initial, -1, -1, cdf);
  w.initialMembers = n0;
  w.present = n0;
  const edges = options.graph ?? ('generator' in graphSpec ? generateGraph(graphSpec.generator, n0, graphSpec.meanDegree, graphSpec.rewire, streams.get('graph')) : undefined);
  if (edges) {
    ties.addEdges(edges, 0, scenario.behaviour.ties.initial);
    // blocks grown edge by edge lie scattered through the slab; packed in id order, the daily
    // pass walks them as fast as a bare CSR (bench/RESULTS.md, "Ties and graph structure")
    ties.prune(0, members.present, n0);
  }
  // the initial members were coming and going before they were drawn. Each was last seen a
  // number of days ago drawn from their own visit propensity (geometric), so weekly and monthly
  // actives start near their natural level. Those seen on the last day seed the social pull.
  let around = 0;
  const seen = new Int32Array(Math.max(1, n0));
  const dormant = scenario.behaviour.dormantDays;
  const habitWeight = scenario.behaviour.visits.habit;
  for (let i = 0; i < n0; i++) {
    const p = 1 / (1 + exp(-(members.visitBase[i] + habitWeight * members.habit[i])));
    // truncated to the last dormantDays - 1 days: anyone absent longer had already left
    const u = rng.next() * (1 - pow(1 - p, dormant - 1));
    const ago = Math.min(dormant - 2, Math.floor(log(1 - u) / log(1 - p)));
    members.lastVisit[i] = w.day - Math.max(0, ago);
    if (ago <= 0) {
      members.visited[i] = 1;
      seen[around++] = i;
    }
  }
  w.lastVisitors = seen;
  w.lastVisitorCount = around;
  // the community was alive before: about one item a day per fifty members (the burn-in then
  // finds its own level)
  w.climate.lastItems = n0 / 50;
  w.climate.visible = n0 / 50;
  socialPass(w);
  for (let i = 0; i < n0; i++) members.visited[i] = 0;
  const policies = createPolicies();
  const collector = new Collector(scenario.days);
  const run = new Run(original, w, collector, policies);
  for (const p of policies) p.init?.(w, streams.get(`policy:${p.name}`));
  try {
    if (burnIn > 0) run.burnIn();
    run.startDayZero();
  } catch (e) {
    throw atDay(e, w);
  }
  collector.collect(w);
  return run;
}

/** The scenario with its day-0 schedule entries made: in force from the start, burn-in included. */
function startingScenario(scenario: Scenario): Scenario {
  const changes = planSchedule(scenario).get(0);
  return changes ? changes.reduce((s, c) => c.apply(s), scenario) : scenario;
}

/** A GrowthLimitError from deep in a day, with the day and the members present named. */
function atDay(e: unknown, w: World): unknown {
  return e instanceof GrowthLimitError ? new GrowthLimitError(e.limit, w.day, w.present) : e;
}

/** A simulation continuing exactly where `snapshot` was taken (`options.maxMembers` as in createSimulation). */
export function resumeSimulation(snapshot: Snapshot, options: Pick<SimulationOptions, 'maxMembers'> = {}): Simulation {
  const run = Run.resume(snapshot);
  run.limitMembers(options.maxMembers ?? Infinity);
  return run;
}

/** Creates a simulation and runs it to the end. */
export function runScenario(scenario: Scenario, options: SimulationOptions = {}): RunResult {
  return createSimulation(scenario, options).run();
}

export { Stage };
