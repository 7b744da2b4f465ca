import { describe, expect, it } from 'vitest';
import { DAILY_METRIC_NAMES, type DailyRow, type SimEvent } from '../../engine/metrics.js';
import { narrate, narrativeLines, Narrator, plainChange, rank } from '../../viz/narrative.js';

/** A calm community of 100 members; `patch(day)` changes some days. */
function series(days: number, patch: (d: number) => Partial<DailyRow> = () => ({})): DailyRow[] {
  return Array.from({ length: days + 1 }, (_, d) => {
    const r = Object.fromEntries(DAILY_METRIC_NAMES.map((k) => [k, 0])) as DailyRow;
    return { ...r, day: d, members: 100, active: 30, posts: 20, replies: 20, toxicShare: 0.02, questions: 4, answered: 4, answeredShare: 1, medianResponseHours: 3, meanSatisfaction: 0.6, ...patch(d) };
  });
}

describe('viz/narrative', () => {
  it('passes engine events through and joins same-day notes', () => {
    const events: SimEvent[] = [{ day: 43, kind: 'flame-war', text: 'a flame war' }];
    const rows = series(50, (d) => (d >= 36 && d <= 42 ? { churned: 2 } : {}));
    const lines = narrativeLines(narrate(events, rows));
    expect(lines).toContainEqual({ day: 42, text: 'day 42: 14 members left this week' });
    expect(narrativeLines(narrate([...events, { day: 42, kind: 'exodus', text: 'quiet members leave' }], rows))).toContainEqual({
      day: 42,
      text: 'day 42: quiet members leave; 14 members left this week',
    });
    expect(lines.at(-1)).toEqual({ day: 43, text: 'day 43: a flame war' });
  });

  it('tells when toxicity passes a threshold once, not every day, and again after it calms down', () => {
    const rows = series(120, (d) => ({ toxicShare: (d >= 20 && d < 50) || d >= 90 ? 0.3 : 0.02 }));
    const toxic = narrate([], rows).filter((a) => a.kind === 'toxicity');
    // The weekly mean reaches 10% on the second toxic day (0.3 x 2 + 0.02 x 5) / 7 = 0.10, falls
    // below 7% again on day 55 and reaches 10% once more on day 91.
    expect(toxic.map((a) => a.day)).toEqual([21, 91]);
    expect(toxic[0].text).toMatch(/toxicity passes \d+% of posts/);
  });

  it('tells when the manager goes silent', () => {
    const rows = series(100, (d) => (d > 60 ? { answered: 0, answeredShare: 0, medianResponseHours: 0 } : {}));
    const silence = narrate([], rows).filter((a) => a.kind === 'silence');
    expect(silence).toHaveLength(1);
    expect(silence[0].day).toBeGreaterThan(60);
    expect(silence[0].day).toBeLessThan(66);
  });

  it('is causal: a longer run only adds annotations', () => {
    const rows = series(200, (d) => ({ toxicShare: d % 50 < 20 ? 0.25 : 0.01, churned: d % 30 === 0 ? 9 : 0, members: 200 - d / 2 }));
    const short = narrate([], rows.slice(0, 101));
    const long = narrate([], rows);
    expect(long.slice(0, short.length)).toEqual(short);
  });

  it('notes when half the members are gone since the peak', () => {
    const rows = series(60, (d) => ({ members: d <= 10 ? 100 + d * 10 : Math.max(10, 200 - (d - 10) * 5) }));
    const decline = narrate([], rows).filter((a) => a.kind === 'decline');
    expect(decline).toEqual([{ day: 30, kind: 'decline', text: 'half the members are gone since the peak of 200 on day 10' }]);
  });

  it('spots a flame war in the series, once a week at most, unless the engine tells them itself', () => {
    const rows = series(60, (d) => (d === 43 || d === 45 ? { toxicShare: 0.4 } : {}));
    const flames = narrate([], rows).filter((a) => a.kind === 'flame-war');
    expect(flames).toEqual([{ day: 43, kind: 'flame-war', text: "a flame war: 40% of today's posts are toxic" }]);
    const told: SimEvent[] = [{ day: 44, kind: 'flame-war', text: 'a flame war in the off-topic thread' }];
    expect(narrate(told, rows).filter((a) => a.kind === 'flame-war')).toEqual([told[0]]);
  });

  it('tells departures only when they stand out from the usual weeks, and ban waves', () => {
    const rows = series(70, (d) => ({ churned: d >= 57 && d <= 63 ? 6 : 1, banned: d === 62 ? 4 : 0 }));
    const notes = narrate([], rows);
    expect(notes.filter((a) => a.kind === 'departures')).toEqual([{ day: 63, kind: 'departures', text: '46 members left this week' }]);
    expect(notes.filter((a) => a.kind === 'ban-wave')).toEqual([{ day: 63, kind: 'ban-wave', text: '4 members banned this week' }]);
  });
});

describe('viz/narrative plainChange', () => {
  it('puts schedule events in words', () => {
    expect(plainChange('policies.response.targetHours set to null')).toBe('policy change: response target hours switched off');
    expect(plainChange('policies.moderation.strictness set to 0.9 (live)')).toBe('policy change: moderation strictness set to 0.9');
    expect(plainChange('manager.hoursPerDay set to 1')).toBe('policy change: manager hours per day set to 1');
    expect(plainChange('troll raid: 30 trolls join at once')).toBe('troll raid: 30 trolls join at once');
    const events: SimEvent[] = [
      { day: 60, kind: 'schedule', text: 'policies.response.targetHours set to null' },
      { day: 60, kind: 'schedule', text: 'policies.response.welcomeNewcomers set to false' },
    ];
    expect(narrativeLines(narrate(events, []))).toEqual([{ day: 60, text: 'day 60: policy change: response target hours switched off; response welcome newcomers off' }]);
  });
});

describe('viz/narrative Narrator', () => {
  it('fed a run in pieces, tells exactly what narrate tells of the whole run', () => {
    const rows = series(200, (d) => ({ toxicShare: d % 50 > 40 ? 0.4 : 0.02, churned: d % 30 === 0 ? 12 : 0, banned: d % 14 === 0 ? 3 : 0 }));
    const events: SimEvent[] = [{ day: 10, kind: 'shock', text: 'a troll raid' }, { day: 60, kind: 'schedule', text: 'policies.moderation.strictness set to 0' }];
    const whole = narrate(events, rows);
    const n = new Narrator();
    for (let upTo = 0; upTo <= 200; upTo += 13) n.update(events.filter((e) => e.day <= upTo), rows.slice(0, upTo + 1));
    n.update(events, rows);
    expect(n.annotations).toEqual(whole);
    expect(n.lines.map(({ day, text }) => ({ day, text }))).toEqual(narrativeLines(whole));
  });

  it('ranks shocks and policy changes above flame wars, and routine weekly counts last', () => {
    expect([rank('shock'), rank('schedule')]).toEqual([3, 3]);
    expect([rank('flame-war'), rank('toxicity'), rank('decline')]).toEqual([2, 2, 2]);
    expect([rank('ban-wave'), rank('departures')]).toEqual([1, 1]);
  });

  it('a shock added live is told when it comes, not as a change of the shock list', () => {
    const n = new Narrator();
    n.update([{ day: 5, kind: 'schedule', text: 'shocks set to [{"type":"troll-raid","day":6}] (live)' }, { day: 6, kind: 'shock', text: 'a troll raid' }], series(6));
    expect(n.lines.map((l) => l.text)).toEqual(['day 6: a troll raid']);
  });
});
