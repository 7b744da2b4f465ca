/**
 * The charts of one run, fed from what a LiveRun has streamed: members and active members,
 * toxic share, cohort retention, engagement, answered share, response time, satisfaction,
 * manager hours against capacity and participation inequality. Which charts a dashboard shows
 * is chosen by id (the trainer's panels show fewer, larger ones).
 */
import type { Scenario } from '../scenarios/schema.js';
import type { DailyMetric, DailyRow } from '../engine/metrics.js';
import { CohortHeatmap, InequalityChart, LineChart, type LineSeries, type Marker } from './charts.js';
import type { LiveRun } from './runner.js';
import { DASHES, OKABE_ITO } from './palette.js';

/** Policy changes and shocks of a scenario, as markers for the time axes. */
export function markersOf(scenario: Scenario): Marker[] {
  const out: Marker[] = [];
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
  /** The value on day index `i`, given every row so far. */
  value: (rows: readonly DailyRow[], i: number) => number;
}

interface LineSpec {
  id: string;
  title: string;
  yLabel: string;
  percent?: boolean;
  yMax?: number;
  series: SeriesSpec[];
}

const col = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => rows[i][k];
/** Visits are counted from day 1: day 0 is the starting state, before anyone visited. */
const visits = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => (rows[i].day === 0 ? NaN : rows[i][k]);
const perActive = (k: DailyMetric) => (rows: readonly DailyRow[], i: number) => (rows[i].active > 0 ? rows[i][k] / rows[i].active : NaN);
/**
 * Mean of `k` over the last 7 days weighted by `w` (questions for the answered share): a day
 * with two questions swings between 0% and 100%, a week does not. NaN when no weight.
 */
const weekly = (k: DailyMetric, w: DailyMetric) => (rows: readonly DailyRow[], i: number) => {
  let sum = 0;
  let n = 0;
  for (let j = Math.max(0, i - 6); j <= i; j++) {
    sum += rows[j][k] * rows[j][w];
    n += rows[j][w];
  }
  return n > 0 ? sum / n : NaN;
};

/** The time-series charts, by id. */
export const LINE_CHARTS: LineSpec[] = [
  { id: 'members', title: 'Members and active members', yLabel: 'members', series: [
    { label: 'members', color: OKABE_ITO.blue, value: col('members') },
    { label: 'weekly active', color: OKABE_ITO.green, value: visits('activeWeek') },
    { label: 'daily active', color: OKABE_ITO.orange, value: visits('active') },
  ] },
  { id: 'toxicity', title: 'Toxic share', yLabel: 'share of items', percent: true, series: [
    { label: 'of posts and replies', color: OKABE_ITO.vermillion, value: col('toxicShare') },
    { label: 'of items read', color: OKABE_ITO.purple, value: col('toxicSeenShare') },
  ] },
  { id: 'engagement', title: 'Engagement', yLabel: 'per active member a day', series: [
    { label: 'posts', color: OKABE_ITO.blue, value: perActive('posts') },
    { label: 'replies', color: OKABE_ITO.green, value: perActive('replies') },
    { label: 'reactions', color: OKABE_ITO.orange, value: perActive('reactions') },
  ] },
  { id: 'answered', title: 'Answered share (7-day mean)', yLabel: 'share answered', percent: true, yMax: 1, series: [
    { label: 'answered share of questions', color: OKABE_ITO.green, value: weekly('answeredShare', 'questions') },
  ] },
  { id: 'response', title: 'Response time (7-day mean)', yLabel: 'hours to first answer', series: [
    { label: 'median hours to a first answer', color: OKABE_ITO.blue, value: weekly('medianResponseHours', 'answered') },
  ] },
  { id: 'satisfaction', title: 'Satisfaction', yLabel: 'mean satisfaction', percent: true, yMax: 1, series: [
    { label: 'mean satisfaction', color: OKABE_ITO.blue, value: col('meanSatisfaction') },
  ] },
  { id: 'manager', title: 'Manager hours against capacity', yLabel: 'hours a day', series: [
    { label: 'hours used', color: OKABE_ITO.vermillion, value: col('managerHoursUsed') },
    { label: 'capacity', color: OKABE_ITO.black, value: col('managerHours') },
  ] },
];

export const ALL_CHARTS = ['members', 'toxicity', 'cohorts', 'engagement', 'answered', 'response', 'satisfaction', 'manager', 'inequality'];

/**
 * The charts of one run. Drawing is time-sliced: `update` only marks the charts stale, and each
 * animation frame redraws stale charts until ~8 ms are spent, so a run at full speed never
 * holds the main thread for long; a chart is at most a frame or two behind.
 */
export class Dashboard {
  private readonly charts: { id: string; draw: (run: LiveRun) => void }[] = [];
  private stale = new Set<number>();
  private next = 0;
  private run: LiveRun | null = null;
  private frame = 0;
  readonly root: HTMLElement;

  /**
   * `peers`, when given, lists runs whose charts sit side by side: line charts then share the
   * top of their y axis, so 25% on one side is not drawn as high as 100% on the other.
   */
  constructor(parent: HTMLElement, ids: string[] = ALL_CHARTS, height?: number, peers?: () => LiveRun[]) {
    this.root = document.createElement('div');
    this.root.className = 'charts';
    parent.append(this.root);
    for (const id of ids) {
      if (id === 'cohorts') {
        const chart = new CohortHeatmap(this.root);
        this.charts.push({ id, draw: (run) => chart.update(run.cohorts.share, run.cohorts.sizes, markersOf(run.scenario)) });
      } else if (id === 'inequality') {
        const chart = new InequalityChart(this.root);
        this.charts.push({ id, draw: (run) => run.view && chart.update(run.view.members.map((m) => m.contribs), run.view.total) });
      } else {
        const spec = LINE_CHARTS.find((s) => s.id === id);
        if (!spec) throw new Error(`viz/dashboard: no chart "${id}"`);
        const chart = new LineChart(this.root, spec.id, spec.title, { yLabel: spec.yLabel, percent: spec.percent, yMax: spec.yMax, height });
        this.charts.push({
          id,
          draw: (run) => {
            const series: LineSeries[] = spec.series.map((s, i) => ({
              label: s.label,
              color: s.color,
              dash: DASHES[i % DASHES.length],
              points: run.rows.map((r, k) => ({ x: r.day, y: s.value(run.rows, k) })),
            }));
            let top = 0;
            for (const peer of peers?.() ?? []) {
              for (const sp of spec.series) {
                for (let k = 0; k < peer.rows.length; k++) {
                  const v = sp.value(peer.rows, k);
                  if (v > top) top = v;
                }
              }
            }
            chart.update(series, markersOf(run.scenario), run.days || run.scenario.days, top);
          },
        });
      }
    }
  }

  /** Marks every chart stale; they redraw over the next frames. */
  update(run: LiveRun): void {
    this.run = run;
    this.charts.forEach((_, i) => this.stale.add(i));
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const run = this.run;
    if (!run) return;
    const t0 = performance.now();
    while (this.stale.size && performance.now() - t0 < 8) {
      // Round-robin from where the last frame stopped, so every chart gets its turn.
      for (let k = 0; k < this.charts.length; k++) {
        const i = (this.next + k) % this.charts.length;
        if (!this.stale.has(i)) continue;
        this.stale.delete(i);
        this.next = (i + 1) % this.charts.length;
        this.charts[i].draw(run);
        break;
      }
    }
    if (this.stale.size) this.frame = requestAnimationFrame(() => this.flush());
  }
}
