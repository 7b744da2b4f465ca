/**
 * The preset scenarios shipped in scenarios/*.json, bundled into the page at build time (no
 * request at run time), validated like any scenario file.
 */
import { ScenarioError, mergeScenario, parseScenario, type Scenario } from '../scenarios/schema.js';

const files = import.meta.glob('../scenarios/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

/** Preset name (file name without .json) to raw scenario input, in name order. */
export const PRESETS: ReadonlyMap<string, unknown> = new Map(
  Object.entries(files)
    .map(([file, input]) => [file.replace(/^.*\/|\.json$/g, ''), input] as const)
    .sort(([a], [b]) => a.localeCompare(b)),
);

/** The preset a fresh page opens with: the moderated forum when shipped, else the first one. */
export const DEFAULT_PRESET = PRESETS.has('moderated-forum') ? 'moderated-forum' : [...PRESETS.keys()][0] ?? '';

/** A preset, validated; the schema defaults when the preset is missing. */
export function presetScenario(name: string): Scenario {
  return parseScenario(PRESETS.get(name) ?? {});
}

/**
 * A scenario file's `extends` resolved in the page: the page reads no other file, so the parent
 * must be a preset (which may extend another). The file's fields are merged into the preset's as
 * the CLI does; anything else is a ScenarioError at `extends` naming what was expected.
 */
export function extendPreset(input: unknown, presets: ReadonlyMap<string, unknown> = PRESETS, seen: string[] = []): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || !('extends' in input)) return input;
  const { extends: parent, ...rest } = input as Record<string, unknown>;
  if (typeof parent !== 'string' || !presets.has(parent)) {
    throw new ScenarioError([{ path: 'extends', message: `expected a preset name (${[...presets.keys()].join(', ')}; the page cannot read other files, the command line can), got ${JSON.stringify(parent)}` }]);
  }
  if (seen.includes(parent)) throw new ScenarioError([{ path: 'extends', message: `expected no cycle, got ${[...seen, parent].join(' -> ')}` }]);
  return mergeScenario(extendPreset(presets.get(parent), presets, [...seen, parent]), rest);
}
