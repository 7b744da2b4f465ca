// The page's Open resolves a scenario file's `extends` as the CLI does, with presets only (it can
// read no other file): merged field by field, a chain of presets followed, and anything else an
// error at `extends`. The JSON Schema editors use accepts `extends` too.
import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario, scenarioJsonSchema } from '../../scenarios/schema.js';
import { PRESETS, extendPreset } from '../../viz/presets.js';

describe('extends in the page', () => {
  it('merges the file into the preset: objects field by field, values replace', () => {
    const s = parseScenario(extendPreset({ extends: 'brand-community', manager: { hoursPerDay: 2 }, days: 90 }));
    const preset = parseScenario(PRESETS.get('brand-community'));
    expect(s.manager.hoursPerDay).toBe(2);
    expect(s.days).toBe(90);
    expect(s.population).toEqual(preset.population);
    expect(s.policies).toEqual(preset.policies);
    expect(extendPreset({ days: 3 })).toEqual({ days: 3 });
  });

  it('follows a chain of presets and names extends for an unknown parent or a cycle', () => {
    const presets = new Map<string, unknown>([['a', { days: 5, manager: { hoursPerDay: 1 } }], ['b', { extends: 'a', days: 6 }], ['c', { extends: 'd' }], ['d', { extends: 'c' }]]);
    expect(extendPreset({ extends: 'b', seed: 9 }, presets)).toEqual({ days: 6, manager: { hoursPerDay: 1 }, seed: 9 });
    const error = (input: unknown) => {
      try {
        extendPreset(input, presets);
      } catch (e) {
        return e instanceof ScenarioError ? e.message : String(e);
      }
      return 'no error';
    };
    expect(error({ extends: 'mine.json' })).toMatch(/^extends: expected a preset name \(a, b, c, d; the page cannot read other files, the command line can\), got "mine.json"/);
    expect(error({ extends: 'c' })).toBe('extends: expected no cycle, got c -> d -> c');
  });

  it('the JSON Schema of scenario files accepts extends', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, { type: string }>; additionalProperties?: unknown };
    expect(schema.properties.extends.type).toBe('string');
    expect(schema.properties.days).toBeDefined();
  });
});
