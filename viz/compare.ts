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
import { SUMMARY_METRICS, type DailyMetric, type SummaryMetric } from '../engine/metrics.js';
import { LineChart, type LineSeries } from './charts.js';
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

/** Trailing 7-day mean: daily shares of a few dozen posts are too noisy to compare by eye. */
function weekMean(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (i >= 7) sum -= xs[i - 7];
    out[i] = sum / Math.min(i + 1, 7);
  }
  return out;
}

/** Summary metrics in the table. */
const TABLE: SummaryMetric[] = ['finalMembers', 'growthRate', 'meanActive', 'meanToxicShare', 'retentionD30', 'retentionD90', 'answeredShare', 'medianResponseHours', 'postsGini', 'totalChurned', 'totalBanned', 'managerHoursUsed', 'dead'];
const PERCENT = new Set<SummaryMetric>(['growthRate', 'meanToxicShare', 'retentionD7', 'retentionD30', 'retentionD90', 'answeredShare', 'top1PctShare', 'top10PctShare', 'lurkerShare']);

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

const fmt = (m: SummaryMetric, v: number) => (!Number.isFinite(v) ? '–' : PERCENT.has(m) ? `${(v * 100).toFixed(1)}%` : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const fmtInterval = (m: SummaryMetric, v: number, low: number, high: number) => (Number.isFinite(low) ? `${fmt(m, v)} <span class="ci">[${fmt(m, low)}, ${fmt(m, high)}]</span>` : fmt(m, v));

export class CompareView {
  private readonly arms: ArmForm[] = [];
  private readonly el: Record<string, HTMLElement> = {};
  private engines: ReturnType<typeof spawnEngine>[] = [];

  constructor(root: HTMLElement, private readonly currentScenario: () => Scenario) {
    root.innerHTML = `
      <section class="panel compare-setup" aria-labelledby="compare-h">
        <h2 id="compare-h">Strategies</h2>
        <p class="muted">Each strategy runs in its own worker on the same seeds, so differences come from the strategy, not from luck. Overrides are "path = value" lines, e.g. <code>policies.moderation.strictness = 0.9</code>.</p>
        <div data-id="arms" class="arms"></div>
        <div class="toolbar">
          <button type="button" data-id="add">Add strategy</button>
          <label>Replications <input data-id="reps" type="number" min="1" max="100" value="5" class="short"></label>
          <label>Days <input data-id="days" type="number" min="1" max="36500" value="180" class="short"></label>
          <label>Base seed <input data-id="seed" type="number" min="0" value="1" class="short"></label>
          <button type="button" data-id="run" class="primary">Run comparison</button>
          <span data-id="progress" data-testid="compare-progress" aria-live="polite"></span>
        </div>
        <div data-id="errors" class="error" role="alert" hidden></div>
      </section>
      <div data-id="results" class="compare-results"></div>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    const names = [...PRESETS.keys()];
    this.addArm('A', names.includes('moderated-forum') ? 'moderated-forum' : '');
    this.addArm('B', names.includes('unmoderated-forum') ? 'unmoderated-forum' : '');
    this.el.add.addEventListener('click', () => this.addArm(String.fromCharCode(65 + this.arms.length), ''));
    this.el.run.addEventListener('click', () => void this.runAll());
  }

  private addArm(name: string, source: string): void {
    if (this.arms.length >= SERIES_COLORS.length) return;
    const row = document.createElement('div');
    row.className = 'arm';
    row.style.borderLeftColor = SERIES_COLORS[this.arms.length];
    row.innerHTML = `<label>Name <input class="short" value="${name}"></label>
      <label>Scenario <select><option value="">current live scenario</option>${[...PRESETS.keys()].map((n) => `<option value="${n}">${n}</option>`).join('')}</select></label>
      <label class="grow">Overrides <textarea rows="2" placeholder="policies.moderation.strictness = 0.9"></textarea></label>
      <button type="button" class="small">Remove</button>`;
    const arm: ArmForm = { row, name: row.querySelector('input')!, source: row.querySelector('select')!, overrides: row.querySelector('textarea')! };
    arm.source.value = source;
    row.querySelector('button')!.addEventListener('click', () => {
      if (this.arms.length <= 2) return;
      this.arms.splice(this.arms.indexOf(arm), 1);
      row.remove();
    });
    this.arms.push(arm);
    this.el.arms.append(row);
  }

  /** The scenario of each arm, or the field errors that stop the comparison. */
  private scenarios(days: number): Scenario[] {
    return this.arms.map((arm) => {
      let s = arm.source.value ? parseScenario(PRESETS.get(arm.source.value)) : this.currentScenario();
      s = withPath(s, 'days', days);
      for (const [path, value] of parseOverrides(arm.overrides.value)) {
        try {
          s = withPath(s, path, value);
        } catch (e) {
          if (e instanceof ScenarioError) throw new ScenarioError(e.issues.map((i) => ({ path: `${arm.name.value}: ${i.path}`, message: i.message })));
          throw e;
        }
      }
      return s;
    });
  }

  private async runAll(): Promise<void> {
    const reps = Math.max(1, Math.min(100, Math.round(Number((this.el.reps as HTMLInputElement).value) || 1)));
    const days = Math.max(1, Math.round(Number((this.el.days as HTMLInputElement).value) || 180));
    const base = Math.max(0, Math.round(Number((this.el.seed as HTMLInputElement).value) || 0));
    const errors = this.el.errors;
    let scenarios: Scenario[];
    try {
      scenarios = this.scenarios(days);
    } catch (e) {
      errors.hidden = false;
      errors.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    errors.hidden = true;
    // The names as they were when the run started: arms may be renamed or removed meanwhile.
    const names = this.arms.map((a) => a.name.value || a.source.value || 'current');
    for (const e of this.engines) e.worker.terminate();
    const seeds = Array.from({ length: reps }, (_, r) => deriveSeed(base, r));
    this.engines = scenarios.map(() => spawnEngine());
    const done = scenarios.map(() => 0);
    const progress = () => (this.el.progress.textContent = `running: ${done.reduce((a, b) => a + b, 0)} of ${reps * scenarios.length} runs done`);
    progress();
    (this.el.run as HTMLButtonElement).disabled = true;
    const metrics = CHARTS.map((c) => c.metric);
    try {
      const results = await Promise.all(
        scenarios.map((s, k) =>
          this.engines[k].api.replicate(s, seeds, metrics, Comlink.proxy((n: number) => {
            done[k] = n;
            progress();
          })),
        ),
      );
      this.el.progress.textContent = `${reps} replication${reps > 1 ? 's' : ''} × ${scenarios.length} strategies, ${days} days, common seeds from base ${base}`;
      this.draw(names, scenarios, results);
    } catch (e) {
      errors.hidden = false;
      errors.textContent = `The engine stopped: ${e instanceof Error ? e.message : String(e)}`;
      this.el.progress.textContent = '';
    } finally {
      (this.el.run as HTMLButtonElement).disabled = false;
      for (const e of this.engines) e.worker.terminate();
      this.engines = [];
    }
  }

  private draw(typed: string[], scenarios: Scenario[], results: Replication[][]): void {
    const names = typed.map(escapeHtml); // typed by the user, written into the table's HTML
    const out = this.el.results;
    out.replaceChildren();
    const table = document.createElement('table');
    table.className = 'compare-table';
    table.dataset.testid = 'compare-table';
    const head = `<tr><th scope="col">metric</th>${names.map((n, k) => `<th scope="col" style="color:${SERIES_COLORS[k]}">${n}</th>`).join('')}${names.slice(1).map((n) => `<th scope="col">${n} − ${names[0]}</th>`).join('')}</tr>`;
    const rows = TABLE.map((m) => {
      const values = results.map((reps) => reps.map((r) => r.summary[m]));
      const cells = values.map((v) => {
        const i = meanInterval(v);
        return `<td>${fmtInterval(m, i.mean, i.low, i.high)}</td>`;
      }).join('');
      const diffs = values.slice(1).map((v) => {
        const d = pairedDifference(values[0], v);
        const rel = Number.isFinite(d.relChange) ? ` <span class="rel">(${d.relChange > 0 ? '+' : ''}${(d.relChange * 100).toFixed(0)}%)</span>` : '';
        return `<td class="${d.significant ? 'sure' : ''}">${fmtInterval(m, d.diff, d.ciLow, d.ciHigh)}${rel}</td>`;
      }).join('');
      return `<tr><th scope="row" title="${SUMMARY_METRICS[m].description}">${m}</th>${cells}${diffs}</tr>`;
    }).join('');
    table.innerHTML = `<caption>Summary: mean over replications [95% interval]; differences (relative change in brackets) are paired on common seeds, bold where the interval excludes 0, as <code>community-sim compare</code> reports them.</caption><thead>${head}</thead><tbody>${rows}</tbody>`;
    const charts = document.createElement('div');
    charts.className = 'charts';
    out.append(charts, table);
    const markers = scenarios.flatMap((s, k) => markersOf(s).map((m) => ({ ...m, label: `${typed[k]}: ${m.label}` })));
    for (const c of CHARTS) {
      const chart = new LineChart(charts, `compare-${c.metric}`, c.title, { yLabel: c.yLabel, percent: c.percent });
      const series: LineSeries[] = results.map((reps, k) => {
        const cols = reps.map((r) => (c.smooth ? weekMean(r.columns[c.metric]!) : r.columns[c.metric]!));
        const len = cols[0]?.length ?? 0;
        const t = reps.length > 1 ? tQuantile(0.975, reps.length - 1) / Math.sqrt(reps.length) : NaN;
        const points = [];
        const band = [];
        for (let d = 0; d < len; d++) {
          const day = cols.map((col) => col[d]);
          const m = mean(day);
          const half = t * sd(day);
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
