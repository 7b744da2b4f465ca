/**
 * The baseline page of bench/viz.bench.ts: the engine alone in a Web Worker of the same browser,
 * nothing drawn and nothing sent back but the time each day ended. The visualizer's page runs the
 * same engine in a worker too, so page against this is what the page adds to the engine's time.
 */
interface Reply {
  ready?: boolean;
  mark?: number;
  at?: number[];
}

const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'engine alone' });
const state = { day: 0, at: null as number[] | null, ready: false };
worker.addEventListener('message', (e: MessageEvent<Reply>) => {
  if (e.data.ready) state.ready = true;
  if (e.data.mark !== undefined) state.day = e.data.mark;
  if (e.data.at) state.at = e.data.at;
});

/** What the bench calls: load (createSimulation, timed apart), then run to the end. */
Object.assign(window, {
  engine: state,
  engineLoad(scenario: unknown): void {
    state.ready = false;
    state.at = null;
    state.day = 0;
    worker.postMessage({ load: scenario });
  },
  engineRun(marks: number[]): void {
    worker.postMessage({ run: marks });
  },
  engineResume(): void {
    worker.postMessage({ resume: true });
  },
});
