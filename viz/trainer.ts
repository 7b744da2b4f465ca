/**
 * Trainer mode: one-click demonstrations sized for a projector. "With and without moderation"
 * plays the unmoderated and the moderated forum side by side on the same seed; "the manager
 * stops answering" plays silent-manager. Each panel tells what happens as it happens, from the
 * run's events and turning points (viz/narrative.ts).
 */
import { parseScenario, type Scenario } from '../scenarios/schema.js';
import { Dashboard } from './dashboard.js';
import { NetworkView } from './network.js';
import { narrate, narrativeLines } from './narrative.js';
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

class DemoPanel {
  readonly run: LiveRun;
  private readonly network: NetworkView;
  private readonly dashboard: Dashboard;
  private readonly day: HTMLElement;
  private readonly narrative: HTMLOListElement;
  private told = '';
  private readonly seen = new Map<string, number>();
  private chartsAt = 0;

  constructor(parent: HTMLElement, heading: string, scenario: Scenario, charts: string[], wide: boolean, peers: () => LiveRun[]) {
    const panel = document.createElement('section');
    panel.className = wide ? 'demo-panel wide' : 'demo-panel';
    panel.innerHTML = `<h3>${heading}</h3><p class="demo-day" data-testid="demo-day">Day 0</p><div class="demo-top"></div>`;
    this.day = panel.querySelector('.demo-day')!;
    const top = panel.querySelector<HTMLElement>('.demo-top')!;
    parent.append(panel);
    // A single demonstration puts the commentary beside the network, two put it below each.
    this.network = new NetworkView(top, wide ? 340 : 300);
    this.narrative = document.createElement('ol');
    this.narrative.className = 'narrative big';
    this.narrative.dataset.testid = 'narrative';
    this.narrative.setAttribute('aria-live', 'polite');
    top.append(this.narrative);
    this.dashboard = new Dashboard(panel, charts, 230, peers);
    this.run = new LiveRun(scenario, 250);
    this.run.onFrame(() => this.render());
  }

  private render(): void {
    const run = this.run;
    this.day.textContent = `Day ${run.day} / ${run.days || run.scenario.days}${run.error ? ` — engine error: ${run.error}` : ''}`;
    if (run.view) this.network.update(run.view);
    const now = performance.now();
    if (run.done || now - this.chartsAt > 250) {
      this.chartsAt = now;
      this.dashboard.update(run);
    }
    const lines = narrativeLines(narrate(run.events, run.rows));
    const shown = lines.slice(-6).reverse();
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
  private readonly stage: HTMLElement;
  private readonly speed: HTMLSelectElement;
  private readonly playButton: HTMLButtonElement;
  private playing = false;
  private show = 0;
  /** Plays started: a beat loop left from an earlier play stops when it sees a newer one. */
  private plays = 0;

  constructor(root: HTMLElement) {
    root.classList.add('presentation');
    root.innerHTML = `
      <div class="toolbar demo-buttons">
        ${DEMOS.map((d) => `<button type="button" class="primary big" data-demo="${d.id}">${d.title}</button>`).join('')}
        <button type="button" data-id="play" class="big" disabled>Pause</button>
        <label>Speed <select data-id="speed">${SPEEDS.filter(Number.isFinite).map((s) => `<option value="${s}">${s} days/s</option>`).join('')}</select></label>
      </div>
      <p class="demo-blurb" data-id="blurb">Choose a demonstration. It starts at once; the notes under each network say what is happening.</p>
      <div class="demo-stage" data-id="stage"></div>`;
    this.stage = root.querySelector('[data-id="stage"]')!;
    this.speed = root.querySelector('[data-id="speed"]')!;
    this.speed.value = '10';
    this.playButton = root.querySelector('[data-id="play"]')!;
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-demo]')) {
      b.addEventListener('click', () => void this.start(DEMOS.find((d) => d.id === b.dataset.demo)!, root.querySelector('[data-id="blurb"]')!));
    }
    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
  }

  private pause(): void {
    this.playing = false;
    this.playButton.textContent = 'Play';
  }

  private play(): void {
    if (this.playing) return;
    this.playing = true;
    this.playButton.textContent = 'Pause';
    // Each play its own token: a beat left waiting from a play paused within one beat stops.
    void this.conduct(this.show, ++this.plays);
  }

  /** Advances every panel by the same days per beat, so the two sides stay on the same day. */
  private async conduct(show: number, play: number): Promise<void> {
    while (this.playing && show === this.show && play === this.plays) {
      const started = performance.now();
      const interval = Math.max(50, 1000 / Number(this.speed.value));
      const days = Math.max(1, Math.round((Number(this.speed.value) * interval) / 1000));
      await Promise.all(this.panels.map((p) => p.run.advance(days)));
      if (this.panels.every((p) => p.run.done)) {
        this.pause();
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, interval - (performance.now() - started))));
    }
  }

  private async start(demo: Demo, blurb: HTMLElement): Promise<void> {
    this.pause();
    const show = ++this.show;
    for (const p of this.panels) p.dispose();
    this.panels = [];
    this.stage.replaceChildren();
    this.stage.dataset.demo = demo.id;
    blurb.textContent = demo.blurb;
    const missing = demo.arms.filter((a) => !PRESETS.has(a.preset)).map((a) => a.preset);
    if (missing.length) {
      blurb.textContent = `This demonstration needs the preset${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this build does not ship.`;
      return;
    }
    const scenarios = demo.arms.map((a) => parseScenario(PRESETS.get(a.preset)));
    // Same seed on both sides: the difference is the policy, not the luck of the draw.
    const seed = scenarios[0].seed;
    const peers = () => this.panels.map((p) => p.run);
    this.panels = demo.arms.map((a, i) => new DemoPanel(this.stage, a.heading, { ...scenarios[i], seed }, demo.charts, demo.arms.length === 1, peers));
    await Promise.all(this.panels.map((p) => p.run.load()));
    if (show !== this.show) return;
    this.playButton.disabled = false;
    this.play();
  }
}
