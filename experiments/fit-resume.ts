/**
 * What lets a killed fit resume: generations.json with the hash of the inputs it depends on.
 * Apart from fit.ts because the hash is Node's sha256 (node:crypto), and fit.ts is bundled into
 * the visualizer.
 */
import type { AbcGeneration } from './abc-smc.js';
import type { ResolvedFit } from './fit.js';
import { InputError } from './io/input-error.js';
import { hashJson } from './schema.js';

/**
 * The identity of what a fit's generations depend on: a resumed fit must have the same. The
 * stopping rules and the predictive runs are left out, so a finished fit can be resumed with
 * more generations and goes on exactly as one run that long from the start.
 */
function fitHash(fit: ResolvedFit): string {
  const { generations: _g, minTolerance: _t, maxRuns: _m, predictive: _p, ...search } = fit.spec;
  return hashJson({ search, observed: fit.observed, priors: fit.priors, weights: fit.weights, base: fit.base });
}

/** generations.json: every finished generation (written after each one, so a killed fit can resume). */
export function generationsJson(fit: ResolvedFit, generations: readonly AbcGeneration[]): string {
  // Infinity (generation 0's tolerance, a failed run's distance) is null in JSON.
  return `${JSON.stringify({ hash: fitHash(fit), generations }, (_, v) => (v === Infinity ? null : v))}\n`;
}

/** The generations of an interrupted fit, or an InputError when they belong to other inputs. */
export function readGenerations(text: string, fit: ResolvedFit, label: string): AbcGeneration[] {
  let state: { hash?: string; generations?: AbcGeneration[] };
  try {
    state = JSON.parse(text, (_, v) => (v === null ? Infinity : v));
  } catch {
    throw new InputError([{ path: label, message: 'not valid JSON: not the generations of an interrupted fit' }]);
  }
  if (state.hash !== fitHash(fit) || !Array.isArray(state.generations)) {
    throw new InputError([{ path: label, message: 'was written by a fit with other inputs (observed series, base, FIT.json or flags); use another --out or start over' }]);
  }
  return state.generations;
}
