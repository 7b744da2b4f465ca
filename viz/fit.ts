/**
 * The Fit view (issue 14, item 5): drop the series CSV `community-sim observe` writes, or an
 * interaction log (observed here with the same code, weekly), and fit the model to it with the
 * CLI's ABC-SMC (experiments/fit.ts: the default parameters and columns, adaptive tolerances,
 * runs stopped once sure to miss) on the page's workers, with a small default budget. Each
 * generation adds a row: its tolerance, acceptance, effective sample size and every parameter's
 * 5-95% posterior interval, which narrow as the tolerance falls; and the observed points over
 * the bands of that generation's particles (their own runs, weighted: nothing is run for them),
 * so the bands are seen to tighten generation by generation. At the end the fit's report
 * (observed points over the fitted 50%/90% bands, marginals, tolerances) shows in the page, and
 * the fitted community (the base at the posterior median) opens in the live view or in Compare.
 */
import type { Scenario } from '../scenarios/schema.js';
import { parseScenario, withPath } from '../scenarios/schema.js';
import { marginal, type AbcGeneration } from '../experiments/abc-smc.js';
import { fitObserved, parseObservedCsv, resolveFit, type FitBand, type FitResult, type ObservedSeries } from '../experiments/fit.js';
import { LEGEND, bandWidth, columnChart, fitReportHtml } from '../experiments/fit-report.js';
import { csvTable } from '../experiments/io/csv.js';
import { observeLines } from '../experiments/observe.js';
import { downloadText } from './exporting.js';
import { POOL_SIZE } from './page-pool.js';
import { PoolRun } from './pool-run.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : v.toPrecision(3));

/** A dropped file as an observed series: a series CSV as it is, a log (a `timestamp` column) observed weekly. */
export async function observedFrom(name: string, text: string): Promise<ObservedSeries> {
  const header = text.slice(0, text.indexOf('\n') >>> 0).toLowerCase();
  if (/(^|[,\t])timestamp([,\t]|$)/.test(header.trim())) {
    const log = await observeLines(text.split(/\r?\n/), { period: 'week', label: name, format: name.toLowerCase().endsWith('.tsv') ? 'tsv' : 'csv' });
    return parseObservedCsv(csvTable(log.columns, log.rows.map((row) => log.columns.map((c) => row[c]))), name);
  }
  return parseObservedCsv(text, name);
}

export class FitView {
  private readonly el: Record<string, HTMLElement> = {};
  private observed: { name: string; series: ObservedSeries } | null = null;
  private readonly job: PoolRun;
  private result: FitResult | null = null;

  constructor(root: HTMLElement, private readonly open: { live: (s: Scenario) => void; compare: (s: Scenario) => void }) {
    root.innerHTML = `
      <section class="panel fit-setup" aria-labelledby="fit-h">
        <h2 id="fit-h">Fit the model to your community</h2>
        <p class="muted">Drop the series <code>community-sim observe</code> writes, or an interaction log (CSV or TSV with <code>timestamp</code>, <code>author</code> and optionally <code>kind</code>, <code>target</code>; observed here by week). The fit is <code>community-sim fit</code>'s (ABC-SMC over discovery, posting, replies and churn, against every observed column the model reports), in the page's workers; the community starts with no members on the log's first day.</p>
        <label class="drop" data-id="drop">Drop a file here or <input type="file" data-id="file" data-testid="fit-file" accept=".csv,.tsv,.txt"></label>
        <p data-id="summary" data-testid="fit-summary" class="muted"></p>
        <div class="toolbar">
          <label>Particles <input data-id="particles" type="number" min="10" max="5000" value="40" class="short"></label>
          <label>Generations <input data-id="generations" type="number" min="1" max="20" value="3" class="short"></label>
          <label>Runs for the bands <input data-id="predictive" type="number" min="10" max="1000" value="20" class="short"></label>
          <label>Seed <input data-id="seed" type="number" min="0" value="1" class="short"></label>
          <button type="button" data-id="run" data-testid="fit-run" class="primary" disabled aria-keyshortcuts="Escape">Fit</button>
          <span data-id="progress" data-testid="fit-progress" aria-live="polite"></span>
        </div>
        <div data-id="errors" class="error" role="alert" data-testid="fit-errors" hidden></div>
      </section>
      <section class="panel" data-id="generations-panel" hidden><h2>Generations</h2>
        <div class="table-wrap"><table class="optimise-table" data-testid="fit-generations"><thead data-id="gen-head"></thead><tbody data-id="gen-body"></tbody></table></div></section>
      <section class="panel fit-bands" data-id="bands-panel" data-testid="fit-bands" hidden><h2>Observed against generation <span data-id="bands-gen"></span>'s particles</h2>
        <p class="muted">The runs of the generation's particles, weighted as the fit weighs them: their median and 50% / 90% bands over the observed points, redrawn after each generation, so the bands tighten as the tolerance falls. The width is the mean 90% band's width over the mean observed value. The final bands (in the report, at the end) are fresh runs at the posterior.</p>
        ${LEGEND}
        <div class="grid" data-id="bands"></div></section>
      <div data-id="done" class="buttons" hidden>
        <button type="button" data-id="open-live" data-testid="fit-open-live">Open the fitted community in the live view</button>
        <button type="button" data-id="open-compare" data-testid="fit-open-compare">Open it in Compare</button>
        <button type="button" data-id="save-report">Download report (HTML)</button>
        <button type="button" data-id="save-fitted">Download fitted scenario (JSON)</button>
      </div>
      <iframe data-id="report" data-testid="fit-report" class="fit-report" title="The fit's report" hidden></iframe>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    const file = this.el.file as HTMLInputElement;
    file.addEventListener('change', () => file.files?.[0] && void this.load(file.files[0]));
    this.el.drop.addEventListener('dragover', (e) => e.preventDefault());
    this.el.drop.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void this.load(f);
    });
    this.job = new PoolRun(this.el.run, this.el.progress, 'Fit');
    this.el.run.addEventListener('click', () => (this.job.running ? this.job.cancel() : void this.fit()));
    this.el['open-live'].addEventListener('click', () => this.result && this.open.live(this.result.fitted));
    this.el['open-compare'].addEventListener('click', () => this.result && this.open.compare(this.result.fitted));
    this.el['save-report'].addEventListener('click', () => this.result && downloadText(fitReportHtml(this.result, this.title()), `${this.base()}-fit-report.html`, 'text/html'));
    this.el['save-fitted'].addEventListener('click', () => this.result && downloadText(`${JSON.stringify(this.result.fitted, null, 2)}\n`, `${this.base()}-fitted.json`, 'application/json'));
  }

  private base(): string {
    return (this.observed?.name ?? 'observed').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  }

  private title(): string {
    return `Fit to ${this.observed?.name ?? 'the observed series'}`;
  }

  private showErrors(lines: string[]): void {
    this.el.errors.hidden = !lines.length;
    this.el.errors.textContent = lines.join('\n');
  }

  private async load(f: File): Promise<void> {
    this.showErrors([]);
    try {
      const series = await observedFrom(f.name, await f.text());
      this.observed = { name: f.name, series };
      const unit = series.period === 7 ? 'weeks' : 'days';
      this.el.summary.textContent = `${f.name}: ${series.starts.length} ${unit} (${series.days} days) of ${Object.keys(series.columns).join(', ')}`;
      (this.el.run as HTMLButtonElement).disabled = false;
    } catch (e) {
      this.observed = null;
      (this.el.run as HTMLButtonElement).disabled = true;
      this.showErrors([e instanceof Error ? e.message : String(e)]);
    }
  }

  private number(id: string): number {
    return Number((this.el[id] as HTMLInputElement).value);
  }

  private async fit(): Promise<void> {
    if (!this.observed) return;
    let fit;
    try {
      const base = withPath(parseScenario({ name: `fitted to ${this.observed.name}` }), 'population.initialMembers', 0);
      fit = resolveFit({ particles: this.number('particles'), generations: this.number('generations'), predictive: this.number('predictive'), seed: this.number('seed') }, this.observed.series, base, 'fit');
    } catch (e) {
      this.showErrors([e instanceof Error ? e.message : String(e)]);
      return;
    }
    this.showErrors([]);
    await this.job.start(async (pool) => {
      this.el.done.hidden = true;
      this.el.report.hidden = true;
      this.el['generations-panel'].hidden = false;
      const names = fit.priors.map((p) => p.name);
      this.el['gen-head'].innerHTML = `<tr><th>generation</th><th>tolerance</th><th>acceptance</th><th>effective particles</th>${names.map((n) => `<th>${esc(n)}<br><span class="muted">median [5%, 95%]</span></th>`).join('')}</tr>`;
      this.el['gen-body'].innerHTML = '';
      const bandsPanel = this.el['bands-panel'];
      bandsPanel.hidden = true;
      bandsPanel.dataset.widths = '[]';
      delete bandsPanel.dataset.generation;
      const first = new Map<string, number>();
      const showBands = (generation: number, bands: FitBand[]) => {
        const columns = [...new Set(bands.map((b) => b.column))];
        const widths = columns.map((c) => bandWidth(bands.filter((b) => b.column === c)));
        columns.forEach((c, i) => first.has(c) || first.set(c, widths[i]));
        this.el.bands.innerHTML = columns
          .map((c, i) => `<section data-column="${esc(c)}" data-width="${widths[i]}"><h3>${esc(c)} <span class="muted">· 90% band width ${fmt(widths[i])}${generation > 0 ? ` (generation 0: ${fmt(first.get(c)!)})` : ''}</span></h3>${columnChart(bands.filter((b) => b.column === c))}</section>`)
          .join('');
        this.el['bands-gen'].textContent = String(generation);
        bandsPanel.dataset.generation = String(generation);
        // Each generation's mean width over the columns, for a reader (and the e2e test) to follow.
        const finite = widths.filter(Number.isFinite);
        bandsPanel.dataset.widths = JSON.stringify([...JSON.parse(bandsPanel.dataset.widths ?? '[]'), finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null]);
        bandsPanel.hidden = false;
      };
      const t0 = performance.now();
      const row = (g: AbcGeneration) => {
        const tr = document.createElement('tr');
        tr.innerHTML = `<th scope="row">${g.generation}</th><td>${Number.isFinite(g.tolerance) ? g.tolerance.toFixed(3) : '∞ (the prior)'}</td><td>${(g.acceptance * 100).toFixed(0)}%</td><td>${g.ess.toFixed(0)}</td>${names
          .map((_, i) => {
            const [lo, mid, hi] = marginal(g, i).quantiles;
            return `<td>${fmt(mid)} <span class="muted">[${fmt(lo)}, ${fmt(hi)}]</span></td>`;
          })
          .join('')}`;
        this.el['gen-body'].append(tr);
      };
      const result = await fitObserved(fit, {
        executor: pool,
        onGeneration: row,
        onGenerationBands: (generation, bands) => this.job.running && showBands(generation, bands),
        onBatch: (p) => (this.el.progress.textContent = `generation ${p.generation} · tolerance ${Number.isFinite(p.tolerance) ? p.tolerance.toFixed(3) : '∞'} · ${p.accepted} of ${fit.spec.particles} accepted (${p.proposed} runs)`),
      });
      this.result = result;
      this.el.progress.textContent = `done: ${result.runs} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${POOL_SIZE} worker${POOL_SIZE === 1 ? '' : 's'} (${result.stoppedEarly} stopped early; ${result.stopped})`;
      (this.el.report as HTMLIFrameElement).srcdoc = fitReportHtml(result, this.title());
      this.el.report.hidden = false;
      this.el.done.hidden = false;
    });
  }

  /** Keys in the fit view: Escape cancels a running fit. */
  key(e: KeyboardEvent): void {
    this.job.key(e);
  }
}
