/**
 * The visualizer's speed goals (issue 12), measured in Debian's Chromium driven by playwright-core:
 *
 * - long run: the default preset for 3,650 days at full speed; simulated days a second over the
 *   last tenth of the run against the first tenth (goal: at least 80%). The engine alone (in
 *   this Node process) is timed over the same stretches, to tell the page's slowdown from the
 *   engine's own.
 * - large: 10,000 initial members at full speed; the page's wall time from Play to the last day
 *   against the engine's own time for the same run (goal: at most 30% more), drawing every
 *   frame and drawing only at the end.
 *
 *   npx tsx bench/viz.bench.ts [--days 3650] [--large-days 90] [--only long,large]
 *
 * The page is the production build (vite build) served by vite preview; one browser, one page
 * at a time. Figures go to stdout; bench/RESULTS.md records them with the machine's load.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { createSimulation, parseScenario } from '../engine/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] ? process.argv[k + 1] : fallback;
}

const days = Number(option('days', '3650'));
const largeDays = Number(option('large-days', '90'));
const only = new Set(option('only', 'long,large').split(','));

/**
 * Engine alone, in this process: wall ms and CPU ms (this process's user + system time, which
 * other processes on a loaded machine do not inflate) at which each day ended.
 */
function engineTimes(input: unknown): { at: number[]; cpu: number[] } {
  const scenario = parseScenario(input);
  const sim = createSimulation(scenario, { seed: scenario.seed });
  const at = [0];
  const cpu = [0];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (!sim.done) {
    sim.step(1);
    at.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { at, cpu };
}

/** Days a second between day `a` and day `b`, from times (ms) indexed by day. */
const rate = (at: number[], a: number, b: number) => ((b - a) * 1000) / (at[b] - at[a]);

/** Loads `scenario` from a file into the page's live view and waits for day 0. */
async function loadInto(page: Page, scenario: unknown): Promise<void> {
  await page.locator('#view-live input[type=file]').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  const d = (scenario as { days: number }).days;
  await page.waitForFunction((n) => document.querySelector('[data-testid="day"]')?.textContent === `Day 0 / ${n}`, d, { timeout: 600_000 });
  await page.waitForTimeout(300);
}

/**
 * CPU seconds so far of the page's main thread (`thread`) and of its whole renderer process
 * (`process`: the main thread, the engine's worker, the compositor), and the day shown then.
 */
interface Cpu {
  day: number;
  thread: number;
  process: number;
}

/**
 * Plays at full speed to the end; returns the page's clock (ms since Play) at which each day was
 * first shown (the day counter is read by a MutationObserver in the page, so nothing polls), and
 * the main thread's task time when the days in `marks` were reached: on a loaded machine wall
 * time says as much about the other processes as about the page, thread time does not.
 */
async function playToEnd(page: Page, total: number, draw = '1', marks: number[] = []): Promise<{ at: number[]; cpu: Cpu[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const cpuNow = async (): Promise<Cpu> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const day = Number(/Day (\d+)/.exec((await page.getByTestId('day').first().textContent()) ?? '')?.[1]);
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { day, thread: metric('ThreadTime'), process: metric('ProcessTime') };
  };
  await page.locator('#view-live [data-id="speed"]').selectOption('Infinity');
  // The page before "Draw" existed has no such choice: it draws every frame.
  if (await page.locator('#view-live [data-id="draw-every"]').count()) await page.locator('#view-live [data-id="draw-every"]').selectOption(draw);
  const cpu = [await cpuNow()];
  await page.evaluate(() => {
    const w = window as unknown as { dayAt: [number, number][]; t0: number };
    w.dayAt = [];
    const el = document.querySelector('[data-testid="day"]')!;
    new MutationObserver(() => w.dayAt.push([performance.now() - w.t0, Number(/Day (\d+)/.exec(el.textContent ?? '')?.[1])])).observe(el, { childList: true, characterData: true, subtree: true });
    w.t0 = performance.now();
    (document.querySelector('#view-live [data-id="play"]') as HTMLButtonElement).click();
  });
  for (const m of marks) {
    await page.waitForFunction((n) => Number(/Day (\d+)/.exec(document.querySelector('[data-testid="day"]')?.textContent ?? '')?.[1]) >= n, m, { timeout: 1_800_000, polling: 50 });
    cpu.push(await cpuNow());
  }
  await page.waitForFunction((n) => document.querySelector('[data-testid="day"]')?.textContent === `Day ${n} / ${n}`, total, { timeout: 1_800_000 });
  cpu.push(await cpuNow());
  await cdp.detach();
  const seen = await page.evaluate(() => (window as unknown as { dayAt: [number, number][] }).dayAt);
  // The time each day was first on screen (days drawn in one frame share the frame's time).
  const at: number[] = new Array(total + 1).fill(NaN);
  at[0] = 0;
  for (const [t, d] of seen) for (let k = d; k >= 0 && Number.isNaN(at[k]); k--) at[k] = t;
  return { at, cpu };
}

/** CPU ms per simulated day between two snapshots, of the main thread or the whole renderer. */
const cpuPerDay = (a: Cpu, b: Cpu, of: 'thread' | 'process') => ((b[of] - a[of]) * 1000) / Math.max(1, b.day - a.day);

async function main(): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'viz-bench-'));
  const configFile = join(ROOT, 'vite.config.ts');
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { port: 0, strictPort: false, open: false } });
  const base = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  console.log(`viz bench: ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Chromium ${browser.version()}, Node ${process.version}`);
  try {
    if (only.has('long')) {
      const preset = JSON.parse(await readFile(join(ROOT, 'scenarios', 'moderated-forum.json'), 'utf8')) as Record<string, unknown>;
      const scenario = { ...preset, days };
      const tenth = Math.floor(days / 10);
      const engine = engineTimes(scenario);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(base);
      await loadInto(page, scenario);
      const e = (a: number, b: number) => (engine.cpu[b] - engine.cpu[a]) / (b - a);
      const { at, cpu } = await playToEnd(page, days, '1', [tenth, days - tenth]);
      const first = rate(at, 0, tenth);
      const last = rate(at, days - tenth, days);
      console.log(`long run, ${days} days of moderated-forum, drawing every frame (load ${loadavg()[0].toFixed(1)}):`);
      console.log(`  page:   first tenth ${first.toFixed(0)} days/s, last tenth ${last.toFixed(0)} days/s: ${((last / first) * 100).toFixed(0)}%; whole run ${(at[days] / 1000).toFixed(1)} s`);
      for (const of of ['thread', 'process'] as const) {
        const [a, b] = [cpuPerDay(cpu[0], cpu[1], of), cpuPerDay(cpu[2], cpu[3], of)];
        // Per second of the run as well: a cost per frame or per second (drawing, the force layout)
        // is constant per second, so it shows per day as the engine's own pace falls.
        const perSecond = (x: Cpu, y: Cpu) => ((y[of] - x[of]) * 1000) / ((at[y.day] - at[x.day]) / 1000);
        console.log(`  page ${of === 'thread' ? 'main thread' : 'renderer process (page + engine worker)'} CPU: ${a.toFixed(2)} ms a day over days ${cpu[0].day}-${cpu[1].day}, ${b.toFixed(2)} ms over days ${cpu[2].day}-${cpu[3].day}: last/first ${(b / a).toFixed(2)}; per second of the run ${perSecond(cpu[0], cpu[1]).toFixed(0)} and ${perSecond(cpu[2], cpu[3]).toFixed(0)} ms`);
      }
      console.log(`  engine alone (Node): first tenth ${rate(engine.at, 0, tenth).toFixed(0)} days/s, last tenth ${rate(engine.at, days - tenth, days).toFixed(0)} days/s: ${((rate(engine.at, days - tenth, days) / rate(engine.at, 0, tenth)) * 100).toFixed(0)}%; whole run ${(engine.at[days] / 1000).toFixed(1)} s`);
      console.log(`  engine alone CPU: ${e(0, tenth).toFixed(2)} ms a day over the first tenth, ${e(days - tenth, days).toFixed(2)} ms over the last: last/first ${(e(days - tenth, days) / e(0, tenth)).toFixed(2)}`);
      await page.close();
    }
    if (only.has('large')) {
      const scenario = { name: 'large', seed: 3, days: largeDays, population: { initialMembers: 10_000 } };
      const engine = engineTimes(scenario);
      console.log(`large, 10,000 initial members, ${largeDays} days (load ${loadavg()[0].toFixed(1)}): engine alone (Node) ${(engine.at[largeDays] / 1000).toFixed(2)} s wall, ${(engine.cpu[largeDays] / 1000).toFixed(2)} s CPU`);
      for (const [draw, label] of [['1', 'drawing every frame'], ['Infinity', 'drawing at the end only']] as const) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(base);
        await loadInto(page, scenario);
        const { at, cpu } = await playToEnd(page, largeDays, draw);
        const ratio = at[largeDays] / engine.at[largeDays];
        const proc = cpu[1].process - cpu[0].process;
        const cpuRatio = (proc * 1000) / engine.cpu[largeDays];
        const pct = (r: number) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(0)}%`;
        console.log(`  page, ${label} (load ${loadavg()[0].toFixed(1)}): ${(at[largeDays] / 1000).toFixed(2)} s wall (${pct(ratio)} on the engine's wall time); CPU ${proc.toFixed(2)} s for the renderer process (${pct(cpuRatio)} on the engine's CPU), of which the main thread ${(cpu[1].thread - cpu[0].thread).toFixed(2)} s`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
    await rm(outDir, { recursive: true, force: true });
  }
}

await main();
