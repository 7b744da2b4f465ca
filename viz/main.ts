/**
 * The visualizer's entry point: three views behind keyboard-operable tabs (Live, Compare,
 * Trainer). The URL's hash always holds the page's state (the live scenario with its lever
 * values and schedule, the day reached, the view, the comparison's setup), rewritten as soon as
 * any of them changes, so a reload or a copied address brings back what was on screen; a new
 * hash pasted into an open tab is loaded (`hashchange`).
 */
import './style.css';
import type { Scenario } from '../scenarios/schema.js';
import { CompareView } from './compare.js';
import { FitView } from './fit.js';
import { LiveView } from './live.js';
import { OptimiseView } from './optimise.js';
import { DEFAULT_PRESET, presetScenario } from './presets.js';
import { ShareTooLargeError, decodeState, encodeState, type PageState, type ViewName } from './share.js';
import { TrainerView } from './trainer.js';

/**
 * The page's address: every part of the state reports here and the hash is rewritten (with
 * history.replaceState: no new history entry, no hashchange) once the encodings settle.
 */
class Address {
  /** The hash this page wrote last: a hashchange to anything else came from outside. */
  written = location.hash;
  private seq = 0;
  private pending: Promise<void> = Promise.resolve();
  /** Why the address does not hold the scenario (too large for a link the page would open), or null. */
  private left: string | null = null;

  constructor(readonly state: PageState) {}

  update(patch: Partial<PageState>): void {
    Object.assign(this.state, patch);
    const n = ++this.seq;
    const state = { ...this.state };
    this.pending = encodeState(state)
      .then((hash) => ({ hash, left: null }))
      // a link the page would refuse is not written: the address keeps the rest, and Share says why
      .catch(async (e: unknown) => {
        if (!(e instanceof ShareTooLargeError)) throw e;
        return { hash: await encodeState({ ...state, scenario: null, preset: null, day: 0 }), left: e.message };
      })
      .then(({ hash, left }) => {
        if (n !== this.seq) return; // a newer state is on its way
        this.left = left;
        history.replaceState(history.state, '', `#${hash}`);
        this.written = location.hash;
      });
  }

  /** Resolves once the address holds the latest state: with why it leaves the scenario out, or null. */
  async settled(): Promise<string | null> {
    let seen = -1;
    while (seen !== this.seq) {
      seen = this.seq;
      await this.pending;
    }
    return this.left;
  }
}

async function start(): Promise<void> {
  const { state, errors } = await decodeState(location.hash);
  const scenario: Scenario = state.scenario ?? presetScenario(DEFAULT_PRESET);
  const preset = state.scenario ? state.preset ?? '' : DEFAULT_PRESET;
  const address = new Address({ ...state, scenario, preset });

  const live = new LiveView(document.getElementById('view-live')!, scenario, preset, errors, {
    scenario: (s, p) => address.update({ scenario: s, preset: p || null }),
    day: (day) => address.update({ day }),
    settled: () => address.settled(),
  }, state.day);
  let compare: CompareView | null = null;
  let trainer: TrainerView | null = null;
  let optimise: OptimiseView | null = null;
  let fit: FitView | null = null;
  const openCompare = () => (compare ??= new CompareView(document.getElementById('view-compare')!, () => live.run.scenario, address.state.compare, (setup) => address.update({ compare: setup })));

  // A strategy of the front opens in the live view (and its address), from day 0; the setup lives in the address.
  const openOptimise = () => (optimise ??= new OptimiseView(document.getElementById('view-optimise')!, () => live.run.scenario, (s) => openLive(s), address.state.optimise, (setup) => address.update({ optimise: setup })));

  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')!)!.hidden = !on;
    }
    const view = tab.dataset.view as ViewName;
    // One simulation at a time competes for the cores: leaving a view pauses it.
    if (view !== 'live') live.run.pause();
    if (view !== 'trainer') trainer?.pause();
    if (view === 'compare') openCompare();
    if (view === 'trainer') trainer ??= new TrainerView(document.getElementById('view-trainer')!, () => live.run.scenario);
    if (view === 'optimise') {
      if (optimise) optimise.refresh();
      else openOptimise();
    }
    // The fitted community opens as the live scenario, and in Compare as the strategies' base:
    // as it is against stricter moderation, to start from.
    if (view === 'fit') {
      fit ??= new FitView(document.getElementById('view-fit')!, {
        live: (s) => openLive(s),
        compare: (s) => {
          openLive(s);
          const setup = { arms: [{ name: 'fitted', source: '', overrides: '' }, { name: 'fitted, strict moderation', source: '', overrides: 'policies.moderation.strictness = 0.9' }], reps: 5, days: s.days, seed: 1 };
          openCompare().setup(setup);
          address.update({ compare: setup });
          select(tabOf('compare'));
        },
      });
    }
    if (address.state.view !== view) address.update({ view });
  };
  const tabOf = (view: ViewName) => tabs.find((t) => t.dataset.view === view)!;
  const openLive = (s: Scenario) => {
    live.replace(s, 0, '');
    address.update({ scenario: s, preset: null, day: 0 });
    select(tabOf('live'));
  };
  for (const [i, t] of tabs.entries()) {
    t.addEventListener('click', () => select(t));
    t.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      const next = tabs[(i + d + tabs.length) % tabs.length];
      next.focus();
      select(next);
    });
  }
  select(tabOf(state.view));
  // Keyboard control in every view: the shown view gets the keys.
  document.addEventListener('keydown', (e) => {
    if (!document.getElementById('view-live')!.hidden) live.key(e);
    else if (!document.getElementById('view-trainer')!.hidden) trainer?.key(e);
    else if (!document.getElementById('view-compare')!.hidden) compare?.key(e);
    else if (!document.getElementById('view-optimise')!.hidden) optimise?.key(e);
    else if (!document.getElementById('view-fit')!.hidden) fit?.key(e);
  });
  // Nothing runs in a hidden tab: a page left in the background pauses (the user plays again).
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      live.run.pause();
      trainer?.pause();
    }
  });
  // Another link pasted into this tab: load what it holds.
  window.addEventListener('hashchange', () => {
    if (location.hash === address.written) return;
    void (async () => {
      const next = await decodeState(location.hash);
      address.written = location.hash;
      const s = next.state.scenario ?? presetScenario(DEFAULT_PRESET);
      Object.assign(address.state, { ...next.state, scenario: s, preset: next.state.scenario ? next.state.preset : DEFAULT_PRESET });
      live.replace(s, next.state.day, next.state.scenario ? next.state.preset ?? '' : DEFAULT_PRESET, next.errors);
      if (next.state.compare) openCompare().setup(next.state.compare);
      if (next.state.optimise) openOptimise().setup(next.state.optimise);
      select(tabOf(next.state.view));
    })();
  });
}

void start();
