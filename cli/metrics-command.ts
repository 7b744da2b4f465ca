/**
 * `community-sim metrics`: every daily and summary metric with its unit, better direction, range
 * and meaning, read from the one definition in engine/metrics.ts (a table, or JSON for scripts).
 */
import { Option, type Command } from 'commander';
import { DAILY_METRICS, DAILY_METRIC_NAMES, SUMMARY_METRICS, SUMMARY_METRIC_NAMES, dailyMetric, summaryMetric, type MetricDef } from '../engine/metrics.js';
import { InputError } from '../experiments/io/input-error.js';

/** A range as people write it: [0, 1], [0, ∞), [-1, ∞). */
export function formatRange([lo, hi]: readonly [number, number]): string {
  const end = (v: number) => (v === Infinity ? '∞' : v === -Infinity ? '-∞' : String(v));
  return `${lo === -Infinity ? '(' : '['}${end(lo)}, ${end(hi)}${hi === Infinity ? ')' : ']'}`;
}

function table(title: string, defs: Record<string, MetricDef>): string {
  const rows = Object.entries(defs).map(([name, d]) => [name, d.unit, d.better, formatRange(d.range), d.description]);
  const head = ['metric', 'unit', 'better', 'range', 'description'];
  const widths = head.slice(0, 4).map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) => r.slice(0, 4).map((c, k) => c.padEnd(widths[k])).join('  ') + '  ' + r[4];
  return `${title}\n\n${line(head)}\n${line(widths.map((w) => '-'.repeat(w)).concat('-'.repeat(11)))}\n${rows.map(line).join('\n')}\n`;
}

/** Definitions as JSON; an unbounded end of a range is `null`. */
function asJson(defs: Record<string, MetricDef>) {
  return Object.fromEntries(
    Object.entries(defs).map(([name, d]) => [name, { ...d, range: d.range.map((v) => (Number.isFinite(v) ? v : null)) }]),
  );
}

export function registerMetricsCommand(program: Command): void {
  program
    .command('metrics')
    .description('List every metric a run reports (daily series and summary): unit, which way is better, range and meaning.')
    .argument('[names...]', 'only these metrics (daily or summary names)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', `
Undefined values (a share of nothing, a median of no answers, retention in a run too short to
measure it) are null in JSON, empty cells in CSV, and left out of n in compare and sweep.`)
    .action((names: string[], opts: { format: 'table' | 'json' }) => {
      const unknown = names.filter((n) => !dailyMetric(n) && !summaryMetric(n));
      if (unknown.length) {
        throw new InputError(unknown.map((n) => ({ path: n, message: `unknown metric (daily: ${DAILY_METRIC_NAMES.join(', ')}; summary: ${SUMMARY_METRIC_NAMES.join(', ')})` })));
      }
      const pick = (defs: Record<string, MetricDef>) => (names.length ? Object.fromEntries(Object.entries(defs).filter(([n]) => names.includes(n))) : defs);
      const daily = pick(DAILY_METRICS), summary = pick(SUMMARY_METRICS);
      const sections = [
        ...(Object.keys(daily).length ? [table('Daily metrics (one column per day of a run\'s series)', daily)] : []),
        ...(Object.keys(summary).length ? [table('Summary metrics (one value per run)', summary)] : []),
      ];
      const text = opts.format === 'json'
        ? `${JSON.stringify({ daily: asJson(daily), summary: asJson(summary) }, null, 2)}\n`
        : sections.join('\n');
      process.stdout.write(text);
    });
}
