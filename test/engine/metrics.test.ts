// The metric registry: one complete definition per metric, and intervals kept inside a metric's range.
import { describe, expect, it } from 'vitest';
import {
  DAILY_METRICS,
  DAILY_METRIC_NAMES,
  SUMMARY_METRICS,
  SUMMARY_METRIC_NAMES,
  clipInterval,
  dailyMetric,
  summaryMetric,
  type MetricDef,
} from '../../engine/metrics.js';

const complete = (name: string, d: MetricDef) => {
  expect(d.description.length, name).toBeGreaterThan(10);
  expect(d.unit, name).not.toBe('');
  expect(['higher', 'lower', 'none'], name).toContain(d.better);
  expect(['amount', 'share', 'rate', 'level'], name).toContain(d.kind);
  expect(d.range[0], name).toBeLessThan(d.range[1]);
  if (d.kind === 'share') expect(d.range, name).toEqual([0, 1]);
};

describe('metric registry', () => {
  it('defines every daily and summary metric completely, names in output order', () => {
    expect(DAILY_METRIC_NAMES).toEqual(Object.keys(DAILY_METRICS));
    expect(SUMMARY_METRIC_NAMES).toEqual(Object.keys(SUMMARY_METRICS));
    expect(DAILY_METRIC_NAMES[0]).toBe('day');
    for (const n of DAILY_METRIC_NAMES) complete(n, DAILY_METRICS[n]);
    for (const n of SUMMARY_METRIC_NAMES) complete(n, SUMMARY_METRICS[n]);
  });

  it('looks metrics up by name, and not inherited properties', () => {
    expect(dailyMetric('toxicShare')?.better).toBe('lower');
    expect(summaryMetric('retentionD30')?.unit).toBe('share');
    expect(summaryMetric('toString')).toBeUndefined();
    expect(dailyMetric('finalMembers')).toBeUndefined();
  });

  it('clips an interval to the range, and a difference to the range of differences', () => {
    expect(clipInterval(summaryMetric('answeredShare'), -0.77, 2.1)).toEqual([0, 1]);
    expect(clipInterval(summaryMetric('finalMembers'), -2.58, 9.92)).toEqual([0, 9.92]);
    expect(clipInterval(summaryMetric('growthRate'), -1.3, 0.2)).toEqual([-1, 0.2]);
    expect(clipInterval(summaryMetric('answeredShare'), -1.5, 0.3, true)).toEqual([-1, 0.3]);
    expect(clipInterval(summaryMetric('finalMembers'), -50, 10, true)).toEqual([-50, 10]);
    expect(clipInterval(undefined, -5, 5)).toEqual([-5, 5]);
    expect(clipInterval(summaryMetric('answeredShare'), NaN, NaN)).toEqual([NaN, NaN]);
  });
});
