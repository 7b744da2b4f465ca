import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../scenarios/schema.js';
import { parseOverrides } from '../../viz/compare.js';

describe('viz/compare parseOverrides', () => {
  it('reads "path = value" lines with JSON values, bare words as strings, skipping blanks and comments', () => {
    const text = `
      # stricter moderation
      policies.moderation.strictness = 0.9
      policies.response.targetHours = null
      policies.experts.selection = most-active
      policies.moderation.explainRemovals=true
    `;
    expect(parseOverrides(text)).toEqual([
      ['policies.moderation.strictness', 0.9],
      ['policies.response.targetHours', null],
      ['policies.experts.selection', 'most-active'],
      ['policies.moderation.explainRemovals', true],
    ]);
  });

  it('names a line without "=" as the problem', () => {
    expect(() => parseOverrides('policies.moderation.strictness 0.9')).toThrow(ScenarioError);
    expect(() => parseOverrides('policies.moderation.strictness 0.9')).toThrow('policies.moderation.strictness 0.9: expected "path = value"');
  });
});
