/**
 * The preset scenarios shipped in scenarios/*.json, bundled into the page at build time (no
 * request at run time), validated like any scenario file.
 */
import { parseScenario, type Scenario } from '../scenarios/schema.js';

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
