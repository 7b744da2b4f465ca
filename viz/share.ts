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

/** The hash (without `#`) that encodes `scenario` and its seed: `seed=7&s=...`. */
export async function encodeShare(scenario: Scenario): Promise<string> {
  const minimal = diffFromDefaults(scenario, parseScenario({})) ?? {};
  const packed = await pipe(new TextEncoder().encode(JSON.stringify(minimal)), new CompressionStream('deflate-raw'));
  return new URLSearchParams({ seed: String(scenario.seed), s: toBase64Url(packed) }).toString();
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
  let input: Record<string, unknown>;
  try {
    const bytes = await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
    input = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new Error('share link: the scenario in this link is damaged (could not decode it)');
  }
  const seed = params.get('seed');
  if (seed !== null) input.seed = Number(seed);
  const scenario = parseScenario(input);
  if ('file' in scenario.population.graph) throw new ScenarioError([{ path: 'population.graph.file', message: NO_GRAPH_FILES }]);
  return scenario;
}
