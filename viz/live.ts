/**
 * The live view: run controls (play, pause, step, reset, speed, day, seed, length), the lever
 * panel with its schedule and shocks editors, import and export, the network view and the
 * charts of one run. The scenario shown is always the last valid one: a bad file or link is
 * reported field by field and changes nothing.
 */
import { checkScenario, parseScenario, ScenarioError, type Scenario } from '../scenarios/schema.js';
import { applyLever } from './levers.js';
import { leverPanel, scheduleEditor, shocksEditor } from './controls.js';
import { Dashboard } from './dashboard.js';
import { NetworkView } from './network.js';
import { LiveRun, SPEEDS } from './runner.js';
import { PRESETS } from './presets.js';
import { seriesCsv } from '../experiments/io/csv.js'; // the same file as `community-sim run --format csv`
import { encodeShare, NO_GRAPH_FILES } from './share.js';
import { downloadText } from './exporting.js';
import { narrate, narrativeLines } from './narrative.js';

/** Cumulative toxic share of a run so far: toxic items over all posts and replies. */
export function runToxicShare(run: LiveRun): number {
  let toxic = 0;
  let items = 0;
  for (const r of run.rows) {
    toxic += r.toxicPosts;
    items += r.posts + r.replies;
  }
  return items > 0 ? toxic / items : 0;
}

const html = (strings: TemplateStringsArray, ...values: unknown[]) => strings.reduce((a, s, i) => a + s + (i < values.length ? String(values[i]) : ''), '');

export class LiveView {
  readonly run: LiveRun;
  private readonly el: Record<string, HTMLElement> = {};
  private readonly dashboard: Dashboard;
  private readonly network: NetworkView;
  private readonly levers: { refresh: (s: Scenario, day: number) => void };
  private readonly schedule: { refresh: (s: Scenario) => void };
  private readonly shocks: { refresh: (s: Scenario) => void };
  private presetName: string;
  private told = '';
  private leversDay = 0;
  private readonly readout: Record<'members' | 'active' | 'toxic' | 'satisfaction' | 'backlog', HTMLElement>;
  private chartsAt = 0;
  private networkAt = 0;

  constructor(private readonly root: HTMLElement, scenario: Scenario, presetName: string, startError?: string) {
    this.presetName = presetName;
    root.innerHTML = html`
      <div class="toolbar" role="toolbar" aria-label="Run controls">
        <label>Scenario <select data-id="preset">${[...PRESETS.keys()].map((n) => `<option value="${n}">${n}</option>`).join('')}<option value="">(custom)</option></select></label>
        <button type="button" data-id="play" class="primary" aria-keyshortcuts="Space">Play</button>
        <button type="button" data-id="step" aria-keyshortcuts=".">Step</button>
        <button type="button" data-id="reset" aria-keyshortcuts="r">Reset</button>
        <label>Speed <select data-id="speed">${SPEEDS.map((s) => `<option value="${s}">${Number.isFinite(s) ? `${s} days/s` : 'full speed'}</option>`).join('')}</select></label>
        <span class="day" data-id="day" data-testid="day" aria-live="off">Day 0</span>
        <label>Seed <input data-id="seed" type="number" min="0" step="1" class="short"></label>
        <label>Days <input data-id="days" type="number" min="1" max="36500" step="1" class="short"></label>
        <span class="muted keys">keys: <kbd>Space</kbd> play/pause, <kbd>.</kbd> one day, <kbd>r</kbd> reset</span>
      </div>
      <p class="readout" data-id="readout" data-testid="readout">
        <span>members <b data-id="r-members" data-testid="members"></b></span>
        <span>active today <b data-id="r-active"></b></span>
        <span>toxic share (run) <b data-id="r-toxic" data-testid="toxic-share"></b></span>
        <span>satisfaction <b data-id="r-satisfaction"></b></span>
        <span>open questions <b data-id="r-backlog"></b></span>
      </p>
      <p class="error" data-id="engine-error" role="alert" hidden></p>
      <div data-id="errors" data-testid="scenario-errors" class="error" role="alert" hidden></div>
      <div class="layout">
        <aside class="side">
          <section class="panel" aria-labelledby="levers-h">
            <h2 id="levers-h">Levers</h2>
            <p class="muted">A change takes effect from the next day of a running simulation and is kept in the schedule.</p>
            <div data-id="levers"></div>
          </section>
          <details class="panel"><summary><h2>Schedule</h2></summary><div data-id="schedule"></div></details>
          <details class="panel"><summary><h2>Shocks</h2></summary><div data-id="shocks"></div></details>
          <section class="panel" aria-labelledby="files-h">
            <h2 id="files-h">Import and export</h2>
            <div class="buttons">
              <label class="button">Open scenario… <input data-id="open" type="file" accept=".json,application/json" class="visually-hidden"></label>
              <button type="button" data-id="save-scenario">Download scenario</button>
              <button type="button" data-id="save-csv">Download CSV</button>
              <button type="button" data-id="share">Share link</button>
            </div>
            <input data-id="share-url" data-testid="share-url" readonly aria-label="Shareable link" hidden>
          </section>
        </aside>
        <div class="main">
          <div class="top-row">
            <div data-id="network"></div>
            <section class="events-panel" aria-labelledby="events-h"><h2 id="events-h">What happened</h2><ol data-id="events" data-testid="events" class="narrative"></ol></section>
          </div>
          <div data-id="charts"></div>
        </div>
      </div>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    this.readout = { members: this.el['r-members'], active: this.el['r-active'], toxic: this.el['r-toxic'], satisfaction: this.el['r-satisfaction'], backlog: this.el['r-backlog'] };
    this.network = new NetworkView(this.el.network);
    this.dashboard = new Dashboard(this.el.charts);
    this.levers = leverPanel(this.el.levers, (path, value) => void this.changeLever(path, value));
    this.schedule = scheduleEditor(this.el.schedule, (schedule) => this.edit({ schedule }));
    this.shocks = shocksEditor(this.el.shocks, (shocks) => this.edit({ shocks }));
    this.run = new LiveRun(scenario, 300);
    this.run.onFrame(() => this.render());
    this.wire();
    if (startError) this.showErrors([startError]);
    this.show(scenario);
    void this.run.load(scenario);
  }

  private input(id: string): HTMLInputElement {
    return this.el[id] as HTMLInputElement;
  }

  private wire(): void {
    const sel = (id: string) => this.el[id] as HTMLSelectElement;
    this.el.play.addEventListener('click', () => this.togglePlay());
    this.el.step.addEventListener('click', () => void this.run.step());
    this.el.reset.addEventListener('click', () => void this.run.load());
    sel('speed').value = String(this.run.speed);
    sel('speed').addEventListener('change', () => (this.run.speed = Number(sel('speed').value)));
    sel('preset').addEventListener('change', () => {
      const name = sel('preset').value;
      if (!name) return;
      this.presetName = name;
      this.replace(parseScenario(PRESETS.get(name)));
    });
    for (const key of ['seed', 'days'] as const) {
      this.input(key).addEventListener('change', () => {
        const v = Number(this.input(key).value);
        this.edit({ [key]: v }, 'reset');
      });
    }
    this.input('open').addEventListener('change', () => void this.open());
    this.el['save-scenario'].addEventListener('click', () => {
      downloadText(`${JSON.stringify(this.run.scenario, null, 2)}\n`, `${this.run.scenario.name || this.presetName || 'scenario'}.json`, 'application/json');
    });
    this.el['save-csv'].addEventListener('click', () => downloadText(seriesCsv(this.run.rows), `community-sim-seed${this.run.scenario.seed}.csv`, 'text/csv'));
    this.el.share.addEventListener('click', () => void this.share());
  }

  /** Keyboard shortcuts while this view is shown: Space play/pause, "." one day, "r" reset. */
  key(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return; // Ctrl+R still reloads the page
    const t = e.target as HTMLElement;
    if (t.closest('input, select, textarea, canvas, [contenteditable]')) return;
    if (e.key === ' ') {
      if (t.closest('button, summary')) return; // Space presses the focused control
      if (!e.repeat) this.togglePlay(); // a held Space toggles once
    } else if (e.key === '.') void this.run.step();
    else if (e.key === 'r') void this.run.load();
    else return;
    e.preventDefault();
  }

  private togglePlay(): void {
    if (this.run.playing) this.run.pause();
    else this.run.play();
    this.syncPlay(); // at once, not at the next frame: the button is what the user watches
  }

  private syncPlay(): void {
    this.el.play.textContent = this.run.playing ? 'Pause' : 'Play';
    this.el.play.setAttribute('aria-pressed', String(this.run.playing));
  }

  /** Loads a whole new scenario (preset, file, link) and resets the run. */
  replace(scenario: Scenario): void {
    this.showErrors([]);
    this.show(scenario);
    void this.run.load(scenario);
  }

  /** Applies top-level field changes; schedule and shock edits rebuild the run to the current day. */
  private edit(patch: Partial<Scenario>, mode: 'rebuild' | 'reset' = 'rebuild'): void {
    const r = checkScenario({ ...this.run.scenario, ...patch });
    if (!r.ok) {
      this.showErrors(r.issues.map((i) => `${i.path}: ${i.message}`));
      this.show(this.run.scenario);
      return;
    }
    this.showErrors([]);
    this.show(r.scenario);
    if (mode === 'reset') void this.run.load(r.scenario);
    else void this.run.rebuild(r.scenario);
  }

  private async changeLever(path: string, value: unknown): Promise<void> {
    try {
      applyLever(this.run.scenario, this.run.done ? 0 : this.run.day, path, value); // reports a bad value before the engine sees it
    } catch (e) {
      this.showErrors([e instanceof ScenarioError ? e.message : String(e)]);
      return;
    }
    this.showErrors([]);
    // The scenario as it is when the engine answers: an earlier change may have landed meanwhile.
    await this.run.set(path, value, (day) => applyLever(this.run.scenario, day, path, value));
    this.show(this.run.scenario);
  }

  private async open(): Promise<void> {
    const file = this.input('open').files?.[0];
    this.input('open').value = '';
    if (!file) return;
    let input: unknown;
    try {
      input = JSON.parse(await file.text());
    } catch (e) {
      this.showErrors([`${file.name}: not valid JSON (${(e as Error).message})`]);
      return;
    }
    const r = checkScenario(input);
    if (!r.ok) {
      this.showErrors([`${file.name} was not loaded; the current scenario is kept:`, ...r.issues.map((i) => `${i.path || '(file)'}: ${i.message}`)]);
      return;
    }
    if ('file' in r.scenario.population.graph) {
      // The page cannot open a path on the user's disk; the CLI reads graph files.
      this.showErrors([`${file.name} was not loaded; the current scenario is kept:`, `population.graph.file: ${NO_GRAPH_FILES}`]);
      return;
    }
    this.presetName = '';
    this.replace(r.scenario);
  }

  private async share(): Promise<void> {
    const hash = await encodeShare(this.run.scenario);
    const url = `${location.origin}${location.pathname}#${hash}`;
    history.replaceState(null, '', `#${hash}`);
    const box = this.input('share-url');
    box.value = url;
    box.hidden = false;
    box.select();
    try {
      await navigator.clipboard?.writeText(url);
    } catch {
      // no clipboard permission: the link stays selected in the box
    }
  }

  private showErrors(lines: string[]): void {
    const box = this.el.errors;
    box.hidden = lines.length === 0;
    box.replaceChildren(...lines.map((l) => Object.assign(document.createElement('div'), { textContent: l })));
  }

  /** Shows a scenario's values in the controls. */
  private show(s: Scenario): void {
    this.levers.refresh(s, (this.run?.day ?? 0) + 1);
    this.schedule.refresh(s);
    this.shocks.refresh(s);
    this.input('seed').value = String(s.seed);
    this.input('days').value = String(s.days);
    (this.el.preset as HTMLSelectElement).value = PRESETS.has(this.presetName) ? this.presetName : '';
  }

  private render(): void {
    const run = this.run;
    // The lever panel shows the values in force today: follow scheduled changes and resets.
    if (run.day < this.leversDay || run.scenario.schedule.some((e) => e.day > this.leversDay && e.day <= run.day + 1)) this.levers.refresh(run.scenario, run.day + 1);
    this.leversDay = run.day;
    this.syncPlay();
    this.el.day.textContent = `Day ${run.day} / ${run.days || run.scenario.days}`;
    const err = this.el['engine-error'];
    err.hidden = !run.error;
    err.textContent = run.error ? `The engine stopped: ${run.error}` : '';
    const last = run.rows[run.rows.length - 1];
    if (last) {
      const r = this.readout;
      r.members.textContent = String(last.members);
      r.active.textContent = String(last.active);
      r.toxic.textContent = `${(runToxicShare(run) * 100).toFixed(2)}%`;
      r.satisfaction.textContent = `${Math.round(last.meanSatisfaction * 100)}%`;
      r.backlog.textContent = String(last.backlog);
    }
    const lines = narrativeLines(narrate(run.events, run.rows));
    const told = lines.length ? `${lines.length}|${lines[lines.length - 1].text}` : '';
    if (told !== this.told) {
      this.told = told;
      this.el.events.replaceChildren(...lines.slice(-30).reverse().map((l) => Object.assign(document.createElement('li'), { textContent: l.text })));
    }
    // While playing, the network takes a new sample ~6 times a second and the charts redraw
    // ~4 times (plenty for the eye, and it keeps frames short); at once when paused.
    const now = performance.now();
    if (run.view && (!run.playing || now - this.networkAt > 150)) {
      this.networkAt = now;
      this.network.update(run.view);
    }
    if (!run.playing || now - this.chartsAt > 250) {
      this.chartsAt = now;
      this.dashboard.update(run);
    }
  }
}
