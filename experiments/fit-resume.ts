/**
 * What lets a killed fit resume: generations.json with the hash of the inputs it depends on.
 * Apart from fit.ts because the hash is Node's sha256 (node:crypto), and fit.ts is bundled into
 * the visualizer.
 */
import type { AbcGeneration } from './abc-smc.js';
import type { ResolvedFit } from './fit.js';
import { InputError } from './io/input-error.js';
import { hashJson } from './schema.js';

/** What a fit's generations depend on, in parts a refused resume can name. */
function fitInputs(fit: ResolvedFit) {
  const { generations: _g, minTolerance: _t, maxRuns: _m, predictive: _p, ...search } = fit.spec;
  return { search, observed: fit.observed, priors: fit.priors, weights: fit.weights, base: fit.base };
}

/** How a refused resume names the inputs that changed, besides the search settings it lists by key. */
const PARTS = { observed: 'the observed series', priors: 'the fitted parameters and their priors', weights: 'the columns and their weights', base: 'the base scenario' } as const;

/**
 * The identity of what a fit's generations depend on: a resumed fit must have the same. The
 * stopping rules and the predictive runs are left out, so a finished fit can be resumed with
 * more generations and goes on exactly as one run that long from the start.
 */
function fitHash(fit: ResolvedFit): string {
  return hashJson(fitInputs(fit));
}

/**
 * generations.json: every finished generation (written after each one, so a killed fit can
 * resume), with the hash of the inputs, the search settings and a hash of each other input, so
 * that a resume with different inputs says which.
 */
export function generationsJson(fit: ResolvedFit, generations: readonly AbcGeneration[]): string {
  const { search, ...rest } = fitInputs(fit);
  const parts = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, hashJson(v)]));
  // Infinity (generation 0's tolerance, a failed run's distance) is null in JSON.
  return `${JSON.stringify({ hash: fitHash(fit), search, parts, generations }, (_, v) => (v === Infinity ? null : v))}\n`;
}

/** What differs between the inputs recorded in generations.json and `fit`'s: "distance "relative" then, "log" now; the base scenario". */
function changes(state: { search?: Record<string, unknown>; parts?: Record<string, string> }, fit: ResolvedFit): string[] {
  const { search, ...rest } = fitInputs(fit);
  const now = search as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));
  const out: string[] = [];
  if (state.search) {
    for (const key of [...new Set([...Object.keys(state.search), ...Object.keys(now)])].sort()) {
      if (show(state.search[key]) !== show(now[key])) out.push(`${key} ${show(state.search[key])} then, ${show(now[key])} now`);
    }
  }
  if (state.parts) for (const [k, name] of Object.entries(PARTS)) if (state.parts[k] !== hashJson(rest[k as keyof typeof rest])) out.push(name);
  return out;
}

/** The generations of an interrupted fit, or an InputError when they belong to other inputs (named when the file records them). */
export function readGenerations(text: string, fit: ResolvedFit, label: string): AbcGeneration[] {
  let state: { hash?: string; search?: Record<string, unknown>; parts?: Record<string, string>; generations?: AbcGeneration[] };
  try {
    state = JSON.parse(text, (_, v) => (v === null ? Infinity : v));
  } catch {
    throw new InputError([{ path: label, message: 'not valid JSON: not the generations of an interrupted fit' }]);
  }
  if (state.hash !== fitHash(fit) || !Array.isArray(state.generations)) {
    const what = Array.isArray(state.generations) ? changes(state, fit) : [];
    const which = what.length ? what.join('; ') : 'observed series, base, FIT.json or flags';
    throw new InputError([{ path: label, message: `was written by a fit with other inputs (${which}); use another --out or start over` }]);
  }
  return state.generations;
}
