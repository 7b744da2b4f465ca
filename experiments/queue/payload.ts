/**
 * What travels through Redis for one run, and how it is checked. A job's payload is small and
 * refers to its scenario by design point (the scenario is stored once per sweep, not once per
 * run); a result refers to its daily series by run key. The worker validates every payload and
 * scenario with zod before running it, so a malformed or hostile job fails with its reason and
 * is never executed; nothing in a payload is ever evaluated as code.
 */
import { z } from 'zod';
import { parseScenario, ScenarioError, type Scenario } from '../../scenarios/schema.js';
import type { RunSummary } from '../../engine/index.js';
import { NAMESPACE } from './names.js';

const index = z.number().int().min(0).max(1e9);

/** A run job's data in the queue. */
export const RunPayloadSchema = z
  .strictObject({
    ns: z.string().regex(NAMESPACE, 'expected a sweep namespace (s and 16 hex digits)'),
    key: z.string().regex(/^\d{1,10}:\d{1,10}$/, 'expected a run key POINT:REP'),
    point: index,
    rep: index,
    seed: z.number().int().min(0).max(0xffffffff),
    series: z.boolean(),
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
}
