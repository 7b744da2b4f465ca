/**
 * What travels through Redis for one run, and how it is checked. A job's payload is small and
 * refers to its scenario by design point (the scenario is stored once per sweep, not once per
 * run); a result refers to its daily series by run key. The worker validates every payload and
 * scenario with zod before running it, so a malformed or hostile job fails with its reason and
 * is never executed; nothing in a payload is ever evaluated as code.
 *
 * Integrity: a job carries the engine version of the sweep and a digest of its scenario, seed,
 * series flag, reporters and stop condition (all that decides its results); the worker refuses a job of another version or whose data no longer matches its digest,
 * and its result carries the version it ran, the digest of what it ran and the worker's name, so
 * the collector can refuse a result that is not the run it asked for (a worker of another build,
 * a seed or scenario changed in Redis). The digest detects accidents and mismatched builds, not
 * an attacker: anyone who can write to the Redis can also write a matching digest.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseScenario, ScenarioError, type Scenario } from '../../scenarios/schema.js';
import type { RunSummary } from '../../engine/index.js';
import { NAMESPACE } from './names.js';
import { NamedReporterSchema, StopSchema, type Probes } from '../reporters.js';

const index = z.number().int().min(0).max(1e9);
const DIGEST = /^[0-9a-f]{16}$/;

/** The hash of a scenario as stored in Redis (its JSON text), computed once per design point. */
export const scenarioHash = (scenarioJson: string): string => createHash('sha256').update(scenarioJson).digest('hex');

/** JSON text with every object's keys sorted: equal values give equal text whatever order their keys were built in. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

/** What of a job decides its results, besides its design point's scenario. */
export interface DigestedFields {
  seed: number;
  /** Whether the daily series is kept (a run without it leaves a hole in series.csv). */
  series: boolean;
  /** The reporters (columns of runs.csv) and the stop condition (which ends the run early, changing its summary). */
  probes?: Probes;
}

/**
 * The digest of one run: everything that decides its results, so a job changed in Redis is
 * refused whichever of these was changed: its scenario (by `scenarioHash`), its seed, whether
 * it keeps its series, and its reporters and stop condition.
 */
export const runDigest = (scenarioHashHex: string, job: DigestedFields): string =>
  createHash('sha256')
    .update(`${scenarioHashHex}:${job.seed}:${job.series ? 1 : 0}:${job.probes ? canonicalJson(job.probes) : ''}`)
    .digest('hex')
    .slice(0, 16);

/** A run job's data in the queue. */
export const RunPayloadSchema = z
  .strictObject({
    ns: z.string().regex(NAMESPACE, 'expected a sweep namespace (s and 16 hex digits)'),
    key: z.string().regex(/^\d{1,10}:\d{1,10}$/, 'expected a run key POINT:REP'),
    point: index,
    rep: index,
    seed: z.number().int().min(0).max(0xffffffff),
    series: z.boolean(),
    version: z.string().max(100),
    digest: z.string().regex(DIGEST, 'expected 16 hex digits'),
    // the experiment's reporters and stop condition, checked like an experiment file's
    probes: z.strictObject({ reporters: z.array(NamedReporterSchema).max(10_000), stop: StopSchema.optional() }).optional(),
  })
  .refine((p) => p.key === `${p.point}:${p.rep}`, { message: 'expected key to be POINT:REP of the job', path: ['key'] });

export type RunPayload = z.infer<typeof RunPayloadSchema>;

/** Thrown for a job that must not run; the message names the field and what was expected. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

const issueText = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');

/** Validates a job's data, or throws a PayloadError saying what is wrong. */
export function parsePayload(data: unknown): RunPayload {
  const r = RunPayloadSchema.safeParse(data);
  if (!r.success) throw new PayloadError(`malformed job: ${issueText(r.error.issues)}`);
  return r.data;
}

/** Validates a stored scenario (JSON text) with the scenario schema, or throws a PayloadError. */
export function parseStoredScenario(text: string | null, point: number): Scenario {
  if (text === null) throw new PayloadError(`no scenario stored for design point ${point} (the sweep was cleaned up)`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PayloadError(`the scenario of design point ${point} is not JSON`);
  }
  try {
    return parseScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) throw new PayloadError(`invalid scenario of design point ${point}: ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    throw e;
  }
}

// JSON has no NaN or Infinity; metrics may be undefined (NaN), so results spell them out.
const replacer = (_: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const reviver = (_: string, v: unknown) => (v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v);

/** JSON text that keeps non-finite numbers. */
export const encodeNumbers = (value: unknown): string => JSON.stringify(value, replacer);
/** The inverse of encodeNumbers. */
export const decodeNumbers = <T>(text: string): T => JSON.parse(text, reviver) as T;

/** What a worker returns for a run: its key (duplicates are dropped by it), never the series. */
export interface RunResult {
  key: string;
  seed: number;
  summary: RunSummary;
  ms: number;
  /** Times the run was started (above 1: retried after a failure or a lost worker). */
  attempts: number;
  /** The series is stored under the run key in the sweep's series hash. */
  series: boolean;
  /** The values of the job's probes (NaN where undefined), and the day its stop condition ended it. */
  reporters?: number[];
  stoppedAt?: number;
  /** The engine version that ran it, the digest of what it ran (`runDigest`), and who ran it (host:pid). */
  version: string;
  digest: string;
  worker: string;
}

const finiteOrNot = z.union([z.number(), z.nan()]);
const RunResultSchema = z.object({
  key: z.string(),
  seed: z.number(),
  summary: z.record(z.string(), finiteOrNot.nullable()),
  ms: z.number(),
  attempts: z.number().int().min(0),
  series: z.boolean(),
  reporters: z.array(finiteOrNot.nullable()).max(100_000).optional(),
  stoppedAt: z.number().int().min(0).optional(),
  version: z.string(),
  digest: z.string(),
  worker: z.string().max(300),
});

/**
 * Reads a result from the parent's `processed` hash (JSON text of the encoded result, as BullMQ
 * stores a return value); anything else is a PayloadError saying what is wrong, never a crash.
 */
export function parseResult(stored: string): RunResult {
  let inner: unknown;
  try {
    inner = JSON.parse(stored);
    if (typeof inner === 'string') inner = decodeNumbers(inner);
  } catch {
    throw new PayloadError('malformed result: not JSON');
  }
  const r = RunResultSchema.safeParse(inner);
  if (!r.success) throw new PayloadError(`malformed result: ${issueText(r.error.issues)}`);
  return r.data as RunResult;
}
