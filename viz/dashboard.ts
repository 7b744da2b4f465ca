/**
 * The charts of one run, fed from what a LiveRun has streamed: members and active members,
 * toxic share, cohort retention, engagement, answered share, response time, satisfaction,
 * manager hours against capacity and participation inequality. Which charts a dashboard shows
 * is chosen by id (the trainer's panels show fewer, larger ones).
 */
import type { Scenario } from '../scenarios/schema.js';
import { DAILY_METRICS, type DailyMetric, type DailyRow } from '../engine/metrics.js';
import { CohortHeatmap, InequalityChart, LineChart, type ChartContext, type LinePoint, type LineSeries, type Marker } from './charts.js';
import type { LiveRun } from './runner.js';
import { DASHES, OKABE_ITO } from './palette.js';

const markerCache = new WeakMap<Scenario, Marker[]>();

/** Policy changes and shocks of a scenario, as markers for the time axes (one list per scenario object). */
export function markersOf(scenario: Scenario): Marker[] {
  const cached = markerCache.get(scenario);
  if (cached) return cached;
  const out: Marker[] = [];
  markerCache.set(scenario, out);
  for (const e of scenario.schedule) {
    const what = Object.entries(e.set).map(([p, v]) => `${p.replace(/^policies\./, '')} = ${JSON.stringify(v)}`).join(', ');
    out.push({ day: e.day, kind: 'schedule', label: what });
  }
  for (const s of scenario.shocks) out.push({ day: s.day, kind: 'shock', label: s.type });
  return out;
}

interface SeriesSpec {
  label: string;
  color: string;
  /** The value on day index `i`, given every row so far (NaN: undefined that day, drawn as a gap). */
  value: (rows: readonly DailyRow[], i: number) => number;
  /** The 7-day mean on day index `i`, for flows that swing from day to day; stocks have none. */
  mean?: (rows: readonly DailyRow[], i: number) => number;
}

interface LineSpec {
  id: string;
  title: string;
  /** The metric whose registry entry (engine/metrics.ts) says which way is better and what it counts. */
  metric?: DailyMetric;
  yLabel: string;
  percent?: boolean;
  yMax?: number;
  series: SeriesSpec[];
}

const finite = (v: number) => Number.isFinite(v);
const col = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => rows[i][k];
/** Visits are counted from day 1: day 0 is the starting state, before anyone visited. */
const visits = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => (rows[i].day === 0 ? NaN : rows[i][k]);
const perActive = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => (rows[i].active > 0 ? rows[i][k] / rows[i].active : NaN);
/**
 * Mean of `k` over the last 7 days weighted by `w` (questions for the answered share): a day
 * with two questions swings between 0% and 100%, a week does not. Days without a value (NaN)
 * are left out; NaN when no day has one.
 */
const weekly = (k: DailyMetric, w: (r: DailyRow) => number) => (rows: readonly DailyRow[], i: number) => {
  let sum = 0;
  let n = 0;
  for (let j = Math.max(0, i - 6); j <= i; j++) {
    const v = rows[j][k];
    const wt = w(rows[j]);
    if (!finite(v) || !(wt > 0)) continue;
    sum += v * wt;
    n += wt;
  }
  return n > 0 ? sum / n : NaN;
};
const one = () => 1;
/** 7-day total of `k` over 7-day total of active members (per active member a day, smoothed). */
const weeklyPerActive = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => {
  let sum = 0;
  let n = 0;
  for (let j = Math.max(1, i - 6); j <= i; j++) {
    sum += rows[j][k];
    n += rows[j].active;
  }
  return n > 0 ? sum / n : NaN;
};
const weeklyVisits = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => (rows[i].day === 0 ? NaN : weekly(k, one)(rows, i));

/**
 * The time-series charts, by id. Colours keep one meaning across the dashboard: vermillion is
 * toxicity and nothing else; markers are greys no series uses.
 */
export const LINE_CHARTS: LineSpec[] = [
  { id: 'members', metric: 'members', title: 'Members and active members', yLabel: 'members', series: [
    { label: 'members', color: OKABE_ITO.blue, value: col('members') },
    { label: 'weekly active', color: OKABE_ITO.green, value: visits('activeWeek') },
    { label: 'daily active', color: OKABE_ITO.orange, value: visits('active'), mean: weeklyVisits('active') },
  ] },
  { id: 'toxicity', metric: 'toxicShare', title: 'Toxic share', yLabel: 'share of items', percent: true, series: [
    { label: 'of posts and replies', color: OKABE_ITO.vermillion, value: col('toxicShare'), mean: weekly('toxicShare', (r) => r.posts + r.replies) },
    { label: 'of items read', color: OKABE_ITO.purple, value: col('toxicSeenShare'), mean: weekly('toxicSeenShare', (r) => r.active) },
  ] },
  { id: 'engagement', metric: 'posts', title: 'Engagement', yLabel: 'per active member a day', series: [
    { label: 'posts', color: OKABE_ITO.blue, value: perActive('posts'), mean: weeklyPerActive('posts') },
    { label: 'replies', color: OKABE_ITO.green, value: perActive('replies'), mean: weeklyPerActive('replies') },
    { label: 'reactions', color: OKABE_ITO.orange, value: perActive('reactions'), mean: weeklyPerActive('reactions') },
  ] },
  { id: 'answered', metric: 'answeredShare', title: 'Answered share', yLabel: 'share answered', percent: true, yMax: 1, series: [
    { label: 'answered share of questions', color: OKABE_ITO.green, value: col('answeredShare'), mean: weekly('answeredShare', (r) => r.questions) },
  ] },
  { id: 'response', metric: 'medianResponseHours', title: 'Response time', yLabel: 'hours to first answer', series: [
    { label: 'median hours to a first answer', color: OKABE_ITO.blue, value: col('medianResponseHours'), mean: weekly('medianResponseHours', (r) => r.answered) },
  ] },
  { id: 'satisfaction', metric: 'meanSatisfaction', title: 'Satisfaction', yLabel: 'mean satisfaction (0-1 index)', yMax: 1, series: [
    { label: 'mean satisfaction', color: OKABE_ITO.blue, value: col('meanSatisfaction') },
  ] },
  { id: 'manager', title: 'Manager hours against capacity', yLabel: 'hours a day', series: [
    { label: 'hours used', color: OKABE_ITO.orange, value: col('managerHoursUsed'), mean: weekly('managerHoursUsed', one) },
    { label: 'capacity', color: OKABE_ITO.black, value: col('managerHours') },
  ] },
];

export const ALL_CHARTS = ['members', 'toxicity', 'cohorts', 'engagement', 'answered', 'response', 'satisfaction', 'manager', 'inequality'];

/** What a dashboard needs besides its run: how its exports name the scenario. */
export interface DashboardOptions {
  /** Chart height in px. */
  height?: number;
  /** Chart text in px. */
  fontSize?: number;
  /**
   * Runs whose charts sit side by side: line charts then share the top of their y axis, so 25%
   * on one side is not drawn as high as 100% on the other.
   */
  peers?: () => Dashboard[];
  /** The scenario's name as exports show it. */
  scenarioName?: () => string;
}

interface LineEntry {
  id: string;
  chart: LineChart;
  spec: LineSpec;
  /** Points per series, appended as rows arrive. */
  points: LinePoint[][];
  /** The rows array the points were computed from (a new array is a new run). */
  rows: readonly DailyRow[] | null;
  /** Highest value per series so far (shared scales of peer panels). */
  high: number[];
}

/**
 * The charts of one run. Drawing is incremental and time-sliced: `update` computes the points of
 * the rows that arrived since the last update and marks the charts stale; each animation frame
 * redraws stale charts until ~8 ms are spent (a chart only redraws its newest stretch), so a run
 * at full speed never holds the main thread for long and a long run does not slow down.
 */
export class Dashboard {
  private readonly charts: { id: string; chart: { setHeight(h: number): void; figure: HTMLElement }; draw: (run: LiveRun) => void }[] = [];
  /** Charts on screen: while a run plays, one scrolled away (or in a hidden view) waits until it is seen. */
  private readonly onScreen = new Set<number>();
  private readonly lines: LineEntry[] = [];
  private stale = new Set<number>();
  private next = 0;
  private run: LiveRun | null = null;
  private frame = 0;
  /** 7-day means (the default) or the raw daily values. */
  private smooth = true;
  readonly root: HTMLElement;
  private readonly toggle: HTMLButtonElement;

  constructor(parent: HTMLElement, ids: string[] = ALL_CHARTS, private readonly opts: DashboardOptions = {}) {
    this.toggle = document.createElement('button');
    this.toggle.type = 'button';
    this.toggle.className = 'small smooth-toggle';
    this.toggle.dataset.testid = 'smooth-toggle';
    this.toggle.addEventListener('click', () => this.setSmooth(!this.smooth));
    this.root = document.createElement('div');
    this.root.className = 'charts';
    parent.append(this.toggle, this.root);
    this.syncToggle();
    const chartOpts = { height: opts.height, fontSize: opts.fontSize };
    const context = (): ChartContext => {
      const run = this.run;
      return { scenario: opts.scenarioName?.() || run?.scenario.name || 'scenario', seed: run?.scenario.seed ?? '', day: run?.day ?? 0, days: run?.days || run?.scenario.days || 0 };
    };
    for (const id of ids) {
      if (id === 'cohorts') {
        const chart = new CohortHeatmap(this.root, chartOpts);
        chart.context = context;
        this.charts.push({
          id,
          chart,
          draw: (run) => {
            chart.update(run.cohorts.share, run.cohorts.sizes, markersOf(run.scenario), run.days || run.scenario.days, run.cohortsChanged);
            run.cohortsChanged = false;
          },
        });
      } else if (id === 'inequality') {
        const chart = new InequalityChart(this.root, chartOpts);
        chart.context = context;
        this.charts.push({ id, chart, draw: (run) => run.view && chart.update(run.view.contribs, run.view.total) });
      } else {
        const spec = LINE_CHARTS.find((s) => s.id === id);
        if (!spec) throw new Error(`viz/dashboard: no chart "${id}"`);
        const chart = new LineChart(this.root, spec.id, this.titleOf(spec), { yLabel: spec.yLabel, percent: spec.percent, yMax: spec.yMax, ...chartOpts });
        chart.context = context;
        if (spec.metric) {
          const def = DAILY_METRICS[spec.metric];
          chart.describe(def.better === 'none' ? '' : `${def.better === 'higher' ? '↑ higher' : '↓ lower'} is better`, def.description);
        }
        const entry: LineEntry = { id, chart, spec, points: spec.series.map(() => []), rows: null, high: spec.series.map(() => 0) };
        this.lines.push(entry);
        this.charts.push({ id, chart, draw: (run) => this.drawLine(entry, run) });
      }
    }
    const seen = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const i = this.charts.findIndex((c) => c.chart.figure === e.target);
        if (e.isIntersecting) this.onScreen.add(i);
        else this.onScreen.delete(i);
      }
      // A chart that comes into view catches up at once.
      if (this.stale.size && !this.frame) this.frame = requestAnimationFrame(() => this.flush());
    });
    for (const c of this.charts) seen.observe(c.chart.figure);
  }

  private titleOf(spec: LineSpec): string {
    return this.smooth && spec.series.some((s) => s.mean) ? `${spec.title} (7-day mean)` : spec.title;
  }

  private syncToggle(): void {
    this.toggle.textContent = this.smooth ? 'Show raw daily values' : 'Show 7-day means';
    this.toggle.setAttribute('aria-pressed', String(!this.smooth));
  }

  /** Switches between 7-day means and raw daily values (every chart is recomputed). */
  setSmooth(on: boolean): void {
    this.smooth = on;
    this.syncToggle();
    for (const e of this.lines) {
      e.rows = null;
      e.chart.retitle(this.titleOf(e.spec));
    }
    if (this.run) this.update(this.run);
  }

  /** Appends the points of rows not seen yet (all of them for a new run). */
  private catchUp(e: LineEntry, run: LiveRun): void {
    if (e.rows !== run.rows) {
      e.rows = run.rows;
      e.points = e.spec.series.map(() => []);
      e.high = e.spec.series.map(() => 0);
    }
    const rows = run.rows;
    e.spec.series.forEach((s, k) => {
      const pts = e.points[k];
      const f = this.smooth && s.mean ? s.mean : s.value;
      for (let i = pts.length; i < rows.length; i++) {
        const y = f(rows, i);
        pts.push({ x: rows[i].day, y });
        if (y > e.high[k]) e.high[k] = y;
      }
    });
  }

  private drawLine(e: LineEntry, run: LiveRun): void {
    this.catchUp(e, run);
    let top = 0;
    for (const peer of this.opts.peers?.() ?? [this]) top = Math.max(top, peer.high(e.id));
    const series: LineSeries[] = e.spec.series.map((s, k) => ({ label: s.label, color: s.color, dash: DASHES[k % DASHES.length], points: e.points[k] }));
    e.chart.update(series, markersOf(run.scenario), run.days || run.scenario.days, top);
  }

  /** Sets every chart's height (px), e.g. to fit a projector's screen. */
  setHeight(h: number): void {
    for (const c of this.charts) c.chart.setHeight(h);
  }

  /** The highest value drawn so far on chart `id` (0 when none). */
  high(id: string): number {
    const e = this.lines.find((l) => l.id === id);
    return e ? Math.max(0, ...e.high) : 0;
  }

  /** Marks every chart stale; they redraw over the next frames. */
  update(run: LiveRun): void {
    this.run = run;
    // Peers read each other's highs: keep them current even before this panel draws.
    for (const e of this.lines) this.catchUp(e, run);
    this.charts.forEach((_, i) => this.stale.add(i));
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const run = this.run;
    if (!run) return;
    const t0 = performance.now();
    // While the run plays, charts off screen are left stale (drawn when seen, or when it stops):
    // most of the live view's charts are below the fold, and drawing them was most of its work.
    const due = (i: number) => this.stale.has(i) && (!run.playing || run.done || this.onScreen.has(i));
    let drawn = true;
    while (drawn && performance.now() - t0 < 8) {
      drawn = false;
      // Round-robin from where the last frame stopped, so every chart gets its turn.
      for (let k = 0; k < this.charts.length; k++) {
        const i = (this.next + k) % this.charts.length;
        if (!due(i)) continue;
        this.stale.delete(i);
        this.next = (i + 1) % this.charts.length;
        this.charts[i].draw(run);
        drawn = true;
        break;
      }
    }
    if (this.charts.some((_, i) => due(i))) this.frame = requestAnimationFrame(() => this.flush());
  }
}
