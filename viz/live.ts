/**
 * The live view: run controls (play, pause, step, reset, speed, day, seed, length), the lever
 * panel with its schedule and shocks editors, import and export, the network view and the
 * charts of one run. The scenario shown is always the last valid one: a bad file or link is
 * reported field by field and changes nothing.
 */
import type { DailyRow } from '../engine/metrics.js';
import { checkScenario, getPath, parseScenario, ScenarioError, withPath, type Scenario } from '../scenarios/schema.js';
import { applyLever, populationControls } from './levers.js';
import { describeCost, needsConfirmation, runCost } from './cost.js';
import { fieldControl, leverPanel, scheduleEditor, shocksEditor } from './controls.js';
import { Dashboard } from './dashboard.js';
import { exportName, type ChartContext } from './charts.js';
import { NetworkView } from './network.js';
import { LiveRun, SPEEDS } from './runner.js';
import { DEFAULT_PRESET, PRESETS, extendPreset, presetScenario } from './presets.js';
import { seriesCsv } from '../experiments/io/csv.js'; // the same file as `community-sim run --format csv`
import { notJsonMessage } from '../experiments/io/json-syntax.js'; // the CLI's wording, which never quotes the file
import { NO_GRAPH_FILES } from './share.js';
import { downloadText } from './exporting.js';
import { Narrator } from './narrative.js';

/**
 * Cumulative toxic share of a run so far (toxic items over all posts and replies), kept as
 * running sums so a long run is not summed from day 0 on every frame.
 */
class RunToxicShare {
  private rows: readonly DailyRow[] | null = null;
  private read = 0;
  private toxic = 0;
  private items = 0;

  of(rows: readonly DailyRow[]): number {
    if (rows !== this.rows) {
      this.rows = rows;
      this.read = this.toxic = this.items = 0;
    }
    for (; this.read < rows.length; this.read++) {
      this.toxic += rows[this.read].toxicPosts;
      this.items += rows[this.read].posts + rows[this.read].replies;
    }
    return this.items > 0 ? this.toxic / this.items : NaN;
  }
}

/** Sets an element's text only when it differs from what it shows. */
function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

const html = (strings: TemplateStringsArray, ...values: unknown[]) => strings.reduce((a, s, i) => a + s + (i < values.length ? String(values[i]) : ''), '');

/**
 * Choices of "Draw": automatically (0, the default: every frame at a chosen speed, about once a
 * second at full speed), every frame, or every n days of the run while it plays.
 */
const DRAW_EVERY = [0, 1, 7, 30, 100, 365, Infinity];
/** At full speed, "automatically" draws the charts, network and notes about this often (ms). */
const AUTO_MS = 1000;
/** The network's frames a second while it is drawn sparsely (its layout still settles between samples). */
const SPARSE_FPS = 5;

/** Where the live view reports what the URL should hold. */
export interface LiveHooks {
  /** The scenario shown changed (a lever, an edit, a new file, preset or link). */
  scenario(scenario: Scenario, preset: string): void;
  /** The run reached another day (reported every few seconds while playing, at once when it stops). */
  day(day: number): void;
  /** Resolves once the URL holds the latest state: with why it leaves the scenario out (too large for a link), or null. */
  settled?(): Promise<string | null>;
}

export class LiveView {
  readonly run: LiveRun;
  private readonly el: Record<string, HTMLElement> = {};
  private readonly dashboard: Dashboard;
  private readonly network: NetworkView;
  private readonly levers: { refresh: (s: Scenario, day: number) => void };
  private readonly schedule: { refresh: (s: Scenario) => void };
  private readonly shocks: { refresh: (s: Scenario) => void };
  private presetName: string;
  /** The narration of the run shown, and the rows it follows (a new array is a new run). */
  private narrator = new Narrator();
  private narrated: readonly unknown[] | null = null;
  private routine = { count: 0, last: '' };
  /** Draw the charts, network and notes every this many days while playing (Infinity: at the end; 0: automatically). */
  private drawEvery = 0;
  private drawnDay = -Infinity;
  private drawnAt = -Infinity;
  private shownAt = -Infinity;
  private shownDay = -1;
  private readonly toxicShare = new RunToxicShare();
  private leversDay = 0;
  private readonly readout: Record<'members' | 'active' | 'toxic' | 'satisfaction' | 'backlog', HTMLElement>;
  private chartsAt = 0;
  private networkAt = 0;

  private dayTold = -1;
  private population: { path: string; set: (v: unknown) => void }[] = [];
  /** Answers the size confirmation shown (true: build it). */
  private confirmed: (yes: boolean) => void = () => {};
  private dayToldAt = 0;

  constructor(private readonly root: HTMLElement, scenario: Scenario, presetName: string, startErrors: string[] = [], private readonly hooks: LiveHooks = { scenario() {}, day() {} }, startDay = 0) {
    this.presetName = presetName;
    root.innerHTML = html`
      <div class="toolbar" role="toolbar" aria-label="Run controls">
        <label>Scenario <select data-id="preset">${[...PRESETS.keys()].map((n) => `<option value="${n}">${n}</option>`).join('')}<option value="">(custom)</option></select></label>
        <button type="button" data-id="play" class="primary" aria-keyshortcuts="Space">Play</button>
        <button type="button" data-id="step" aria-keyshortcuts=".">Step</button>
        <button type="button" data-id="reset" aria-keyshortcuts="r">Reset</button>
        <label>Speed <select data-id="speed">${SPEEDS.map((s) => `<option value="${s}">${Number.isFinite(s) ? `${s} days/s` : 'full speed'}</option>`).join('')}</select></label>
        <label title="Drawing less often lets a long or large run go faster; automatically: every frame at a chosen speed, about once a second at full speed (the day and the numbers above stay live)">Draw <select data-id="draw-every">${DRAW_EVERY.map((n) => `<option value="${n}">${n === 0 ? 'automatically' : n === 1 ? 'every frame' : Number.isFinite(n) ? `every ${n} days` : 'at the end only'}</option>`).join('')}</select></label>
        <span class="day" data-id="day" data-testid="day" aria-live="off">Day 0</span>
        <label>Seed <input data-id="seed" type="number" min="0" step="1" class="short"></label>
        <label>Days <input data-id="days" type="number" min="1" max="36500" step="1" class="short"></label>
        <span class="muted keys">keys: <kbd>Space</kbd> play/pause, <kbd>.</kbd> (full stop) one day, <kbd>r</kbd> reset</span>
      </div>
      <p class="readout" data-id="readout" data-testid="readout">
        <span>members <b data-id="r-members" data-testid="members"></b></span>
        <span>active today <b data-id="r-active"></b></span>
        <span>toxic share (run) <b data-id="r-toxic" data-testid="toxic-share"></b></span>
        <span>satisfaction (0–1) <b data-id="r-satisfaction"></b></span>
        <span>open questions <b data-id="r-backlog"></b></span>
      </p>
      <p class="error" data-id="engine-error" role="alert" hidden></p>
      <div data-id="errors" data-testid="scenario-errors" class="error" role="alert" hidden></div>
      <div data-id="confirm" data-testid="confirm-size" class="error confirm" role="alertdialog" aria-labelledby="confirm-text" hidden>
        <span id="confirm-text" data-id="confirm-text"></span>
        <button type="button" data-id="confirm-build">Build it</button>
        <button type="button" data-id="confirm-keep" class="primary">Keep the current scenario</button>
      </div>
      <div class="layout">
        <aside class="side">
          <section class="panel" aria-labelledby="levers-h">
            <h2 id="levers-h">Levers</h2>
            <p class="muted">A change takes effect from the next day of a running simulation and is kept in the schedule.</p>
            <div data-id="levers"></div>
          </section>
          <details class="panel"><summary><h2>Schedule</h2></summary><div data-id="schedule"></div></details>
          <details class="panel"><summary><h2>Shocks</h2></summary><div data-id="shocks"></div></details>
          <details class="panel" data-testid="population"><summary><h2>Population</h2></summary>
            <p class="muted">Who is there on day 0 and who comes later. A change starts the run again.</p>
            <div data-id="population"></div>
            <p class="muted cost" data-id="cost" data-testid="cost"></p>
          </details>
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
            <section class="events-panel" aria-labelledby="events-h"><h2 id="events-h">What happened</h2>
              <p class="muted routine" data-id="routine" data-testid="routine" hidden></p>
              <ol data-id="events" data-testid="events" class="narrative"></ol></section>
          </div>
          <div data-id="charts"></div>
        </div>
      </div>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    this.readout = { members: this.el['r-members'], active: this.el['r-active'], toxic: this.el['r-toxic'], satisfaction: this.el['r-satisfaction'], backlog: this.el['r-backlog'] };
    this.network = new NetworkView(this.el.network, undefined, { request: (r) => void this.run.drawNetwork(r), maxMembers: 300 });
    this.dashboard = new Dashboard(this.el.charts, undefined, { scenarioName: () => this.run.scenario.name || this.presetName });
    this.levers = leverPanel(this.el.levers, (path, value) => void this.changeLever(path, value));
    this.schedule = scheduleEditor(this.el.schedule, (schedule) => this.edit({ schedule }));
    this.shocks = shocksEditor(this.el.shocks, (shocks) => this.edit({ shocks }));
    this.population = populationControls().map((c) => {
      const ctl = fieldControl(c, c.defaultValue, (v) => this.changePopulation(c.path, v));
      this.el.population.append(ctl.el);
      return { path: c.path, set: ctl.set };
    });
    this.run = new LiveRun(scenario, 300);
    const timed = this.run.wantView;
    // No network sample is asked of the engine for a frame that will not be drawn.
    this.run.wantView = () => {
      if (this.drawEvery === 0) return this.fast() ? performance.now() - this.drawnAt > AUTO_MS * 0.8 : timed();
      return this.drawEvery === 1 ? timed() : this.run.day + 1 >= this.drawnDay + this.drawEvery;
    };
    this.run.onFrame(() => this.render());
    this.wire();
    if (startErrors.length) this.showErrors(startErrors);
    // A link asking for more than the machine may hold is confirmed first; declined, the default preset opens.
    this.build(scenario, startDay, () => this.replace(presetScenario(DEFAULT_PRESET), 0, DEFAULT_PRESET));
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
    sel('draw-every').addEventListener('change', () => {
      this.drawEvery = Number(sel('draw-every').value);
      this.drawnDay = -Infinity;
      this.render();
    });
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
    // Named for what it holds: scenario, seed, the day reached.
    this.el['save-csv'].addEventListener('click', () => downloadText(seriesCsv(this.run.rows), `${exportName(this.exportContext(), 'daily')}.csv`, 'text/csv'));
    this.el.share.addEventListener('click', () => void this.share());
    this.el['confirm-build'].addEventListener('click', () => this.confirmed(true));
    this.el['confirm-keep'].addEventListener('click', () => this.confirmed(false));
  }

  private exportContext(): ChartContext {
    return { scenario: this.run.scenario.name || this.presetName || 'scenario', seed: this.run.scenario.seed, day: this.run.day, days: this.run.days || this.run.scenario.days };
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

  /** Playing at full speed ("as fast as the engine goes"). */
  private fast(): boolean {
    return this.run.playing && !this.run.done && !Number.isFinite(this.run.speed);
  }

  private togglePlay(): void {
    if (this.run.playing) this.run.pause();
    else this.run.play();
    this.syncPlay(); // at once, not at the next frame: the button is what the user watches
  }

  private syncPlay(): void {
    setText(this.el.play, this.run.playing ? 'Pause' : 'Play');
    if (this.el.play.getAttribute('aria-pressed') !== String(this.run.playing)) this.el.play.setAttribute('aria-pressed', String(this.run.playing));
  }

  /**
   * Loads a whole new scenario (preset, file, link) and resets the run; a link may say how far
   * its run had got (`day`) and which preset it came from.
   */
  replace(scenario: Scenario, day = 0, preset?: string, errors: string[] = []): void {
    const before = this.presetName;
    if (preset !== undefined) this.presetName = preset;
    this.showErrors(errors);
    this.build(scenario, day, () => {
      this.presetName = before;
      this.show(this.run.scenario);
    });
  }

  /**
   * Shows and starts `scenario` at `day`, unless it is bigger than the machine may hold: then it
   * says what it would cost and waits for "Build it" (`keep` runs on "Keep the current scenario").
   */
  private build(scenario: Scenario, day: number, keep: () => void): void {
    const cost = runCost(scenario);
    const box = this.el.confirm;
    const go = () => {
      box.hidden = true;
      this.show(scenario);
      void this.run.loadAt(scenario, day);
    };
    if (!needsConfirmation(cost)) return go();
    this.el['confirm-text'].textContent = `This scenario asks for ${describeCost(cost, scenario.days)}. This tab may run out of memory or be busy for long. Build it?`;
    box.hidden = false;
    this.confirmed = (yes) => {
      box.hidden = true;
      if (yes) go();
      else keep();
    };
  }

  /** A population field changed: the run starts again with it (after a confirmation if big). */
  private changePopulation(path: string, value: unknown): void {
    let next: Scenario;
    try {
      next = withPath(this.run.scenario, path, value);
    } catch (e) {
      this.showErrors([e instanceof ScenarioError ? e.message : String(e)]);
      this.show(this.run.scenario);
      return;
    }
    this.showErrors([]);
    this.build(next, 0, () => this.show(this.run.scenario));
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
    if (mode === 'reset') {
      this.build(r.scenario, 0, () => this.show(this.run.scenario));
      return;
    }
    this.show(r.scenario);
    void this.run.rebuild(r.scenario);
  }

  private async changeLever(path: string, value: unknown): Promise<void> {
    try {
      applyLever(this.run.scenario, this.run.done ? 0 : this.run.day, path, value); // reports a bad value before the engine sees it
    } catch (e) {
      // Named by the lever, not by the schedule entry a mid-run change would have become; the
      // control goes back to the value in force.
      this.showErrors(e instanceof ScenarioError ? e.issues.map((i) => `${path}: ${i.message}`) : [String(e)]);
      this.levers.refresh(this.run.scenario, this.run.day + 1);
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
    const text = await file.text();
    try {
      input = JSON.parse(text);
    } catch {
      this.showErrors([`${file.name}: ${notJsonMessage(text)}`]);
      return;
    }
    try {
      input = extendPreset(input);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      this.showErrors([`${file.name} was not loaded; the current scenario is kept:`, ...e.issues.map((i) => `${i.path}: ${i.message}`)]);
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

  /** Shows the page's address, which always holds the current state, ready to copy; or why it cannot hold this scenario. */
  private async share(): Promise<void> {
    const left = await this.hooks.settled?.();
    const box = this.input('share-url');
    if (left) {
      box.hidden = true;
      this.showErrors([left]);
      return;
    }
    const url = location.href;
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
    for (const p of this.population) p.set(getPath(s, p.path));
    this.el.cost.textContent = `This run: ${describeCost(runCost(s), s.days)}.`;
    this.input('seed').value = String(s.seed);
    this.input('days').value = String(s.days);
    (this.el.preset as HTMLSelectElement).value = PRESETS.has(this.presetName) ? this.presetName : '';
    this.hooks.scenario(s, PRESETS.has(this.presetName) ? this.presetName : '');
  }

  /**
   * Adds the notes of the days that arrived since the last call, newest first. Shocks and policy
   * changes are never pushed out: past 60 notes the oldest ordinary note goes, and routine
   * weekly counts (bans, departures) are summed up in one line above the list instead.
   */
  private tell(run: LiveRun): void {
    const list = this.el.events;
    if (this.narrated !== run.rows) {
      this.narrated = run.rows;
      this.narrator = new Narrator();
      this.routine = { count: 0, last: '' };
      list.replaceChildren();
    }
    const added = this.narrator.update(run.events, run.rows);
    if (!added) return;
    const lines = this.narrator.lines;
    const fresh: HTMLLIElement[] = [];
    for (const l of lines.slice(lines.length - added)) {
      if (l.rank <= 1) {
        this.routine.count++;
        this.routine.last = l.text;
        continue;
      }
      const li = document.createElement('li');
      li.textContent = l.text;
      li.dataset.rank = String(l.rank);
      fresh.unshift(li);
    }
    list.prepend(...fresh);
    for (let n = list.children.length; n > 60; n--) {
      const old = [...list.querySelectorAll<HTMLLIElement>('li[data-rank="2"]')].pop();
      if (!old) break;
      old.remove();
    }
    const r = this.el.routine;
    r.hidden = this.routine.count === 0;
    r.textContent = `${this.routine.count} routine note${this.routine.count === 1 ? '' : 's'} (bans, departures) not listed; latest: ${this.routine.last}`;
  }

  private render(): void {
    const run = this.run;
    // At full speed, drawing automatically, the day and the numbers too change at most 5 times a
    // second: each visible change is a frame for the compositor, and at 12 engine frames a second
    // those frames cost the page more than the drawing itself.
    const t0 = performance.now();
    if (this.drawEvery === 0 && this.fast() && run.day >= this.shownDay && t0 - this.shownAt < 200) return;
    this.shownAt = t0;
    this.shownDay = run.day;
    // The lever panel shows the values in force today: follow scheduled changes and resets.
    if (run.day < this.leversDay || run.scenario.schedule.some((e) => e.day > this.leversDay && e.day <= run.day + 1)) this.levers.refresh(run.scenario, run.day + 1);
    this.leversDay = run.day;
    this.syncPlay();
    // Texts are written only when they change: a text written again is still a new text node,
    // and the page's style, layout and paint for it, five times a second while a run plays.
    setText(this.el.day, `Day ${run.day} / ${run.days || run.scenario.days}`);
    const err = this.el['engine-error'];
    if (err.hidden !== !run.error) err.hidden = !run.error;
    setText(err, run.error ? `The engine stopped: ${run.error}` : '');
    const last = run.rows[run.rows.length - 1];
    if (last) {
      const r = this.readout;
      setText(r.members, String(last.members));
      setText(r.active, String(last.active));
      const toxic = this.toxicShare.of(run.rows);
      setText(r.toxic, Number.isFinite(toxic) ? `${(toxic * 100).toFixed(2)}%` : '–');
      // An index in [0, 1], not a share of anything: shown as such.
      setText(r.satisfaction, Number.isFinite(last.meanSatisfaction) ? last.meanSatisfaction.toFixed(2) : '–');
      setText(r.backlog, String(last.backlog));
    }
    // The URL follows the day every few seconds while playing (a history update costs the page
    // tens of ms on a busy machine, and browsers throttle them), and at once when the run stops.
    const t = performance.now();
    if (run.day !== this.dayTold && (!run.playing || t - this.dayToldAt > 5000)) {
      this.dayTold = run.day;
      this.dayToldAt = t;
      this.hooks.day(run.day);
    }
    // Drawing less often than every frame: the day and readout stay live, the rest waits. At full
    // speed "automatically" draws about once a second: the page's drawing is a cost per second,
    // so at a few ms of engine a day, drawing at every frame cost more than the engine itself.
    const now = performance.now();
    const auto = this.drawEvery === 0 && this.fast();
    const sparse = auto || this.drawEvery > 1;
    this.network.fps = sparse && run.playing ? SPARSE_FPS : 30;
    // Playing and drawn sparsely, the network is painted when a new picture comes (about once a
    // second), its layout and flashes advanced by the frames in between; paused, it animates.
    this.network.sparse = sparse && run.playing && !run.done;
    // Drawn sparsely, frames of 200 ms of engine (5 a second): Pause still answers within one.
    run.frameMs = this.drawEvery === 1 ? 80 : 200;
    const skip = auto
      ? now - this.drawnAt < AUTO_MS * 0.8 && run.day >= this.drawnDay
      : run.playing && !run.done && Number.isFinite(this.drawnDay) && run.day - this.drawnDay < this.drawEvery && run.day >= this.drawnDay;
    if (skip) return;
    this.drawnDay = run.day;
    this.drawnAt = now;
    this.tell(run);
    // While playing, the network takes a new sample and the charts redraw ~4 times a second
    // (plenty for the eye, and it keeps frames short); at once when paused.
    if (run.view && (!run.playing || now - this.networkAt > 200 || sparse)) {
      this.networkAt = now;
      this.network.update(run.view);
    }
    if (!run.playing || now - this.chartsAt > 250 || sparse) {
      this.chartsAt = now;
      this.dashboard.update(run);
    }
  }
}
