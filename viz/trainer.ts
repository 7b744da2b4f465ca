/**
 * Trainer mode: demonstrations sized for a projector. One or two scenarios play side by side in
 * lock-step on one seed; each side shows its key numbers large, a network, notes of what just
 * happened (viz/narrative.ts) and a few charts, all fitted to the screen so nothing needs
 * scrolling. Any preset on either side, any seed; shocks on demand (troll raid, the manager
 * goes silent, a festival) hit both sides on the next day; restart; fullscreen; keyboard
 * control (Space play/pause, r restart, f fullscreen, t/s/e shocks). Nothing runs while the
 * page is hidden or another view is shown (viz/main.ts pauses it).
 */
import { parseScenario, type Scenario } from '../scenarios/schema.js';
import type { DailyRow } from '../engine/metrics.js';
import { Dashboard } from './dashboard.js';
import { NetworkView } from './network.js';
import { Narrator } from './narrative.js';
import { PRESETS } from './presets.js';
import { LiveRun, SPEEDS } from './runner.js';

interface Demo {
  id: string;
  title: string;
  blurb: string;
  arms: { preset: string; heading: string }[];
  charts: string[];
}

const DEMOS: Demo[] = [
  {
    id: 'moderation',
    title: 'With and without moderation',
    blurb: 'The same community on the same seed: on the left nobody moderates, on the right moderators remove toxic posts and ban repeat offenders.',
    arms: [
      { preset: 'unmoderated-forum', heading: 'Without moderation' },
      { preset: 'moderated-forum', heading: 'With moderation' },
    ],
    charts: ['toxicity', 'members'],
  },
  {
    id: 'silent',
    title: 'The manager stops answering',
    blurb: 'The manager answers questions until day 60, then goes silent. Watch the answered share, then the members.',
    arms: [{ preset: 'silent-manager', heading: 'The manager goes silent' }],
    charts: ['answered', 'members', 'satisfaction'],
  },
];

/** The choice standing for the live view's current scenario (levers and schedule as edited there). */
const LIVE = '(live)';

/** Shocks a trainer can call in, each with its key. */
const SHOCKS: { id: string; key: string; label: string; shock: Record<string, unknown> }[] = [
  { id: 'troll-raid', key: 't', label: 'Troll raid now', shock: { type: 'troll-raid', size: 30, durationDays: 7 } },
  { id: 'silent', key: 's', label: 'Manager goes silent now', shock: { type: 'leader-leaves', replacementAfterDays: null } },
  { id: 'festival', key: 'e', label: 'Festival now', shock: { type: 'festival', messages: 3500, durationDays: 3 } },
];

/** The big numbers of a side: the last day's value, or a 7-day mean for daily rates. */
const BIG: { id: string; label: string; value: (rows: readonly DailyRow[]) => number; show: (v: number) => string }[] = [
  { id: 'members', label: 'members', value: (rows) => rows[rows.length - 1]?.members ?? NaN, show: (v) => v.toLocaleString('en-US') },
  { id: 'toxic', label: 'toxic share, 7 days', value: (rows) => weekShare(rows, (r) => r.toxicPosts, (r) => r.posts + r.replies), show: (v) => `${(v * 100).toFixed(1)}%` },
  // The engine's answered share of each day's questions, weighted by questions: answers counted
  // on the day given reach questions of earlier days, so answered/questions went past 100%.
  { id: 'answered', label: 'questions answered, 7 days', value: (rows) => weekShare(rows, (r) => (Number.isFinite(r.answeredShare) ? r.answeredShare * r.questions : 0), (r) => (Number.isFinite(r.answeredShare) ? r.questions : 0)), show: (v) => `${Math.round(v * 100)}%` },
  { id: 'satisfaction', label: 'satisfaction (0-1)', value: (rows) => rows[rows.length - 1]?.meanSatisfaction ?? NaN, show: (v) => v.toFixed(2) },
];

/** Sum of `num` over sum of `den` over the last 7 days (NaN when nothing to divide). */
function weekShare(rows: readonly DailyRow[], num: (r: DailyRow) => number, den: (r: DailyRow) => number): number {
  let a = 0;
  let b = 0;
  for (let i = Math.max(1, rows.length - 7); i < rows.length; i++) {
    a += num(rows[i]);
    b += den(rows[i]);
  }
  return b > 0 ? a / b : NaN;
}

/** Sizes that fit the screen: chart text, network and chart heights grow with the window. */
function roomSizes(): { font: number; network: number } {
  return { font: Math.round(Math.max(13, Math.min(22, window.innerWidth / 85))), network: Math.round(Math.max(110, Math.min(340, window.innerHeight * 0.24))) };
}

class DemoPanel {
  readonly run: LiveRun;
  readonly dashboard: Dashboard;
  readonly root: HTMLElement;
  private readonly network: NetworkView;
  private readonly day: HTMLElement;
  private readonly big = new Map<string, HTMLElement>();
  private readonly narrative: HTMLOListElement;
  private narrator = new Narrator();
  private narrated: readonly DailyRow[] | null = null;
  private told = '';
  private readonly seen = new Map<string, number>();
  private chartsAt = 0;

  constructor(parent: HTMLElement, heading: string, scenario: Scenario, charts: string[], peers: () => Dashboard[]) {
    const sizes = roomSizes();
    const panel = document.createElement('section');
    panel.className = 'demo-panel';
    this.root = panel;
    // A grid sized to the screen (viz/style.css): the heading and the big numbers on top; below,
    // the network over the notes on the left and the charts, as large as the rest allows, on the right.
    panel.innerHTML = `<div class="demo-head"><h3></h3><p class="demo-day" data-testid="demo-day">Day 0</p></div><dl class="big-numbers" data-testid="big-numbers"></dl><div class="demo-body"><div class="demo-left"></div></div>`;
    panel.querySelector('h3')!.textContent = heading;
    this.day = panel.querySelector('.demo-day')!;
    const dl = panel.querySelector('dl')!;
    for (const b of BIG) {
      const div = document.createElement('div');
      div.innerHTML = `<dt></dt><dd data-testid="big-${b.id}">–</dd>`;
      div.querySelector('dt')!.textContent = b.label;
      this.big.set(b.id, div.querySelector('dd')!);
      dl.append(div);
    }
    const body = panel.querySelector<HTMLElement>('.demo-body')!;
    const left = panel.querySelector<HTMLElement>('.demo-left')!;
    parent.append(panel);
    this.network = new NetworkView(left, sizes.network);
    this.narrative = document.createElement('ol');
    // The notes take what the network leaves of the column, never more: new notes must not push
    // anything off the screen.
    this.narrative.className = 'narrative big';
    this.narrative.dataset.testid = 'narrative';
    this.narrative.setAttribute('aria-live', 'polite');
    left.append(this.narrative);
    this.dashboard = new Dashboard(body, charts, { height: 200, fontSize: sizes.font, peers, scenarioName: () => heading });
    // The same number of members drawn on both sides, whatever their sizes.
    this.run = new LiveRun(scenario, 250);
    this.run.onFrame(() => this.render());
  }

  /**
   * Sizes the charts to the cells the grid gives them: the grid's rows are fractions of the
   * screen, so a chart is as tall as its cell less its caption, and nothing needs scrolling.
   */
  fit(): void {
    const figs = [...this.dashboard.root.querySelectorAll<HTMLElement>('figure')];
    if (!figs.length) return;
    // The tallest caption (a title may wrap to two lines) and the smallest cell: every chart fits.
    let room = Infinity;
    for (const fig of figs) {
      const caption = fig.querySelector('figcaption');
      const style = getComputedStyle(fig);
      const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
      const captionH = caption ? caption.getBoundingClientRect().height + parseFloat(getComputedStyle(caption).marginBottom) : 0;
      room = Math.min(room, fig.getBoundingClientRect().height - pad - captionH - 1);
    }
    this.dashboard.setHeight(Math.max(100, Math.floor(room)));
  }

  private render(): void {
    const run = this.run;
    this.day.textContent = `Day ${run.day} / ${run.days || run.scenario.days}${run.error ? ` — engine error: ${run.error}` : ''}`;
    for (const b of BIG) {
      const v = b.value(run.rows);
      this.big.get(b.id)!.textContent = Number.isFinite(v) ? b.show(v) : '–';
    }
    if (run.view) this.network.update(run.view);
    const now = performance.now();
    if (!run.playing || run.done || now - this.chartsAt > 250) {
      this.chartsAt = now;
      this.dashboard.update(run);
    }
    if (this.narrated !== run.rows) {
      this.narrated = run.rows;
      this.narrator = new Narrator();
    }
    this.narrator.update(run.events, run.rows);
    const shown = this.narrator.lines.slice(-6).reverse();
    const key = shown.map((l) => l.text).join('\n');
    // Rebuild the list only when the notes change (aria-live reads every change aloud); a note
    // stays bold for its first three seconds so the room sees what is new.
    if (key !== this.told) {
      this.told = key;
      this.narrative.replaceChildren(...shown.map((l) => Object.assign(document.createElement('li'), { textContent: l.text })));
    }
    for (const li of this.narrative.children) {
      const first = this.seen.get(li.textContent!) ?? now;
      this.seen.set(li.textContent!, first);
      li.classList.toggle('fresh', now - first < 3000);
    }
  }

  dispose(): void {
    this.run.dispose();
    this.network.dispose();
  }
}

export class TrainerView {
  private panels: DemoPanel[] = [];
  private readonly root: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly el: Record<string, HTMLElement> = {};
  private playing = false;
  private show = 0;
  /** Plays started: a beat loop left from an earlier play stops when it sees a newer one. */
  private plays = 0;

  constructor(root: HTMLElement, private readonly liveScenario: () => Scenario = () => parseScenario({})) {
    this.root = root;
    root.classList.add('presentation');
    const presets = `<option value="${LIVE}">the live run's scenario</option>${[...PRESETS.keys()].map((n) => `<option value="${n}">${n}</option>`).join('')}`;
    root.innerHTML = `
      <div class="toolbar demo-buttons">
        ${DEMOS.map((d) => `<button type="button" class="primary big" data-demo="${d.id}">${d.title}</button>`).join('')}
        <button type="button" data-id="play" class="big" aria-keyshortcuts="Space" disabled>Play</button>
        <button type="button" data-id="restart" class="big" aria-keyshortcuts="r" disabled>Restart</button>
        <button type="button" data-id="fullscreen" class="big" aria-keyshortcuts="f">Fullscreen</button>
        <label>Speed <select data-id="speed">${SPEEDS.filter(Number.isFinite).map((s) => `<option value="${s}">${s} days/s</option>`).join('')}</select></label>
        ${SHOCKS.map((s) => `<button type="button" data-shock="${s.id}" aria-keyshortcuts="${s.key}" disabled>${s.label} <kbd>${s.key}</kbd></button>`).join('')}
      </div>
      <details class="demo-setup" data-id="setup">
        <summary>Own demonstration: the live run's scenario or any preset on either side, any seed</summary>
        <div class="toolbar">
          <label>Left <select data-id="left">${presets}</select></label>
          <label>Right <select data-id="right"><option value="">(none: one side)</option>${presets}</select></label>
          <label>Seed <input data-id="seed" type="number" min="0" step="1" value="1" class="short"></label>
          <label>Days <input data-id="days" type="number" min="1" max="36500" step="1" value="365" class="short"></label>
          <button type="button" data-id="start" class="primary">Start</button>
        </div>
      </details>
      <p class="demo-blurb"><span data-id="blurb">Choose a demonstration. It starts at once; the notes beside each network say what is happening.</span> <span class="muted keys">Keys: <kbd>Space</kbd> play/pause, <kbd>r</kbd> restart, <kbd>f</kbd> fullscreen, <kbd>t</kbd> <kbd>s</kbd> <kbd>e</kbd> shocks.</span></p>
      <div class="demo-stage" data-id="stage"></div>`;
    for (const n of root.querySelectorAll<HTMLElement>('[data-id]')) this.el[n.dataset.id!] = n;
    this.stage = this.el.stage;
    (this.el.speed as HTMLSelectElement).value = '10';
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-demo]')) {
      b.addEventListener('click', () => {
        const demo = DEMOS.find((d) => d.id === b.dataset.demo)!;
        void this.start(demo.arms.map((a) => a.preset), demo.arms.map((a) => a.heading), demo.charts, demo.blurb);
      });
    }
    this.el.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    this.el.restart.addEventListener('click', () => void this.restart());
    this.el.fullscreen.addEventListener('click', () => void this.fullscreen());
    this.el.start.addEventListener('click', () => {
      const sides = [(this.el.left as HTMLSelectElement).value, (this.el.right as HTMLSelectElement).value].filter(Boolean);
      const seed = Number((this.el.seed as HTMLInputElement).value);
      const days = Number((this.el.days as HTMLInputElement).value);
      const names = sides.map((p) => (p === LIVE ? this.liveScenario().name || 'live scenario' : p));
      void this.start(sides, names, sides.length > 1 ? ['toxicity', 'members', 'answered'] : ['toxicity', 'members', 'answered', 'satisfaction'], `${names.join(' against ')}, seed ${seed}, ${days} days.`, { seed, days });
    });
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-shock]')) {
      b.addEventListener('click', () => void this.shock(b.dataset.shock!));
    }
    document.addEventListener('fullscreenchange', () => {
      this.el.fullscreen.textContent = document.fullscreenElement === root ? 'Leave fullscreen' : 'Fullscreen';
      requestAnimationFrame(() => this.fit());
    });
    window.addEventListener('resize', () => requestAnimationFrame(() => this.fit()));
    // A button pressed with Space clicks on keyup: here Space was play/pause, so no click.
    document.addEventListener('keyup', (e) => {
      if (e.key === ' ' && !root.hidden && (e.target as HTMLElement).closest?.('button')) e.preventDefault();
    });
  }

  /** Keys while the trainer view is shown. */
  key(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target as HTMLElement;
    if (t.closest('input, select, textarea, canvas, [contenteditable]')) return;
    const shock = SHOCKS.find((s) => s.key === e.key);
    if (e.key === ' ') {
      // Space is play/pause here even on a focused button (a presenter has just clicked
      // Fullscreen or a shock); Enter still presses buttons.
      if (t.closest('summary')) return;
      if (!e.repeat && this.panels.length) {
        if (this.playing) this.pause();
        else this.play();
      }
    } else if (e.key === 'r') void this.restart();
    else if (e.key === 'f') void this.fullscreen();
    else if (shock) void this.shock(shock.id);
    else return;
    e.preventDefault();
  }

  pause(): void {
    this.playing = false;
    this.el.play.textContent = 'Play';
    this.el.play.setAttribute('aria-pressed', 'false');
  }

  private play(): void {
    if (this.playing || !this.panels.length || document.hidden) return;
    if (this.panels.every((p) => p.run.done)) return;
    this.playing = true;
    this.el.play.textContent = 'Pause';
    this.el.play.setAttribute('aria-pressed', 'true');
    // Each play its own token: a beat left waiting from a play paused within one beat stops.
    void this.conduct(this.show, ++this.plays);
  }

  private async fullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await this.root.requestFullscreen();
    } catch {
      // Fullscreen refused (no user gesture, or not allowed here): the view stays as it is.
    }
  }

  /** Advances every panel by the same days per beat, so the two sides stay on the same day. */
  private async conduct(show: number, play: number): Promise<void> {
    while (this.playing && show === this.show && play === this.plays) {
      const started = performance.now();
      const speed = Number((this.el.speed as HTMLSelectElement).value);
      const interval = Math.max(50, 1000 / speed);
      const days = Math.max(1, Math.round((speed * interval) / 1000));
      await Promise.all(this.panels.map((p) => p.run.advance(days)));
      if (this.panels.every((p) => p.run.done)) {
        this.pause();
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, interval - (performance.now() - started))));
    }
  }

  /** A shock on both sides from the next day on (recorded in each side's scenario, so a restart replays it). */
  private async shock(id: string): Promise<void> {
    const s = SHOCKS.find((x) => x.id === id);
    if (!s || !this.panels.length) return;
    await Promise.all(this.panels.map((p) => p.run.shockNow(s.shock)));
  }

  /** Both sides again from day 0, with the shocks called in so far, and playing. */
  private async restart(): Promise<void> {
    if (!this.panels.length) return;
    this.pause();
    const show = ++this.show;
    await Promise.all(this.panels.map((p) => p.run.load()));
    if (show === this.show) this.play();
  }

  private async start(presets: string[], headings: string[], charts: string[], blurb: string, own?: { seed: number; days: number }): Promise<void> {
    this.pause();
    const show = ++this.show;
    for (const p of this.panels) p.dispose();
    this.panels = [];
    this.stage.replaceChildren();
    this.stage.dataset.sides = String(presets.length);
    this.el.blurb.textContent = blurb;
    const missing = presets.filter((p) => p !== LIVE && !PRESETS.has(p));
    if (missing.length) {
      this.el.blurb.textContent = `This demonstration needs the preset${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this build does not ship.`;
      return;
    }
    let scenarios: Scenario[];
    try {
      scenarios = presets.map((p) => (p === LIVE ? this.liveScenario() : parseScenario(PRESETS.get(p))));
      // Same seed on both sides: the difference is the policy, not the luck of the draw.
      const seed = own?.seed ?? scenarios[0].seed;
      scenarios = scenarios.map((s) => parseScenario({ ...s, seed, days: own?.days ?? s.days }));
    } catch (e) {
      this.el.blurb.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    const peers = () => this.panels.map((p) => p.dashboard);
    this.panels = scenarios.map((s, i) => new DemoPanel(this.stage, headings[i], s, charts, peers));
    for (const b of this.root.querySelectorAll<HTMLButtonElement>('[data-shock], [data-id="play"], [data-id="restart"]')) b.disabled = false;
    requestAnimationFrame(() => this.fit());
    await Promise.all(this.panels.map((p) => p.run.load()));
    if (show !== this.show) return;
    requestAnimationFrame(() => this.fit());
    this.play();
  }

  /**
   * Fits the demonstration to the window: the stage takes the height below the toolbar (the
   * panels' grids share it out) and the charts are sized to their cells.
   */
  private fit(): void {
    if (this.root.hidden || !this.panels.length) return;
    const full = document.fullscreenElement === this.root;
    const top = this.stage.getBoundingClientRect().top + (full ? 0 : window.scrollY);
    // 8 px below; on a window too small for a room, a floor that keeps the charts legible (the page scrolls).
    this.stage.style.height = `${Math.max(420, Math.floor(window.innerHeight - top - 8))}px`;
    for (const p of this.panels) p.fit();
  }
}
