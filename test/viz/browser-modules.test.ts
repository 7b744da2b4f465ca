/**
 * The library modules the visualizer runs in the page (the optimiser's search, the fit and
 * observe) reach no Node API through their imports: a `node:` import anywhere below them breaks
 * the page's bundle (vite externalises it and the page fails when it loads).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Node imports reached from `file` by value imports (`import type` is erased), with the chain. */
function nodeImports(file: string, seen = new Set<string>(), chain: string[] = []): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
    if (m[1]) continue;
    const spec = m[2];
    const here = [...chain, file.slice(ROOT.length + 1)];
    if (spec.startsWith('node:')) found.push(`${here.join(' -> ')} imports ${spec}`);
    else if (spec.startsWith('.')) found.push(...nodeImports(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen, here));
  }
  return found;
}

describe('modules the page bundles', () => {
  for (const entry of ['experiments/optimise-search.ts', 'experiments/fit.ts', 'experiments/observe.ts', 'experiments/report.ts', 'viz/main.ts']) {
    it(`${entry} reaches no Node API`, () => {
      expect(nodeImports(resolve(ROOT, entry))).toEqual([]);
    });
  }

  it('the scan finds a Node import where there is one (schema.ts reads files)', () => {
    expect(nodeImports(resolve(ROOT, 'experiments/schema.ts')).length).toBeGreaterThan(0);
  });
});
