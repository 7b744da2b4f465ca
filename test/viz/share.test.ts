import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../scenarios/schema.js';
import { MAX_LINK_JSON_BYTES, ShareTooLargeError, decodeShare, decodeState, diffFromDefaults, encodeShare, encodeState } from '../../viz/share.js';

describe('viz/share', () => {
  it('round-trips a scenario with levers, schedule and shocks through the URL hash', async () => {
    const scenario = parseScenario({
      name: 'moderated',
      seed: 4242,
      days: 120,
      policies: { moderation: { strictness: 0.9, sanctions: { banAfter: null } }, response: { targetHours: null } },
      schedule: [{ day: 30, set: { 'policies.moderation.strictness': 0 } }],
      shocks: [{ type: 'troll-raid', day: 40, size: 25 }],
    });
    const hash = await encodeShare(scenario);
    expect(hash).toMatch(/^seed=4242&s=[A-Za-z0-9_-]+$/);
    expect(await decodeShare(`#${hash}`)).toEqual(scenario);
  });

  it('keeps only what differs from the defaults, so links stay short', async () => {
    const defaults = parseScenario({});
    expect(diffFromDefaults(defaults, defaults)).toBeUndefined();
    const changed = parseScenario({ policies: { moderation: { strictness: 0.8 } } });
    expect(diffFromDefaults(changed, defaults)).toEqual({ policies: { moderation: { strictness: 0.8 } } });
    expect((await encodeShare(changed)).length).toBeLessThan(80);
  });

  it('the seed parameter wins over the packed scenario', async () => {
    const hash = await encodeShare(parseScenario({ seed: 3 }));
    const edited = hash.replace('seed=3', 'seed=9');
    expect((await decodeShare(edited))!.seed).toBe(9);
  });

  it('returns null without a scenario and names the damage otherwise', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#seed=5')).toBeNull();
    await expect(decodeShare('#s=not-deflate')).rejects.toThrow(/damaged/);
  });

  it('rejects a link whose scenario names a graph file, which the page cannot read', async () => {
    const hash = await encodeShare(parseScenario({ seed: 1, population: { graph: { file: '/home/me/club.gexf' } } }));
    await expect(decodeShare(hash)).rejects.toThrow(ScenarioError);
    await expect(decodeShare(hash)).rejects.toThrow(/^population\.graph\.file: the browser cannot read a graph file/);
  });

  it('refuses to write a link the page would refuse to open, saying what is too large and what to do', async () => {
    // 150,000 schedule entries: about 8.5 MB of JSON, past the 8 MB a link may unpack to
    const schedule = Array.from({ length: 150_000 }, (_, i) => ({ day: 1 + (i % 300), set: { 'policies.moderation.strictness': (i % 10) / 10 } }));
    const big = parseScenario({ seed: 2, days: 365, schedule });
    const refusal = await encodeShare(big).then(() => null, (e: unknown) => e);
    expect(refusal).toBeInstanceOf(ShareTooLargeError);
    const { bytes, message } = refusal as ShareTooLargeError;
    expect(bytes).toBeGreaterThan(MAX_LINK_JSON_BYTES);
    expect(message).toMatch(/^share link: this scenario is 8\.\d MB as JSON, most of it its schedule \(150,000 entries, 8\.\d MB\), more than the 8 MB a link may hold \(the page would refuse the link\): shorten its schedule, shocks or name, or share the scenario as a file instead \(Download scenario/);
    await expect(encodeState({ view: 'live', scenario: big, preset: null, day: 0, compare: null, optimise: null })).rejects.toThrow(ShareTooLargeError);
    // what is written is what the page opens: a scenario just under the limit
    const under = parseScenario({ seed: 2, name: 'x'.repeat(MAX_LINK_JSON_BYTES - 100) });
    expect((await decodeShare(await encodeShare(under)))!.name).toHaveLength(MAX_LINK_JSON_BYTES - 100);
    await expect(encodeShare({ ...under, name: 'x'.repeat(MAX_LINK_JSON_BYTES) })).rejects.toThrow(/^share link: this scenario is 8\.0 MB as JSON, most of it its name \(8\.0 MB\)/);
  });

  it('rejects a link whose scenario is invalid with the field path', async () => {
    const hash = await encodeShare(parseScenario({ seed: 1 }));
    await expect(decodeShare(hash.replace('seed=1', 'seed=-4'))).rejects.toThrow(ScenarioError);
    await expect(decodeShare(hash.replace('seed=1', 'seed=-4'))).rejects.toThrow(/^seed: expected an integer/);
  });
});

describe('viz/share page state', () => {
  it('round-trips the view, the scenario, the day reached, a comparison setup and an optimisation setup', async () => {
    const scenario = parseScenario({ seed: 9, days: 50, policies: { moderation: { strictness: 0.2 } } });
    const compare = { arms: [{ name: '', source: 'moderated-forum', overrides: '' }, { name: 'strict', source: '', overrides: 'policies.moderation.strictness = 0.9' }], reps: 3, days: 90, seed: 2 };
    const optimise = { levers: [{ path: 'policies.moderation.strictness', min: 0.1, max: 0.9 }], hours: 1.5, objectives: ['finalMembers', 'meanToxicShare'] as [string, string], days: 60, reps: 2, runs: 100, seed: 4 };
    const hash = await encodeState({ view: 'compare', scenario, preset: 'moderated-forum', day: 17, compare, optimise });
    expect(hash).toMatch(/^view=compare&seed=9&s=[\w-]+&p=moderated-forum&day=17&c=[\w-]+&o=[\w-]+$/);
    const { state, errors } = await decodeState(`#${hash}`);
    expect(errors).toEqual([]);
    expect(state).toEqual({ view: 'compare', scenario, preset: 'moderated-forum', day: 17, compare, optimise });
  });

  it('names the field of an optimisation setup a link gets wrong', async () => {
    const bad = { levers: [{ path: 'policies.moderation.strictness', min: 0.1, max: 0.9 }], hours: 30, objectives: ['finalMembers', 'meanToxicShare'], days: 60, reps: 2, runs: 100, seed: 4 };
    const hash = await encodeState({ view: 'optimise', scenario: null, preset: null, day: 0, compare: null, optimise: bad as never });
    const { state, errors } = await decodeState(`#${hash}`);
    expect(state.optimise).toBeNull();
    expect(errors).toEqual(['share link: optimisation hours: expected a number in [0, 24], got 30']);
  });

  it('lists a bad scenario field by field, one line each', async () => {
    const hash = await encodeShare(parseScenario({ seed: 3 }));
    const bad = hash.replace('seed=3', 'seed=-7');
    const { errors } = await decodeState(`#${bad}`);
    expect(errors[0]).toBe("The shared link's scenario was not loaded:");
    expect(errors[1]).toMatch(/^seed: expected/);
  });

  it('names each damaged part and keeps the good ones', async () => {
    const scenario = parseScenario({ seed: 4 });
    const good = await encodeState({ view: 'live', scenario, preset: null, day: 0, compare: null, optimise: null });
    const { state, errors } = await decodeState(`#${good.replace("view=live", "view=nope")}&day=-2&c=garbage`);
    expect(state.scenario).toEqual(scenario);
    expect(errors).toEqual([
      'share link: view: expected one of live, compare, trainer, optimise, fit, got "nope"',
      'share link: day: expected a whole number of days, got "-2"',
      'share link: the comparison in this link is damaged (could not decode it)',
    ]);
  });
});
