/**
 * Reporters and the stop condition of an experiment file: extra per-run numbers beyond the
 * summary metrics (like BehaviorSpace's reporters or Mesa's model_reporters), and a condition
 * that ends a run early (the community is dead: nobody left, nobody coming).
 *
 * - `{ "metric": M, "at": D }`: daily metric M on day D (`"end"`: the run's last day);
 * - `{ "metric": M, "mean": [FROM, TO] }`: the mean of M over days FROM..TO (both included), over
 *   the days where it is defined;
 * - `"by": "stage"` (metric `members`): one column per stage (newcomer, regular, core, advocate)
 *   from the daily stage counts, at a day or over a window;
 * - `"by": "archetype"` (metric `members`, `activeWeek`, `activeMonth` or `contributorsWeek`):
 *   one column per archetype (lurker, contributor, expert, troll), counted on day `at` (the
 *   collector keeps no daily column per archetype, so no window).
 * - stop `{ "metric": M, "below": X, "for": K }`: the run ends after the K-th day in a row (from
 *   day 1) with M below X (an undefined value breaks the row), and reports that day.
 *
 * A reporter about a day the run did not reach (it stopped before) is undefined (NaN, an empty
 * cell), never a guess. The values are computed where the run runs (`measureRun`), so they
 * cost the executor nothing to send but a few numbers, and a queued run computes them too.
 * This module imports neither Node nor the CLI: the queue's worker validates payloads with it.
 */
import { z } from 'zod';
import { ARCHETYPE_NAMES, DAILY_METRICS, DAILY_METRIC_NAMES, type ArchetypeCounts, type DailyMetric, type MetricDef, type Simulation } from '../engine/index.js';
import { int, oneOf, show } from '../scenarios/schema.js';

const SERIES_METRIC_NAMES = DAILY_METRIC_NAMES.filter((m) => m !== 'day') as [DailyMetric, ...DailyMetric[]];
const STAGES = ['newcomer', 'regular', 'core', 'advocate'] as const;
/** The archetype counts the collector can split (engine/collector.ts countByArchetype). */
const ARCHETYPE_METRICS = ['members', 'activeWeek', 'activeMonth', 'contributorsWeek'] as const satisfies readonly (keyof ArchetypeCounts & DailyMetric)[];
const MAX_DAY = 36500;

const day = () => int(0, MAX_DAY);
/** A reporter's name: a column of runs.csv, so letters, digits and underscores. */
export const REPORTER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const reporterShape = {
  metric: oneOf(SERIES_METRIC_NAMES).describe('The daily metric reported (community-sim metrics lists them).'),
  at: z.union([day(), z.literal('end')], { error: (iss) => `expected a day (an integer in [0, ${MAX_DAY}]) or "end", got ${show(iss.input)}` }).optional().describe('The day whose value is reported; "end": the run\'s last day (its stop day when it stopped).'),
  mean: z.tuple([day(), day()], { error: (iss) => `expected [FROM, TO], two days, got ${show(iss.input)}` }).optional().describe('The mean over days FROM to TO, both included, of the days where the metric is defined.'),
  by: oneOf(['stage', 'archetype'] as const).optional().describe('One column per stage (metric members) or per archetype (members, activeWeek, activeMonth, contributorsWeek; with at).'),
};

const reporterError = (iss: { code?: string; input?: unknown }) =>
  iss.code === 'unrecognized_keys' ? `unknown field ${(iss as unknown as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ')} (known: metric, at, mean, by)` : `expected a reporter { metric, at | mean, by }, got ${show(iss.input)}`;

/** What the schema of one field cannot say: one of at and mean, a window in order, what "by" can split. */
function checkReporter(r: { metric: DailyMetric; at?: number | 'end'; mean?: [number, number]; by?: 'stage' | 'archetype' }, ctx: z.RefinementCtx): void {
  if ((r.at === undefined) === (r.mean === undefined)) ctx.addIssue({ code: 'custom', path: ['at'], message: 'expected exactly one of "at" (a day) and "mean" (a window [FROM, TO])' });
  if (r.mean && r.mean[0] > r.mean[1]) ctx.addIssue({ code: 'custom', path: ['mean'], message: `expected FROM <= TO, got [${r.mean[0]}, ${r.mean[1]}]` });
  if (r.by === 'stage' && r.metric !== 'members') ctx.addIssue({ code: 'custom', path: ['metric'], message: `expected "members" with "by": "stage" (the collector counts members by stage), got "${r.metric}"` });
  if (r.by === 'archetype') {
    if (!(ARCHETYPE_METRICS as readonly string[]).includes(r.metric)) ctx.addIssue({ code: 'custom', path: ['metric'], message: `expected one of ${ARCHETYPE_METRICS.map((m) => `"${m}"`).join(', ')} with "by": "archetype", got "${r.metric}"` });
    if (r.mean) ctx.addIssue({ code: 'custom', path: ['mean'], message: 'expected "at" with "by": "archetype" (members are counted by archetype on one day, not over a window)' });
  }
}

export const ReporterSchema = z.strictObject(reporterShape, { error: reporterError }).superRefine(checkReporter);

/** A reporter with its name, as a job carries it (the queue's worker checks it with this). */
export const NamedReporterSchema = z.strictObject({ ...reporterShape, name: z.string().regex(REPORTER_NAME, 'expected a reporter name') }, { error: reporterError }).superRefine(checkReporter);

export const StopSchema = z
  .strictObject(
    {
      metric: oneOf(SERIES_METRIC_NAMES).describe('The daily metric watched.'),
      below: z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` }).describe('The run stops when the metric stays below this...'),
      for: int(1, MAX_DAY).describe('...for this many days in a row (from day 1; an undefined value breaks the row).'),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field ${(iss as unknown as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ')} (known: metric, below, for)` : `expected a stop condition { metric, below, for }, got ${show(iss.input)}`) },
  );

export type Reporter = z.infer<typeof ReporterSchema>;
export type StopCondition = z.infer<typeof StopSchema>;

/** What a run measures beyond its summary: reporters in column order, and the stop condition. */
export interface Probes {
  reporters: (Reporter & { name: string })[];
  stop?: StopCondition;
}

/** The columns a reporter writes: its name, or NAME.GROUP per stage or archetype. */
export function reporterColumns(r: Reporter & { name: string }): string[] {
  if (r.by === 'stage') return STAGES.map((s) => `${r.name}.${s}`);
  if (r.by === 'archetype') return ARCHETYPE_NAMES.map((a) => `${r.name}.${a}`);
  return [r.name];
}

/** The columns of runs.csv the probes add, each with the definition its intervals are clipped by. */
export function probeColumns(p: Probes): { name: string; def: MetricDef }[] {
  const cols = p.reporters.flatMap((r) => reporterColumns(r).map((name) => ({ name, def: DAILY_METRICS[r.metric] as MetricDef })));
  if (p.stop) {
    cols.push({ name: 'stopped', def: { description: 'The run was ended by the stop condition (1) or ran to its last day (0).', unit: 'share', better: 'none', kind: 'share', range: [0, 1] } });
    cols.push({ name: 'stopDay', def: { description: 'The last day of the run: the day the stop condition ended it, else the scenario\'s last day.', unit: 'day', better: 'none', kind: 'level', range: [0, Infinity] } });
  }
  return cols;
}

/** What `measureRun` gives back: one number per probe column (NaN where undefined), and the stop day. */
export interface Measured {
  values: number[];
  stoppedAt?: number;
}

/**
 * Runs a simulation to its end or its stop condition, taking the reporters' values on the way.
 * Steps a day at a time only when a stop condition or an archetype count needs it.
 */
export function measureRun(sim: Simulation, p: Probes): Measured {
  const last = sim.days;
  // archetype counts by day wanted ("end" is taken after the loop)
  const wanted = new Map<number, ArchetypeCounts | null>();
  for (const r of p.reporters) if (r.by === 'archetype' && typeof r.at === 'number' && r.at <= last) wanted.set(r.at, null);
  const take = () => {
    if (wanted.has(sim.day)) wanted.set(sim.day, sim.byArchetype());
  };
  let stoppedAt: number | undefined;
  take();
  if (p.stop || wanted.size) {
    const stop = p.stop;
    let run = 0;
    while (!sim.done) {
      sim.step(1);
      take();
      if (stop) {
        // column() copies the days so far: quadratic in days, a few ms for ten years of days
        const v = sim.column(stop.metric)[sim.day];
        run = v < stop.below ? run + 1 : 0; // NaN is not below: it breaks the row
        if (run >= stop.for) {
          stoppedAt = sim.day;
          break;
        }
      }
    }
  } else {
    sim.step(last - sim.day);
  }
  const end = sim.day;
  const atEnd = p.reporters.some((r) => r.by === 'archetype' && r.at === 'end') ? sim.byArchetype() : null;
  const values: number[] = [];
  const column = new Map<string, Float64Array>();
  const col = (m: DailyMetric) => {
    let c = column.get(m);
    if (!c) column.set(m, (c = sim.column(m)));
    return c;
  };
  const at = (m: DailyMetric, d: number) => (d <= end ? col(m)[d] : NaN);
  const mean = (m: DailyMetric, from: number, to: number) => {
    let s = 0, n = 0;
    for (let d = from; d <= Math.min(to, end); d++) {
      const v = col(m)[d];
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    return n ? s / n : NaN;
  };
  for (const r of p.reporters) {
    const day = r.at === 'end' ? end : r.at;
    const value = (m: DailyMetric) => (r.mean ? mean(m, r.mean[0], r.mean[1]) : at(m, day!));
    if (r.by === 'stage') {
      // the collector's stage columns: coreSize counts core and advocate members
      const core = value('coreSize'), adv = value('advocates');
      values.push(value('newcomers'), value('regulars'), core - adv, adv);
    } else if (r.by === 'archetype') {
      const counts = r.at === 'end' ? atEnd : wanted.get(day!) ?? null;
      const key = r.metric as (typeof ARCHETYPE_METRICS)[number];
      for (let a = 0; a < ARCHETYPE_NAMES.length; a++) values.push(counts ? counts[key][a] : NaN);
    } else {
      values.push(value(r.metric));
    }
  }
  if (p.stop) values.push(stoppedAt === undefined ? 0 : 1, end);
  return stoppedAt === undefined ? { values } : { values, stoppedAt };
}
