/**
 * The daily series as CSV: one row per day, one column per metric, in DAILY_METRICS order, so
 * the file loads straight into pandas, R or a spreadsheet. Pure (no DOM).
 */
import { DAILY_METRIC_NAMES, type DailyMetric, type DailyRow } from '../engine/metrics.js';

/** A number as CSV text: integers plain, fractions to 6 significant digits, non-finite empty. */
function cell(v: number): string {
  if (!Number.isFinite(v)) return '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** CSV text of `rows` with the given columns (all daily metrics by default), newline-terminated. */
export function seriesCsv(rows: readonly DailyRow[], columns: readonly DailyMetric[] = DAILY_METRIC_NAMES): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
