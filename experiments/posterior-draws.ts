/**
 * Strategies under the uncertainty of a fit (`compare`/`sweep --posterior DIR`, the fit issue
 * step 4): replication r of every arm or design point runs at one particle of the fit's
 * posterior, drawn by weight from a stream derived from replication r's seed. Every arm shares
 * the replication seeds (common random numbers), so they share the particles too: a difference
 * between arms stays paired, and its spread over replications carries the fit's uncertainty as
 * well as the runs' chance.
 */
import { Stream } from '../engine/rng.js';
import { ScenarioError, getPath, withPath, type Scenario } from '../scenarios/schema.js';
import { InputError } from './io/input-error.js';

/** A fit's last generation: parameter paths, particles (by particle, then parameter), weights. */
export interface PosteriorDraws {
  /** Where it was read from, for the manifest and messages. */
  source: string;
  names: string[];
  params: number[][];
  weights: number[];
}

/** Reads posterior.csv (`particle, weight, distance`, one column per parameter), checked. */
export function parsePosteriorCsv(text: string, label = 'posterior.csv'): PosteriorDraws {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  if (header.slice(0, 3).join(',') !== 'particle,weight,distance' || header.length < 4) {
    throw new InputError([{ path: label, message: `expected the posterior.csv of a fit (particle,weight,distance, then one column per parameter), got the header ${JSON.stringify(lines[0] ?? '')}` }]);
  }
  if (lines.length < 2) throw new InputError([{ path: label, message: 'expected at least one particle' }]);
  const params: number[][] = [];
  const weights: number[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    const row = cells.map((c) => (c.trim() === '' ? NaN : Number(c)));
    if (cells.length !== header.length) throw new InputError([{ path: `${label}:${i + 2}`, message: `expected ${header.length} fields as in the header, got ${cells.length}` }]);
    if (!(row[1] >= 0)) throw new InputError([{ path: `${label}:${i + 2}`, message: `weight: expected a number >= 0, got ${JSON.stringify(cells[1])}` }]);
    const bad = row.slice(3).findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InputError([{ path: `${label}:${i + 2}`, message: `${header[3 + bad]}: expected a number, got ${JSON.stringify(cells[3 + bad])}` }]);
    weights.push(row[1]);
    params.push(row.slice(3));
  });
  if (!(weights.reduce((s, w) => s + w, 0) > 0)) throw new InputError([{ path: label, message: 'expected weights that sum to more than 0' }]);
  return { source: label, names: header.slice(3), params, weights };
}

/** The particle replication seed `seed` runs at: a draw by weight from its own stream. */
export function particleOfSeed(weights: readonly number[], seed: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  const u = Stream.derive(seed, 'posterior/particle').next() * total;
  let c = 0;
  for (let i = 0; i < weights.length; i++) if ((c += weights[i]) > u && weights[i] > 0) return i;
  // u within rounding of the total: the last particle with weight
  for (let i = weights.length - 1; ; i--) if (weights[i] > 0) return i;
}

/** A scenario at a particle's parameter values. */
export function atParticle(scenario: Scenario, post: PosteriorDraws, particle: number): Scenario {
  return post.names.reduce((s, name, j) => withPath(s, name, post.params[particle][j]), scenario);
}

/**
 * Checks, before any run, that every particle's values are ones the scenarios accept and that
 * no arm or design point sets a fitted parameter itself (the particle's value would overwrite
 * it, and the difference it asks about would vanish). `scenarios` are named by `what`.
 */
export function checkPosterior(post: PosteriorDraws, scenarios: readonly { what: string; scenario: Scenario }[]): void {
  const issues: { path: string; message: string }[] = [];
  const first = scenarios[0];
  for (const { what, scenario } of scenarios) {
    for (const name of post.names) {
      if (what !== first.what && JSON.stringify(getPath(scenario, name)) !== JSON.stringify(getPath(first.scenario, name))) {
        issues.push({ path: post.source, message: `${name} is a fitted parameter, but ${what} sets it (${JSON.stringify(getPath(scenario, name))}) unlike ${first.what} (${JSON.stringify(getPath(first.scenario, name))}): each replication's particle would overwrite it` });
      }
    }
  }
  if (first) {
    // The extremes of each parameter over the particles are the values most likely to be refused.
    for (let j = 0; j < post.names.length; j++) {
      const values = post.params.map((p) => p[j]);
      for (const v of [Math.min(...values), Math.max(...values)]) {
        try {
          withPath(first.scenario, post.names[j], v);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          issues.push(...e.issues.map((i) => ({ path: post.source, message: `${i.path}: ${i.message}` })));
          break;
        }
      }
    }
  }
  if (issues.length) throw new InputError(issues);
}
