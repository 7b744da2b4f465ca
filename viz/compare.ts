/**
 * Compare mode: two or more strategies run side by side, each in its own engine worker, over N
 * replications on common seeds (`deriveSeed(base, rep)`, as the CLI's `compare` uses), drawn as
 * mean lines with 95% bands, with a table of each strategy's summary metrics and its paired
 * difference from the first strategy with a 95% interval, computed by experiments/stats.ts
 * (pure TypeScript), the same functions as the CLI's `compare`.
 */
import * as Comlink from 'comlink';
import { parseScenario, ScenarioError, withPath, type Scenario } from '../scenarios/schema.js';
import { deriveSeed } from '../engine/index.js';
import type { CompareResult, CompareRow } from '../experiments/compare.js';
import { clipInterval, HOURS_METRICS, SUMMARY_METRICS, type Better, type DailyMetric, type MetricKind, type SummaryMetric } from '../engine/metrics.js';
import { exportName, LineChart, type LineSeries, type Marker } from './charts.js';
import { downloadText } from './exporting.js';
import { compareReport } from '../experiments/report.js';
import type { CompareSetup } from './share.js';
import { markersOf } from './dashboard.js';
import { mean, meanInterval, pairedDifference, sd, tQuantile } from '../experiments/stats.js';
import { DASHES, SERIES_COLORS } from './palette.js';
import { PRESETS } from './presets.js';
import { spawnEngine } from './runner.js';
import type { Replication } from './worker.js';

/** Daily metrics compared on charts, with their axis labels. */
const CHARTS: { metric: DailyMetric; title: string; yLabel: string; percent?: boolean; smooth?: boolean }[] = [
  { metric: 'members', title: 'Members', yLabel: 'members' },
  { metric: 'activeWeek', title: 'Weekly active members', yLabel: 'members' },
  { metric: 'toxicShare', title: 'Toxic share (7-day mean)', yLabel: 'share of posts', percent: true, smooth: true },
  { metric: 'meanSatisfaction', title: 'Satisfaction', yLabel: 'mean satisfaction', percent: true },
  { metric: 'answeredShare', title: 'Answered share (7-day mean)', yLabel: 'share answered', percent: true, smooth: true },
  { metric: 'coreSize', title: 'Core members', yLabel: 'members' },
];

/**
 * Trailing 7-day mean: daily shares of a few dozen posts are too noisy to compare by eye. Days
 * without a value (NaN) are left out; NaN when the week has none.
 */
export function weekMean(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i])) {
      sum += xs[i];
      n++;
    }
    if (i >= 7 && Number.isFinite(xs[i - 7])) {
      sum -= xs[i - 7];
      n--;
    }
    out[i] = n > 0 ? sum / n : NaN;
  }
  return out;
}

/**
 * Summary metrics in the table, by a name a strategist reads; their unit, better direction and
 * kind come from the engine's registry (engine/metrics.ts), as in the CLI's tables.
 */
const TABLE: { m: SummaryMetric; name: string }[] = [
  { m: 'finalMembers', name: 'Members at the end' },
  { m: 'growthRate', name: 'Growth' },
  { m: 'meanActive', name: 'Daily active members (mean)' },
  { m: 'meanToxicShare', name: 'Toxic share of posts' },
  { m: 'retentionD30', name: 'Newcomers still visiting at day 30' },
  { m: 'retentionD90', name: 'Newcomers still visiting at day 90' },
  { m: 'answeredShare', name: 'Questions answered' },
  { m: 'medianResponseHours', name: 'Median time to a first answer' },
  { m: 'postsGini', name: 'Inequality of posting (Gini)' },
  { m: 'totalChurned', name: 'Members who left' },
  { m: 'totalBanned', name: 'Members banned' },
  { m: 'managerHoursUsed', name: 'Manager hours' },
  { m: 'dead', name: 'Communities that died' },
];
/** Kinds whose values are proportions: shown as %, their differences in percentage points. */
const PROPORTION = new Set<MetricKind>(['share', 'rate']);

interface ArmForm {
  row: HTMLElement;
  name: HTMLInputElement;
  source: HTMLSelectElement;
  overrides: HTMLTextAreaElement;
}

/** Parses "path = value" lines (JSON values, bare words as strings) into overrides. */
export function parseOverrides(text: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new ScenarioError([{ path: line, message: 'expected "path = value"' }]);
    const path = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    let value: unknown = v;
    try {
      value = JSON.parse(v);
    } catch {
      // bare word: a string such as most-active
    }
    out.push([path, value]);
  }
  return out;
}

/**
 * The name a strategy goes by when none is typed: its scenario, and its overrides when they
 * are what tells it apart ("moderated-forum, moderation.strictness = 0.9"). Never "A" or "B":
 * a legend or a saved chart must say what was compared.
 */
export function armName(typed: string, source: string, overrides: string): string {
  if (typed.trim()) return typed.trim();
  const base = source || 'live scenario';
  const changes = overrides.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/^policies\./, '').replace(/\s*=\s*/, ' = '));
  return changes.length ? `${base}, ${changes.join(', ')}` : base;
}

/** Significant digits, the same for every number of the table: 113, 39.1, 0.52, 1,250. */
const num = (v: number) => (!Number.isFinite(v) ? '–' : Math.abs(v) >= 1000 ? d3format(v, 0) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)).replace(/^-(0(\.0+)?)$/, '$1');
const d3format = (v: number, digits: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
/** A value in its unit: shares and rates as percentages. */
const fmtValue = (kind: MetricKind, v: number) => (!Number.isFinite(v) ? '–' : PROPORTION.has(kind) ? `${num(v * 100)}%` : num(v));
/** A difference in its unit: differences of shares in percentage points, never "%". */
const fmtDiff = (kind: MetricKind, v: number) => (!Number.isFinite(v) ? '–' : `${v > 0 ? '+' : ''}${PROPORTION.has(kind) ? `${num(v * 100)} pp` : num(v)}`);

/** One table row's numbers: each arm's mean and interval, and each arm's paired difference from the first. */
interface TableRow {
  metric: SummaryMetric;
  name: string;
  unit: string;
  better: Better;
  kind: MetricKind;
  arms: { n: number; mean: number; low: number; high: number }[];
  diffs: { n: number; diff: number; low: number; high: number; relChange: number; significant: boolean; verdict: 'better' | 'worse' | 'different' | 'no clear difference' }[];
}

/** The table of a comparison: undefined values (NaN) are left out, `n` counts the runs that had one. */
export function compareTable(results: Replication[][]): TableRow[] {
  return TABLE.map(({ m, name }) => {
    const def = SUMMARY_METRICS[m];
    const { unit, better, kind } = def;
    const values = results.map((reps) => reps.map((r) => r.summary[m]));
    const arms = values.map((v) => {
      // meanInterval leaves undefined values (NaN) out; the interval stays within the metric's range.
      const i = meanInterval(v);
      const [low, high] = clipInterval(def, i.low, i.high);
      return { n: i.n, mean: i.mean, low, high };
    });
    const diffs = values.slice(1).map((v) => {
      // Paired on the seeds where both arms have a value.
      const d = pairedDifference(values[0], v);
      [d.ciLow, d.ciHigh] = clipInterval(def, d.ciLow, d.ciHigh, true);
      const verdict = !d.significant ? 'no clear difference' : better === 'none' ? 'different' : (d.diff > 0) === (better === 'higher') ? 'better' : 'worse';
      return { n: d.n, diff: d.diff, low: d.ciLow, high: d.ciHigh, relChange: d.relChange, significant: d.significant, verdict } as const;
    });
    return { metric: m, name, unit, better, kind, arms, diffs };
  });
}

/** The table as CSV: one line per metric and strategy, differences on the strategy's line. */
export function compareCsv(names: string[], rows: TableRow[]): string {
  const q = (t: string) => (/[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
  const n = (v: number) => (Number.isFinite(v) ? String(v) : '');
  const lines = ['metric,name,unit,better,strategy,runs,mean,low95,high95,diff_vs_first,diff_low95,diff_high95,significant,verdict'];
  for (const r of rows) {
    r.arms.forEach((a, k) => {
      const d = k > 0 ? r.diffs[k - 1] : null;
      lines.push([r.metric, q(r.name), q(r.unit), r.better, q(names[k]), String(a.n), n(a.mean), n(a.low), n(a.high), d ? n(d.diff) : '', d ? n(d.low) : '', d ? n(d.high) : '', d ? String(d.significant) : '', d ? d.verdict : ''].join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The page's replications as the CLI's compare result (experiments/compare.ts), for the report
 * of experiments/report.ts: the table's metrics, each arm against the first, paired on common seeds; hours by activity per arm.
 */
export function compareResult(names: string[], results: Replication[][]): CompareResult {
  const metrics = TABLE.map((t) => t.m);
  const rows: CompareRow[] = [];
  for (let k = 1; k < results.length; k++) {
    for (const metric of metrics) {
      const d = pairedDifference(results[0].map((r) => r.summary[metric]), results[k].map((r) => r.summary[metric]));
      [d.ciLow, d.ciHigh] = clipInterval(SUMMARY_METRICS[metric], d.ciLow, d.ciHigh, true);
      rows.push({ metric, ...(results.length > 2 ? { arm: names[k] } : {}), ...d });
    }
  }
  const hours = results.map((reps) => Object.fromEntries(['managerHoursUsed', ...HOURS_METRICS].map((m) => [m, meanInterval(reps.map((r) => r.summary[m as SummaryMetric])).mean])));
  return { arms: names, reps: results[0]?.length ?? 0, seeds: results[0]?.map((r) => r.seed) ?? [], rows, hours, failures: [] };
}

export class CompareView {
  private readonly arms: ArmForm[] = [];
  private readonly el: Record<string, HTMLElement> = {};
  private engines: ReturnType<typeof spawnEngine>[] = [];
  /** The comparison running (null when none): cancelling bumps it. */
  private running: number | null = null;
  private runs = 0;
  private last: { names: string[]; scenarios: Scenario[]; results: Replication[][]; rows: TableRow[]; setup: CompareSetup } | null = null;

  constructor(root: HTMLElement, private readonly currentScenario: () => Scenario, setup: CompareSetup | null = null, private readonly onSetup: (setup: CompareSetup) => void = () => {}) {
    root.innerHTML = `
      <section class="panel compare-setup" aria-labelledby="compare-h">
        <h2 id="compare-h">Strategies</h2>
        <p class="muted">Each strategy runs in its own worker on the same seeds, so differences come from the strategy, not from luck. Overrides are "path = value" lines, e.g. <code>policies.moderation.strictness = 0.9</code>. The setup is kept in the page's address.</p>
        <div data-id="arms" class="arms"></div>
        <div class="toolbar">
          <button type="button" data-id="add">Add strategy</button>
          <label>Replications <input data-id="reps" type="number" min="1" max="100" value="5" class="short"></label>
          <label>Days <input data-id="days" type="number" min="1" max="36500" value="180" class="short"></label>
          <label>Base seed <input data-id="seed" type="number" min="0" value="1" class="short"></label>
          <button type="button" data-id="run" class="primary" aria-keyshortcuts="Escape">Run comparison</button>
          <span data-id="progress" data-testid="compare-progress" aria-live="polite"></span>
        </div>
        <div data-id="errors" class="error" role="alert" hidden></div>
      </section>
      <div data-id="exports" class="buttons" hidden>
        <button type="button" data-id="save-report">Download report (HTML)</button>
        <button type="button" data-id="save-csv">Download table (CSV)</button>
        <button type="button" data-id="save-json">Download results (JSON)</button>
      </div>
      <div data-id="results" class="compare-results"></div>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    if (setup) this.setup(setup);
    else {
      const names = [...PRESETS.keys()];
      this.addArm('', names.includes('moderated-forum') ? 'moderated-forum' : '', '');
      this.addArm('', names.includes('unmoderated-forum') ? 'unmoderated-forum' : '', '');
    }
    this.el.add.addEventListener('click', () => {
      this.addArm('', '', '');
      this.changed();
    });
    this.el.run.addEventListener('click', () => (this.running !== null ? this.cancel() : void this.runAll()));
    for (const id of ['reps', 'days', 'seed']) this.el[id].addEventListener('change', () => this.changed());
    this.el['save-csv'].addEventListener('click', () => {
      if (!this.last) return;
      downloadText(compareCsv(this.last.names, this.last.rows), `${this.fileName()}.csv`, 'text/csv');
    });
    this.el['save-report'].addEventListener('click', () => {
      if (!this.last) return;
      const { names, scenarios, results, setup: used } = this.last;
      downloadText(compareReport({ result: compareResult(names, results), arms: names.map((name, k) => ({ name, scenario: scenarios[k] })), seed: used.seed }), `${this.fileName()}.html`, 'text/html');
    });
    this.el['save-json'].addEventListener('click', () => {
      if (!this.last) return;
      const { names, scenarios, results, rows, setup: used } = this.last;
      const json = {
        setup: used,
        strategies: names.map((name, k) => ({ name, scenario: scenarios[k], replications: results[k].map((r) => ({ seed: r.seed, summary: r.summary })) })),
        table: rows,
      };
      // NaN (an undefined value) is null in JSON, as the CLI writes it.
      downloadText(`${JSON.stringify(json, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`, `${this.fileName()}.json`, 'application/json');
    });
  }

  /** What the downloaded files are called: the strategies, the seeds and the length. */
  private fileName(): string {
    const l = this.last!;
    return exportName({ scenario: l.names.join('-vs-'), seed: `${l.setup.seed}x${l.setup.reps}`, day: l.setup.days, days: l.setup.days }, 'comparison');
  }

  /** The setup as the form shows it. */
  private current(): CompareSetup {
    const int = (id: string, fallback: number) => Math.round(Number((this.el[id] as HTMLInputElement).value)) || fallback;
    return {
      arms: this.arms.map((a) => ({ name: a.name.value, source: a.source.value, overrides: a.overrides.value })),
      reps: Math.max(1, Math.min(100, int('reps', 5))),
      days: Math.max(1, Math.min(36500, int('days', 180))),
      seed: Math.max(0, int('seed', 0)),
    };
  }

  private changed(): void {
    this.onSetup(this.current());
  }

  /** Shows `setup` in the form (a link's comparison). */
  setup(setup: CompareSetup): void {
    for (const a of this.arms) a.row.remove();
    this.arms.length = 0;
    for (const a of setup.arms) this.addArm(a.name, PRESETS.has(a.source) ? a.source : '', a.overrides);
    (this.el.reps as HTMLInputElement).value = String(setup.reps);
    (this.el.days as HTMLInputElement).value = String(setup.days);
    (this.el.seed as HTMLInputElement).value = String(setup.seed);
  }

  /** Keys in the compare view: Escape cancels a running comparison. */
  key(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.running !== null) {
      this.cancel();
      e.preventDefault();
    }
  }

  private addArm(name: string, source: string, overrides: string): void {
    if (this.arms.length >= SERIES_COLORS.length) return;
    const row = document.createElement('div');
    row.className = 'arm';
    row.style.borderLeftColor = SERIES_COLORS[this.arms.length];
    row.innerHTML = `<label>Name <input class="name"></label>
      <label>Scenario <select><option value="">current live scenario</option>${[...PRESETS.keys()].map((n) => `<option value="${n}">${n}</option>`).join('')}</select></label>
      <label class="grow">Overrides <textarea rows="2" placeholder="e.g. policies.moderation.strictness = 0.9"></textarea></label>
      <button type="button" class="small">Remove</button>`;
    const arm: ArmForm = { row, name: row.querySelector('input')!, source: row.querySelector('select')!, overrides: row.querySelector('textarea')! };
    arm.name.value = name;
    arm.source.value = source;
    arm.overrides.value = overrides;
    // Without a typed name the strategy goes by what it is; the box shows that name greyed.
    const hint = () => (arm.name.placeholder = armName('', arm.source.value, arm.overrides.value));
    hint();
    for (const input of [arm.name, arm.source, arm.overrides]) {
      input.addEventListener('change', () => {
        hint();
        this.changed();
      });
    }
    arm.overrides.addEventListener('input', hint);
    row.querySelector('button')!.addEventListener('click', () => {
      if (this.arms.length <= 2) return;
      this.arms.splice(this.arms.indexOf(arm), 1);
      row.remove();
      this.changed();
    });
    this.arms.push(arm);
    this.el.arms.append(row);
  }

  /** The scenario of each arm, or the field errors that stop the comparison. */
  private scenarios(setup: CompareSetup, names: string[]): Scenario[] {
    return setup.arms.map((arm, k) => {
      let s = arm.source ? parseScenario(PRESETS.get(arm.source)) : this.currentScenario();
      s = withPath(s, 'days', setup.days);
      for (const [path, value] of parseOverrides(arm.overrides)) {
        try {
          s = withPath(s, path, value);
        } catch (e) {
          if (e instanceof ScenarioError) throw new ScenarioError(e.issues.map((i) => ({ path: `${names[k]}: ${i.path}`, message: i.message })));
          throw e;
        }
      }
      return s;
    });
  }

  /** Stops a running comparison: its workers are ended and nothing it computed is shown. */
  cancel(): void {
    if (this.running === null) return;
    this.running = null;
    for (const e of this.engines) e.worker.terminate();
    this.engines = [];
    this.el.progress.textContent = 'cancelled';
    this.el.run.textContent = 'Run comparison';
  }

  private async runAll(): Promise<void> {
    const setup = this.current();
    const { reps, days, seed: base } = setup;
    const errors = this.el.errors;
    // The names as they were when the run started: arms may be renamed or removed meanwhile.
    const names = setup.arms.map((a) => armName(a.name, a.source, a.overrides));
    let scenarios: Scenario[];
    try {
      scenarios = this.scenarios(setup, names);
    } catch (e) {
      errors.hidden = false;
      errors.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    errors.hidden = true;
    for (const e of this.engines) e.worker.terminate();
    const run = ++this.runs;
    this.running = run;
    const seeds = Array.from({ length: reps }, (_, r) => deriveSeed(base, r));
    this.engines = scenarios.map(() => spawnEngine());
    const done = scenarios.map(() => 0);
    const progress = () => (this.el.progress.textContent = `running: ${done.reduce((a, b) => a + b, 0)} of ${reps * scenarios.length} runs done (Escape cancels)`);
    progress();
    this.el.run.textContent = 'Cancel';
    const metrics = CHARTS.map((c) => c.metric);
    try {
      const results = await Promise.all(
        scenarios.map((s, k) =>
          this.engines[k].api.replicate(s, seeds, metrics, Comlink.proxy((n: number) => {
            if (this.running !== run) return;
            done[k] = n;
            progress();
          })),
        ),
      );
      if (this.running !== run) return;
      this.el.progress.textContent = `${reps} replication${reps > 1 ? 's' : ''} × ${scenarios.length} strategies, ${days} days, common seeds from base ${base}`;
      const rows = compareTable(results);
      this.last = { names, scenarios, results, rows, setup };
      this.draw(names, scenarios, results, rows);
      this.el.exports.hidden = false;
    } catch (e) {
      if (this.running !== run) return; // cancelled: the ended workers' errors say nothing
      errors.hidden = false;
      errors.textContent = `The engine stopped: ${e instanceof Error ? e.message : String(e)}`;
      this.el.progress.textContent = '';
    } finally {
      if (this.running === run) {
        this.running = null;
        this.el.run.textContent = 'Run comparison';
        for (const e of this.engines) e.worker.terminate();
        this.engines = [];
      }
    }
  }

  private draw(typed: string[], scenarios: Scenario[], results: Replication[][], rows: TableRow[]): void {
    const names = typed.map(escapeHtml); // typed by the user, written into the table's HTML
    const out = this.el.results;
    out.replaceChildren();
    const table = document.createElement('table');
    table.className = 'compare-table';
    table.dataset.testid = 'compare-table';
    const arrow = { higher: '↑ higher is better', lower: '↓ lower is better', none: 'neither way is better' };
    const head = `<tr><th scope="col">metric</th>${names.map((n, k) => `<th scope="col" style="border-top:4px solid ${SERIES_COLORS[k]}">${n}</th>`).join('')}${names.slice(1).map((n) => `<th scope="col">${n} − ${names[0]}</th>`).join('')}</tr>`;
    const body = rows.map((r) => {
      const cells = r.arms.map((a) => `<td>${fmtValue(r.kind, a.mean)}${Number.isFinite(a.low) ? ` <span class="ci">[${fmtValue(r.kind, a.low)}, ${fmtValue(r.kind, a.high)}]</span>` : ''}</td>`).join('');
      const diffs = r.diffs.map((d) => {
        // A relative change only for amounts (a change of a share is in pp, not "+864%").
        const rel = r.kind === 'amount' && Number.isFinite(d.relChange) ? ` <span class="rel">(${d.relChange > 0 ? '+' : ''}${(d.relChange * 100).toFixed(0)}%)</span>` : '';
        const ci = Number.isFinite(d.low) ? ` <span class="ci">[${fmtDiff(r.kind, d.low)}, ${fmtDiff(r.kind, d.high)}]</span>` : '';
        return `<td class="${d.significant ? 'sure' : ''} verdict-${d.verdict.replace(/ /g, '-')}" title="${d.verdict}">${fmtDiff(r.kind, d.diff)}${rel}${ci} <span class="verdict">${d.verdict === 'better' ? '✓ better' : d.verdict === 'worse' ? '✗ worse' : ''}</span></td>`;
      }).join('');
      return `<tr><th scope="row" title="${escapeHtml(SUMMARY_METRICS[r.metric].description)} (${r.metric})">${r.name} <span class="unit">${r.unit}, ${arrow[r.better]}</span></th>${cells}${diffs}</tr>`;
    }).join('');
    table.innerHTML = `<caption>Summary: mean over replications [95% interval]; differences are paired on common seeds (percentage points for shares), bold and marked better or worse where the interval excludes 0, as <code>community-sim compare</code> reports them.</caption><thead>${head}</thead><tbody>${body}</tbody>`;
    const charts = document.createElement('div');
    charts.className = 'charts';
    out.append(charts, table);
    // A change or shock that every strategy has is marked once, not once per strategy.
    const seen = new Map<string, { m: Marker; arms: number[] }>();
    scenarios.forEach((s, k) => {
      for (const m of markersOf(s)) {
        const key = `${m.kind}|${m.day}|${m.label}`;
        const e = seen.get(key) ?? { m, arms: [] };
        e.arms.push(k);
        seen.set(key, e);
      }
    });
    const markers = [...seen.values()].map(({ m, arms }) => (arms.length === scenarios.length ? m : { ...m, label: `${arms.map((k) => typed[k]).join(', ')}: ${m.label}` }));
    const context = () => ({ scenario: typed.join(' vs '), seed: `${this.last?.setup.seed ?? ''} (${results[0]?.length ?? 0} runs)`, day: scenarios[0].days, days: scenarios[0].days });
    for (const c of CHARTS) {
      const chart = new LineChart(charts, `compare-${c.metric}`, c.title, { yLabel: c.yLabel, percent: c.percent });
      chart.context = context;
      const series: LineSeries[] = results.map((reps, k) => {
        const cols = reps.map((r) => (c.smooth ? weekMean(r.columns[c.metric]!) : r.columns[c.metric]!));
        const len = cols[0]?.length ?? 0;
        const points = [];
        const band = [];
        for (let d = 0; d < len; d++) {
          // Runs without a value that day (NaN) are left out of its mean and band.
          const day = cols.map((col) => col[d]).filter(Number.isFinite);
          const m = mean(day);
          const half = day.length > 1 ? (tQuantile(0.975, day.length - 1) / Math.sqrt(day.length)) * sd(day) : NaN;
          points.push({ x: d, y: m });
          // Counts and shares cannot leave [0, 1] or go below 0, whatever the t interval says.
          band.push({ x: d, lo: Math.max(0, m - half), hi: c.percent ? Math.min(1, m + half) : m + half });
        }
        return { label: typed[k], color: SERIES_COLORS[k], dash: DASHES[k % DASHES.length], points, band: reps.length > 1 ? band : undefined };
      });
      chart.update(series, markers, scenarios[0].days);
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
