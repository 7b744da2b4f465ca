import { describe, expect, it } from 'vitest';
import { DAILY_METRIC_NAMES, type DailyRow } from '../../engine/metrics.js';
import { seriesCsv } from '../../viz/csv.js';

const row = (day: number, extra: Partial<DailyRow> = {}): DailyRow => {
  const r = Object.fromEntries(DAILY_METRIC_NAMES.map((k) => [k, 0])) as DailyRow;
  return { ...r, day, ...extra };
};

describe('viz/csv', () => {
  it('writes a header of every daily metric and one line per day', () => {
    const text = seriesCsv([row(0, { members: 200 }), row(1, { members: 203, toxicShare: 1 / 3 })]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(DAILY_METRIC_NAMES.join(','));
    expect(lines).toHaveLength(3);
    const cols = lines[2].split(',');
    expect(cols).toHaveLength(DAILY_METRIC_NAMES.length);
    expect(cols[DAILY_METRIC_NAMES.indexOf('members')]).toBe('203');
    expect(cols[DAILY_METRIC_NAMES.indexOf('toxicShare')]).toBe('0.333333');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('leaves non-finite values empty and honours a column choice', () => {
    expect(seriesCsv([row(2, { medianResponseHours: NaN, members: 5 })], ['day', 'members', 'medianResponseHours'])).toBe('day,members,medianResponseHours\n2,5,\n');
  });
});
