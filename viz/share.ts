/**
 * Shareable links: the scenario and seed packed into the URL's hash, so whoever opens the link
 * gets the same run, bit for bit. Only fields that differ from the schema's defaults are kept
 * (parseScenario fills the rest back in), then the JSON is deflated and base64url-encoded.
 * The hash never reaches a server, so nothing leaves the browser.
 *
 * Pure: CompressionStream, btoa and URLSearchParams exist in browsers and in Node 20.
 */
import { parseScenario, ScenarioError, type Scenario } from '../scenarios/schema.js';

/** Why the page refuses a scenario that names a graph file (it cannot open paths on the user's disk). */
export const NO_GRAPH_FILES = 'the browser cannot read a graph file named in a scenario; use a generator here, or run the scenario with the community-sim CLI';

/** The fields of `value` that differ from `base` (arrays and scalars compare whole). */
export function diffFromDefaults(value: unknown, base: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(base)) return JSON.stringify(value) === JSON.stringify(base) ? undefined : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const d = diffFromDefaults(v, base[k]);
    if (d !== undefined) out[k] = d;
  }
  return Object.keys(out).length ? out : undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/**
 * Most a link's JSON may unpack to. A scenario as Share writes it (its differences from the
 * defaults) is a few kilobytes, 30,000 schedule entries about 1.7 MB; a 104 kB hash that inflates
 * to an 80 MB description (the review's link bomb) held 168 MB of the tab's heap before anything
 * was shown. Past this the link is refused while it inflates, before the text exists.
 */
export const MAX_LINK_JSON_BYTES = 8_000_000;

/** A link's JSON text past MAX_LINK_JSON_BYTES. */
class TooBig extends Error {}

/** Inflates `bytes` (deflate-raw), refusing past MAX_LINK_JSON_BYTES as the chunks come. */
async function inflateBounded(bytes: Uint8Array): Promise<string> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_LINK_JSON_BYTES) {
      await reader.cancel();
      throw new TooBig();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

/** Parses a link's packed JSON, or the page's message for a damaged or oversized link. */
async function unpack(packed: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await inflateBounded(fromBase64Url(packed)));
  } catch (e) {
    if (e instanceof TooBig) throw new Error(`share link: the ${what} in this link unpacks to more than ${MAX_LINK_JSON_BYTES / 1e6} MB; a shared scenario is a few kB (open a large one as a file instead)`);
    throw new Error(`share link: the ${what} in this link is damaged (could not decode it)`);
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A link part whose JSON is past MAX_LINK_JSON_BYTES: the page would refuse the link when it is
 * opened, so it is not written. The message says what is too large and what to do instead.
 */
export class ShareTooLargeError extends Error {
  constructor(
    /** What the part holds ("scenario", "comparison"...). */
    readonly what: string,
    /** Its JSON's size in bytes. */
    readonly bytes: number,
    detail = '',
    advice = 'make it smaller',
  ) {
    super(`share link: this ${what} is ${mb(bytes)} as JSON${detail}, more than the ${MAX_LINK_JSON_BYTES / 1e6} MB a link may hold (the page would refuse the link): ${advice}`);
    this.name = 'ShareTooLargeError';
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The JSON of `value` deflated and base64url-encoded, or a ShareTooLargeError (`tooLarge` makes it) past MAX_LINK_JSON_BYTES. */
async function packJson(value: unknown, tooLarge: (bytes: number) => ShareTooLargeError): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(value));
  if (json.length > MAX_LINK_JSON_BYTES) throw tooLarge(json.length);
  return toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** ", most of it its schedule (150,000 entries, 8.3 MB)": the field of a scenario's differences that holds the most. */
function largestField(minimal: Record<string, unknown>): string {
  let key = '';
  let bytes = 0;
  for (const [k, v] of Object.entries(minimal)) {
    const n = new TextEncoder().encode(JSON.stringify(v)).length;
    if (n > bytes) [key, bytes] = [k, n];
  }
  const v = minimal[key];
  const count = Array.isArray(v) ? `${v.length.toLocaleString('en-US')} entries, ` : '';
  return key ? `, most of it its ${key} (${count}${mb(bytes)})` : '';
}

/**
 * The hash (without `#`) that encodes `scenario` and its seed: `seed=7&s=...`. A scenario whose
 * JSON the page would refuse to unpack (MAX_LINK_JSON_BYTES) is a ShareTooLargeError instead.
 */
export async function encodeShare(scenario: Scenario): Promise<string> {
  const minimal = (diffFromDefaults(scenario, parseScenario({})) ?? {}) as Record<string, unknown>;
  const packed = await packJson(minimal, (bytes) =>
    new ShareTooLargeError('scenario', bytes, largestField(minimal), 'shorten its schedule, shocks or name, or share the scenario as a file instead (Download scenario; Open scenario… loads it)'),
  );
  return new URLSearchParams({ seed: String(scenario.seed), s: packed }).toString();
}

/**
 * The scenario a hash encodes, validated; null when the hash carries none. Throws a
 * ScenarioError (field paths) when it decodes to an invalid scenario, and an Error when the
 * hash is damaged.
 */
export async function decodeShare(hash: string): Promise<Scenario | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('s');
  if (!packed) return null;
  const input = (await unpack(packed, 'scenario')) as Record<string, unknown>;
  const seed = params.get('seed');
  // A link whose JSON is null, a list or a number is refused by parseScenario ("expected an object");
  // setting its seed first was a raw "Cannot set properties of null".
  if (seed !== null && input && typeof input === 'object' && !Array.isArray(input)) input.seed = Number(seed);
  const scenario = parseScenario(input);
  if ('file' in scenario.population.graph) throw new ScenarioError([{ path: 'population.graph.file', message: NO_GRAPH_FILES }]);
  return scenario;
}

/** The views a link can open. */
export const VIEWS = ['live', 'compare', 'trainer', 'optimise', 'fit'] as const;
export type ViewName = (typeof VIEWS)[number];

/** A comparison's setup as a link keeps it. */
export interface CompareSetup {
  arms: { name: string; source: string; overrides: string }[];
  reps: number;
  days: number;
  seed: number;
}

/** An optimisation's setup as a link keeps it: the levers searched with their ranges, the budget, objectives and sizes. */
export interface OptimiseSetup {
  levers: { path: string; min: number; max: number }[];
  hours: number;
  objectives: [string, string];
  days: number;
  reps: number;
  runs: number;
  seed: number;
}

/** Everything the page's URL holds: the live run's scenario and day, the view, the comparison and the optimisation set up. */
export interface PageState {
  view: ViewName;
  scenario: Scenario | null;
  /** The preset the scenario came from, shown in the drop-down (a label only: `s` is the scenario). */
  preset: string | null;
  /** The day the live run had reached. */
  day: number;
  compare: CompareSetup | null;
  optimise: OptimiseSetup | null;
}


/** The hash (without `#`) of a page state: `view=live&seed=1&s=…&day=40&c=…`. */
export async function encodeState(state: PageState): Promise<string> {
  const params = new URLSearchParams({ view: state.view });
  if (state.scenario) for (const [k, v] of new URLSearchParams(await encodeShare(state.scenario))) params.set(k, v);
  if (state.preset) params.set('p', state.preset);
  if (state.day > 0) params.set('day', String(state.day));
  if (state.compare) params.set('c', await packJson(state.compare, (bytes) => new ShareTooLargeError('comparison', bytes, '', 'use fewer or shorter strategies')));
  if (state.optimise) params.set('o', await packJson(state.optimise, (bytes) => new ShareTooLargeError('optimisation', bytes, '', 'search fewer levers')));
  return params.toString();
}

/**
 * The page state a hash holds (missing parts null or defaults). Errors are collected, not
 * thrown, so a damaged comparison does not lose a good scenario: each names its part.
 */
export async function decodeState(hash: string): Promise<{ state: PageState; errors: string[] }> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const errors: string[] = [];
  const view = params.get('view') ?? 'live';
  const state: PageState = { view: (VIEWS as readonly string[]).includes(view) ? (view as ViewName) : 'live', scenario: null, preset: params.get('p'), day: 0, compare: null, optimise: null };
  if (!(VIEWS as readonly string[]).includes(view)) errors.push(`share link: view: expected one of ${VIEWS.join(', ')}, got "${view}"`);
  try {
    state.scenario = await decodeShare(hash);
  } catch (e) {
    // One line per field, not run together.
    if (e instanceof ScenarioError) errors.push("The shared link's scenario was not loaded:", ...e.issues.map((i) => `${i.path || '(scenario)'}: ${i.message}`));
    else errors.push((e as Error).message);
  }
  const day = params.get('day');
  if (day !== null) {
    const d = Number(day);
    if (Number.isInteger(d) && d >= 0) state.day = d;
    else errors.push(`share link: day: expected a whole number of days, got "${day}"`);
  }
  // The comparison (c) and the optimisation (o) set up, each checked on its own.
  const setups = [
    ['c', 'comparison', (v: unknown) => (state.compare = checkSetup(v))],
    ['o', 'optimisation', (v: unknown) => (state.optimise = checkOptimiseSetup(v))],
  ] as const;
  for (const [key, what, keep] of setups) {
    const packed = params.get(key);
    if (!packed) continue;
    try {
      keep(await unpack(packed, what));
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { state, errors };
}

/**
 * An optimisation setup read from a link, checked field by field (the view checks the levers'
 * paths and ranges against the schema, as it does for what is typed in).
 */
function checkOptimiseSetup(input: unknown): OptimiseSetup {
  const fail = (path: string, expected: string): never => {
    throw new Error(`share link: optimisation ${path}: expected ${expected}`);
  };
  if (!isPlainObject(input)) return fail('', 'an object');
  const number = (k: 'hours' | 'days' | 'reps' | 'runs' | 'seed', lo: number, hi: number, integer = true) => {
    const v = input[k];
    if (typeof v !== 'number' || (integer && !Number.isInteger(v)) || !(v >= lo && v <= hi)) fail(k, `${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    return v as number;
  };
  if (!Array.isArray(input.levers)) return fail('levers', 'a list of levers');
  const levers = (input.levers as unknown[]).map((l, i) => {
    if (!isPlainObject(l) || typeof l.path !== 'string' || typeof l.min !== 'number' || typeof l.max !== 'number' || !Number.isFinite(l.min) || !Number.isFinite(l.max)) return fail(`levers[${i}]`, 'path as text, min and max as numbers');
    return { path: l.path, min: l.min, max: l.max };
  });
  const obj = input.objectives;
  if (!Array.isArray(obj) || obj.length !== 2 || obj.some((m) => typeof m !== 'string')) return fail('objectives', 'two metric names');
  return { levers, hours: number('hours', 0, 24, false), objectives: [obj[0] as string, obj[1] as string], days: number('days', 1, 36500), reps: number('reps', 1, 20), runs: number('runs', 10, 100000), seed: number('seed', 0, 2 ** 32 - 1) };
}

/** A comparison setup read from a link, checked field by field. */
function checkSetup(input: unknown): CompareSetup {
  const fail = (path: string, expected: string): never => {
    throw new Error(`share link: comparison ${path}: expected ${expected}`);
  };
  if (!isPlainObject(input)) return fail('', 'an object');
  const whole = (k: 'reps' | 'days' | 'seed', lo: number, hi: number) => {
    const v = input[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(k, `an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    return v as number;
  };
  if (!Array.isArray(input.arms) || input.arms.length < 2) return fail('arms', 'a list of at least two strategies');
  const arms = (input.arms as unknown[]).map((a, i) => {
    if (!isPlainObject(a) || typeof a.name !== 'string' || typeof a.source !== 'string' || typeof a.overrides !== 'string') return fail(`arms[${i}]`, 'name, source and overrides as text');
    return { name: a.name, source: a.source, overrides: a.overrides };
  });
  return { arms, reps: whole('reps', 1, 100), days: whole('days', 1, 36500), seed: whole('seed', 0, 2 ** 32 - 1) };
}
