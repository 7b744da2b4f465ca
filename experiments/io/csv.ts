/**
 * Tidy CSV for pandas and R: a header row, one row per observation, one column per variable.
 * Missing or non-finite numbers are empty cells (NA in both); text is quoted only when it must be.
 */
import { DAILY_METRIC_NAMES, type DailyRow } from '../../engine/metrics.js';

export type CsvCell = string | number | boolean | null | undefined;

/** One CSV cell: empty for missing or non-finite numbers, quoted only when it must be. */
export function cell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV table with a header row; lines end with `\n`. */
export function csvTable(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(cell).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return lines.join('\n') + '\n';
}

/** The daily series of a run: one row per day, one column per metric, in the engine's order. */
export function seriesCsv(series: readonly DailyRow[]): string {
  // Columns come from the rows themselves so metrics the engine adds later are not dropped.
  const header = series.length ? Object.keys(series[0]) : [...DAILY_METRIC_NAMES];
  return csvTable(header, series.map((row) => header.map((k) => (row as Record<string, number>)[k])));
}
