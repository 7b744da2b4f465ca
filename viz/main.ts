/**
 * The visualizer's entry point: three views behind keyboard-operable tabs (Live, Compare,
 * Trainer). The live view opens with the scenario of a shared link when the URL carries one,
 * otherwise with the default preset.
 */
import './style.css';
import { ScenarioError, type Scenario } from '../scenarios/schema.js';
import { CompareView } from './compare.js';
import { LiveView } from './live.js';
import { DEFAULT_PRESET, presetScenario } from './presets.js';
import { decodeShare } from './share.js';
import { TrainerView } from './trainer.js';

async function start(): Promise<void> {
  let scenario: Scenario = presetScenario(DEFAULT_PRESET);
  let preset = DEFAULT_PRESET;
  let linkError: string | undefined;
  try {
    const shared = await decodeShare(location.hash);
    if (shared) {
      scenario = shared;
      preset = '';
    }
  } catch (e) {
    linkError = e instanceof ScenarioError ? `The shared link's scenario was not loaded: ${e.message}` : (e as Error).message;
  }

  const live = new LiveView(document.getElementById('view-live')!, scenario, preset, linkError);
  let compare: CompareView | null = null;
  let trainer: TrainerView | null = null;

  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')!)!.hidden = !on;
    }
    const view = tab.dataset.view;
    // One simulation at a time competes for the cores: leaving the live view pauses it.
    if (view !== 'live') live.run.pause();
    if (view === 'compare' && !compare) compare = new CompareView(document.getElementById('view-compare')!, () => live.run.scenario);
    if (view === 'trainer' && !trainer) trainer = new TrainerView(document.getElementById('view-trainer')!);
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
  document.addEventListener('keydown', (e) => {
    if (!document.getElementById('view-live')!.hidden) live.key(e);
  });
}

void start();
