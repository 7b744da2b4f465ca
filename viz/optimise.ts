/**
 * The Optimise view: "what is the best use of my hours?" in the page. The base is the live
 * scenario; the user picks levers with their ranges, the manager's hours budget, two objectives
 * (summary metrics with their units and better direction from the shared registry), the run
 * length, replications and a run budget. The search is `community-sim optimise`'s own
 * (experiments/optimise-search.ts: NSGA-II under the hours constraint, common random numbers,
 * the front re-evaluated before it is reported), its runs spread over Web Workers. A search
 * past a few minutes of compute is confirmed first. The front shows as the report's scatter
 * (95% intervals on both axes, the base's own settings marked) and a table; any strategy opens
 * in the live view.
 */
import { SUMMARY_METRIC_NAMES, summaryMetric, type SummaryMetric } from '../engine/index.js';
import { withPath, type Scenario } from '../scenarios/schema.js';
import { planSearch, searchStrategies, type SearchResult, type SearchSpec } from '../experiments/optimise-search.js';
import { frontChart, optimiseReport } from '../experiments/report.js';
import { runCost } from './cost.js';
import { downloadText } from './exporting.js';
import { leverGroups, type LeverControl } from './levers.js';
import { POOL_SIZE } from './page-pool.js';
import { PoolRun } from './pool-run.js';
import type { OptimiseSetup } from './share.js';

/** Levers offered at first (the strategist's question of issue 15). */
const DEFAULT_LEVERS = ['policies.rubrics.perWeek', 'policies.response.targetHours', 'policies.contests.perMonth', 'policies.moderation.strictness'];
/** Past this many seconds of estimated compute a search is confirmed before it starts. */
const CONFIRM_SECONDS = 120;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A metric's name for people: "finalMembers (members, higher is better)". */
function metricText(m: SummaryMetric): string {
  const def = summaryMetric(m);
  const better = def?.better === 'higher' ? ', higher is better' : def?.better === 'lower' ? ', lower is better' : '';
  return `${m} (${def?.unit ?? ''}${better})`;
}

function formatValue(m: SummaryMetric, v: number): string {
  if (!Number.isFinite(v)) return '–';
  const def = summaryMetric(m);
  if (def?.kind === 'share' || def?.kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : v.toPrecision(3);
}

interface LeverRow {
  lever: LeverControl;
  on: HTMLInputElement;
  min: HTMLInputElement;
  max: HTMLInputElement;
}

export class OptimiseView {
  private readonly el: Record<string, HTMLElement> = {};
  private readonly rows: LeverRow[] = [];
  private readonly job: PoolRun;
  private last: { spec: SearchSpec & { days: number }; base: Scenario; result: SearchResult; plan: ReturnType<typeof planSearch>['plan'] } | null = null;

  constructor(
    root: HTMLElement,
    private readonly currentScenario: () => Scenario,
    private readonly openInLive: (s: Scenario) => void,
    setup: OptimiseSetup | null = null,
    private readonly onSetup: (setup: OptimiseSetup) => void = () => {},
  ) {
    const metrics = SUMMARY_METRIC_NAMES.filter((m) => summaryMetric(m)?.better === 'higher' || summaryMetric(m)?.better === 'lower');
    const options = (chosen: string) => metrics.map((m) => `<option value="${m}"${m === chosen ? ' selected' : ''}>${esc(metricText(m))}</option>`).join('');
    root.innerHTML = `
      <section class="panel optimise-setup" aria-labelledby="optimise-h">
        <h2 id="optimise-h">Best use of the manager's hours</h2>
        <p class="muted">Searches the levers below on the live scenario (<b data-id="base-name"></b>) for the strategies no other beats on both outcomes, within the manager's hours (judged by the hours each activity took in the model). The same search as <code>community-sim optimise</code> (NSGA-II; every candidate runs on the same seeds), in the page's workers. The setup is kept in the page's address.</p>
        <fieldset class="optimise-levers"><legend>Levers and their ranges</legend><div data-id="levers"></div></fieldset>
        <div class="toolbar">
          <label>Hours a day <input data-id="hours" type="number" min="0" max="24" step="0.25" value="2" class="short"></label>
          <label>Objective 1 <select data-id="obj1" data-testid="optimise-obj1">${options('finalMembers')}</select></label>
          <label>Objective 2 <select data-id="obj2" data-testid="optimise-obj2">${options('meanToxicShare')}</select></label>
        </div>
        <div class="toolbar">
          <label>Days <input data-id="days" type="number" min="1" max="36500" value="120" class="short"></label>
          <label>Replications <input data-id="reps" type="number" min="1" max="20" value="1" class="short"></label>
          <label>Runs in all <input data-id="runs" type="number" min="10" max="100000" value="200" class="short"></label>
          <label>Seed <input data-id="seed" type="number" min="0" value="1" class="short"></label>
          <button type="button" data-id="run" data-testid="optimise-run" class="primary" aria-keyshortcuts="Escape">Search</button>
          <span data-id="progress" data-testid="optimise-progress" aria-live="polite"></span>
        </div>
        <p data-id="cost" class="muted" data-testid="optimise-cost"></p>
        <div data-id="confirm" data-testid="optimise-confirm" class="error confirm" role="alertdialog" hidden>
          <span data-id="confirm-text"></span>
          <button type="button" data-id="confirm-go">Run it</button>
          <button type="button" data-id="confirm-no" class="primary">Cancel</button>
        </div>
        <div data-id="errors" class="error" role="alert" data-testid="optimise-errors" hidden></div>
      </section>
      <div data-id="exports" class="buttons" hidden>
        <button type="button" data-id="save-report">Download report (HTML)</button>
        <button type="button" data-id="save-csv">Download front (CSV)</button>
      </div>
      <div data-id="results" class="optimise-results" data-testid="optimise-results"></div>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    // By topic, as in the live view's levers; a topic holding a chosen lever starts open.
    for (const group of leverGroups()) {
      const levers = group.levers.filter((l) => l.kind === 'number');
      if (!levers.length) continue;
      const box = document.createElement('details');
      box.className = 'lever-group';
      box.open = levers.some((l) => DEFAULT_LEVERS.includes(l.path));
      box.innerHTML = `<summary>${esc(group.title)}</summary>`;
      const grid = document.createElement('div');
      grid.className = 'lever-ranges';
      box.append(grid);
      this.el.levers.append(box);
      for (const lever of levers) {
        const row = document.createElement('div');
        row.className = 'lever-range';
        row.dataset.path = lever.path;
        row.innerHTML = `<label><input type="checkbox"> ${esc(lever.label)}</label>
          <input type="number" class="short" aria-label="${esc(lever.path)} from" step="any" min="${lever.min}" max="${lever.max}" value="${lever.min}">
          to <input type="number" class="short" aria-label="${esc(lever.path)} to" step="any" min="${lever.min}" max="${lever.max}" value="${lever.sliderMax}">`;
        row.title = `${lever.path}: ${lever.description}`;
        const [on, min, max] = row.querySelectorAll('input');
        on.checked = DEFAULT_LEVERS.includes(lever.path);
        grid.append(row);
        this.rows.push({ lever, on, min, max });
      }
    }
    // The setup follows into the address as soon as a field is changed, as Compare's does.
    root.addEventListener('change', () => {
      this.estimate();
      this.onSetup(this.current());
    });
    root.addEventListener('input', () => this.estimate());
    this.job = new PoolRun(this.el.run, this.el.progress, 'Search');
    this.el.run.addEventListener('click', () => (this.job.running ? this.job.cancel() : this.start()));
    this.el['save-csv'].addEventListener('click', () => this.saveCsv());
    this.el['save-report'].addEventListener('click', () => this.saveReport());
    if (setup) this.setup(setup);
    this.refresh();
  }

  /** The setup as the form shows it. */
  current(): OptimiseSetup {
    return {
      levers: this.rows.filter((r) => r.on.checked).map((r) => ({ path: r.lever.path, min: Number(r.min.value), max: Number(r.max.value) })),
      hours: this.value('hours'),
      objectives: [(this.el.obj1 as HTMLSelectElement).value, (this.el.obj2 as HTMLSelectElement).value],
      days: this.value('days'),
      reps: this.value('reps'),
      runs: this.value('runs'),
      seed: this.value('seed'),
    };
  }

  /** Shows `setup` in the form (a link's optimisation); a lever or metric the page does not know is named. */
  setup(setup: OptimiseSetup): void {
    const issues: string[] = [];
    const known = new Set(this.rows.map((r) => r.lever.path));
    setup.levers.forEach((l, i) => known.has(l.path) || issues.push(`share link: optimisation levers[${i}].path: no numeric lever "${l.path}"`));
    for (const r of this.rows) {
      const l = setup.levers.find((x) => x.path === r.lever.path);
      r.on.checked = !!l;
      if (l) [r.min.value, r.max.value] = [String(l.min), String(l.max)];
      // A topic holding a chosen lever opens.
      if (l) (r.on.closest('details') as HTMLDetailsElement | null)?.setAttribute('open', '');
    }
    setup.objectives.forEach((m, i) => {
      const select = this.el[`obj${i + 1}`] as HTMLSelectElement;
      if ([...select.options].some((o) => o.value === m)) select.value = m;
      else issues.push(`share link: optimisation objectives[${i}]: no metric "${m}" with a better direction`);
    });
    for (const id of ['hours', 'days', 'reps', 'runs', 'seed'] as const) (this.el[id] as HTMLInputElement).value = String(setup[id]);
    this.showErrors(issues);
    this.estimate();
  }

  /** The live scenario may have changed: name it and state the cost again. */
  refresh(): void {
    const s = this.currentScenario();
    this.el['base-name'].textContent = s.name || 'the live scenario';
    this.estimate();
  }

  private value(id: string): number {
    return Number((this.el[id] as HTMLInputElement).value);
  }

  /** The search as the form states it, on the live scenario. */
  private spec(): { spec: SearchSpec & { days: number }; base: Scenario } {
    const days = Math.max(1, Math.min(36500, Math.round(this.value('days')) || 120));
    const base = withPath(this.currentScenario(), 'days', days);
    const levers: SearchSpec['levers'] = {};
    for (const r of this.rows) if (r.on.checked) levers[r.lever.path] = { min: Number(r.min.value), max: Number(r.max.value) };
    const objectives = [(this.el.obj1 as HTMLSelectElement).value, (this.el.obj2 as HTMLSelectElement).value].map((m) => ({ metric: m as SummaryMetric }));
    return {
      spec: { days, reps: Math.max(1, Math.round(this.value('reps')) || 1), seed: Math.max(0, Math.round(this.value('seed')) || 0), levers, budget: { hoursPerDay: this.value('hours') }, objectives, runs: Math.max(1, Math.round(this.value('runs')) || 1) },
      base,
    };
  }

  /** Seconds of compute the search asks for, from the live view's cost model. */
  private seconds(): number {
    const { spec, base } = this.spec();
    // Every run lives through the burn-in before day 0 as well (a run of the default preset
    // spends most of its time there).
    return runCost({ ...base, days: base.days + base.population.burnInDays }).seconds * spec.runs;
  }

  private estimate(): void {
    const { spec } = this.spec();
    const s = this.seconds();
    const workers = POOL_SIZE;
    const time = (t: number) => (t >= 90 ? `${Math.round(t / 60)} minutes` : `${Math.max(1, Math.round(t))} s`);
    this.el.cost.textContent = `${spec.runs.toLocaleString('en')} runs of ${spec.days} days: about ${time(s)} of compute, about ${time(s / workers)} on ${workers} worker${workers === 1 ? '' : 's'}.`;
  }

  private showErrors(lines: string[]): void {
    this.el.errors.hidden = !lines.length;
    this.el.errors.textContent = lines.join('\n');
  }

  private start(): void {
    const { spec, base } = this.spec();
    const issues: string[] = [];
    if (spec.objectives[0].metric === spec.objectives[1].metric) issues.push('objectives: expected two different metrics');
    if (!(spec.budget.hoursPerDay >= 0 && spec.budget.hoursPerDay <= 24)) issues.push(`budget.hoursPerDay: expected a number in [0, 24], got ${this.value('hours')}`);
    const { plan, issues: planIssues } = planSearch(spec, base);
    issues.push(...planIssues.map((i) => `${i.path}: ${i.message}`));
    this.showErrors(issues);
    if (issues.length) return;
    if (this.seconds() > CONFIRM_SECONDS) {
      this.el['confirm-text'].textContent = `This search asks for ${this.el.cost.textContent} Run it?`;
      this.el.confirm.hidden = false;
      const answer = (go: boolean) => {
        this.el.confirm.hidden = true;
        this.el['confirm-go'].onclick = this.el['confirm-no'].onclick = null;
        if (go) void this.search(spec, base, plan);
      };
      this.el['confirm-go'].onclick = () => answer(true);
      this.el['confirm-no'].onclick = () => answer(false);
      return;
    }
    void this.search(spec, base, plan);
  }

  private async search(spec: SearchSpec & { days: number }, base: Scenario, plan: ReturnType<typeof planSearch>['plan']): Promise<void> {
    await this.job.start(async (pool) => {
      this.el.results.innerHTML = '';
      this.el.exports.hidden = true;
      const t0 = performance.now();
      const result = await searchStrategies(plan, {
        run: (jobs) => pool.run(jobs),
        onProgress: (p) => {
          this.el.progress.textContent = `${p.phase === 'final' ? 'checking the front' : `generation ${p.generation + 1}`} · ${p.runs} of ${p.total} runs · front ${p.front}`;
        },
      });
      this.last = { spec, base, result, plan };
      this.el.progress.textContent = `done: ${result.runs} runs, ${result.result.generations} generations in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
      this.show();
    });
  }

  /** Keys in the optimise view: Escape cancels a running search. */
  key(e: KeyboardEvent): void {
    this.job.key(e);
  }

  /** The scenario of a strategy: the base with its lever values. */
  private scenarioOf(levers: Record<string, number>): Scenario {
    const { base } = this.last!;
    return Object.entries(levers).reduce((s, [path, v]) => withPath(s, path, v), base);
  }

  private show(): void {
    const { result, plan } = this.last!;
    const names = plan.levers.map((l) => l.name);
    const metrics = plan.spec.objectives.map((o) => o.metric);
    const rows = [...result.front.map((s) => ({ s, label: `#${s.candidate}`, base: false })), { s: result.base, label: 'base', base: true }];
    const cell = (m: SummaryMetric, o: { mean: number; ciLow: number; ciHigh: number }) => `${formatValue(m, o.mean)} <span class="muted">[${formatValue(m, o.ciLow)}, ${formatValue(m, o.ciHigh)}]</span>`;
    const head = `<tr><th>strategy</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}${metrics.map((m) => `<th title="${esc(summaryMetric(m)?.description ?? '')}">${esc(metricText(m))}<br><span class="muted">mean [95% interval]</span></th>`).join('')}<th>manager hours a day</th><th>beats the base</th><th></th></tr>`;
    const body = rows
      .map(({ s, label, base }) => {
        const beats = base ? (result.base.feasible ? '' : 'over the budget') : s.dominatesBaseCI ? 'yes, on every interval' : s.dominatesBase ? 'on the means' : 'no';
        return `<tr data-candidate="${label}"${base ? ' class="base-row"' : ''}><th scope="row">${label}${base ? ' (the scenario\'s own settings)' : ''}</th>${names.map((n) => `<td>${formatValue('finalMembers', s.levers[n])}</td>`).join('')}${s.objectives.map((o) => `<td>${cell(o.metric, o)}</td>`).join('')}<td>${s.hours.managerHoursUsed?.toFixed(2) ?? '–'}</td><td>${beats}</td><td><button type="button" class="small" data-open="${label}">Open in live view</button></td></tr>`;
      })
      .join('');
    this.el.results.innerHTML = `
      <figure class="chart optimise-front"><figcaption><span class="chart-title">The front: ${esc(metrics[0])} against ${esc(metrics[1])}</span></figcaption>${frontChart(result)}
      <p class="muted">${result.front.length} strategies no other beats on both outcomes within ${plan.spec.budget.hoursPerDay} hours a day, each re-run ${plan.finalReps} times on the same seeds for its 95% intervals (bars). The square is the scenario's own settings.</p></figure>
      <div class="table-wrap"><table class="optimise-table" data-testid="optimise-table"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
    for (const b of this.el.results.querySelectorAll<HTMLButtonElement>('[data-open]')) {
      b.addEventListener('click', () => {
        const row = rows.find((r) => r.label === b.dataset.open)!;
        this.openInLive(this.scenarioOf(row.s.levers));
      });
    }
    this.el.exports.hidden = false;
  }

  private fileName(): string {
    const { base, spec } = this.last!;
    return `${(base.name || 'scenario').replace(/[^\w.-]+/g, '_')}-optimise-${spec.budget.hoursPerDay}h-seed${spec.seed}`;
  }

  private saveCsv(): void {
    if (!this.last) return;
    const { result, plan } = this.last;
    const names = plan.levers.map((l) => l.name);
    const metrics = plan.spec.objectives.map((o) => o.metric);
    const header = ['candidate', ...names, ...metrics.flatMap((m) => [m, `${m}_ciLow`, `${m}_ciHigh`]), 'managerHoursUsed', 'reps', 'dominatesBase', 'dominatesBaseCI'];
    const lines = [...result.front, result.base].map((s, i) => [i === result.front.length ? 'base' : s.candidate, ...names.map((n) => s.levers[n]), ...s.objectives.flatMap((o) => [o.mean, o.ciLow, o.ciHigh]), s.hours.managerHoursUsed, s.reps, s.dominatesBase, s.dominatesBaseCI].join(','));
    downloadText(`${[header.join(','), ...lines].join('\n')}\n`, `${this.fileName()}.csv`, 'text/csv');
  }

  private saveReport(): void {
    if (!this.last) return;
    const { spec, base, result, plan } = this.last;
    const html = optimiseReport({
      spec: { ...plan, spec: { ...spec, base: base.name || 'the live scenario' }, baseLabel: base.name || 'the live scenario', hash: '' },
      result: { out: '', front: result.front, base: result.base, runs: result.runs, generations: result.result.generations, failures: result.failures },
    });
    downloadText(html, `${this.fileName()}.html`, 'text/html');
  }
}
