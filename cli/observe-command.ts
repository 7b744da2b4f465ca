/**
 * `community-sim observe LOG`: an interaction log (a platform export) turned into the observed
 * series the model can be compared with, and optionally its reply network as a graph file. The
 * reading and counting are experiments/observe.ts; this file maps flags and writes the files.
 */
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { LOG_FIELDS, tiesEdgeList, type LogField, type LogFormat, type ObservePeriod } from '../experiments/observe.js';
import { observeFile } from '../experiments/observe-file.js';
import { writeFileAtomic } from '../experiments/io/atomic-write.js';
import { csvTable } from '../experiments/io/csv.js';
import { InputError } from '../experiments/io/input-error.js';

interface ObserveFlags {
  period: ObservePeriod;
  out?: string;
  graph?: string;
  columns?: string;
  format?: LogFormat;
  skipBad?: boolean;
}

/** `timestamp=time,author=src` as a field-to-header map, or an InputError naming --columns. */
function columnMap(raw: string | undefined): Partial<Record<LogField, string>> | undefined {
  if (raw === undefined) return undefined;
  const map: Partial<Record<LogField, string>> = {};
  for (const pair of raw.split(',')) {
    const m = /^\s*(\w+)\s*=\s*(.+?)\s*$/.exec(pair);
    if (!m || !(LOG_FIELDS as readonly string[]).includes(m[1])) {
      throw new InputError([{ path: '--columns', message: `expected FIELD=COLUMN pairs separated by commas, FIELD one of ${LOG_FIELDS.join(', ')}; got ${JSON.stringify(pair)}` }]);
    }
    map[m[1] as LogField] = m[2];
  }
  return map;
}

const thousands = (n: number) => n.toLocaleString('en-US');

export function registerObserveCommand(program: Command): void {
  program
    .command('observe')
    .description('Turn an interaction log (a platform export) into the observed daily or weekly series the model reports, and its reply network.')
    .argument('<log>', 'the log: CSV/TSV with a header, one event a line, or a SNAP temporal network (--format snap)')
    .addOption(new Option('--period <period>', 'one row per day or per week').choices(['day', 'week']).default('day'))
    .option('-o, --out <file>', 'write the series to this file (atomically) instead of stdout')
    .option('-g, --graph <file>', 'also write the reply network as an edge list (a scenario\'s population.graph.file)')
    .option('--columns <map>', 'the log\'s names of the fields, e.g. timestamp=time,author=user_id,target=reply_to')
    .addOption(new Option('-f, --format <format>', 'csv, tsv (header line) or snap ("SRC DST UNIXTS", no header); default: tsv for .tsv files, else csv').choices(['csv', 'tsv', 'snap']))
    .option('--skip-bad', 'skip rows that cannot be read and report how many (default: stop at the first, exit 2)')
    .addHelpText(
      'after',
      `
Log columns (header names matched without regard to case; rename with --columns):
  timestamp  ISO 8601 (UTC when it has no offset) or Unix seconds        required
  author     the member who acted                                        required
  kind       post, question, reply, answer, reaction, join, leave         default post
  target     the member replied to                                        optional
  id, parent the item's id and the id of the item it answers              optional

Series columns: date, day, contributors, newContributors, posts, replies, questions,
  answeredShare and medianResponseHours (when the log has id and parent),
  joins and members (when the log has join or leave events).
  Days are 24-hour periods from the first event; with --period week a row is 7 such days, its
  day the week's first, and contributors are distinct over the week.

Examples:
  community-sim observe forum-export.csv --period week --out observed.csv --graph ties.csv
  community-sim observe CollegeMsg.txt --format snap --period week
  community-sim observe chat.tsv --columns timestamp=sent_at,author=user,target=to --skip-bad`,
    )
    .action(async (log: string, flags: ObserveFlags) => {
      const columns = columnMap(flags.columns);
      const format = flags.format ?? (extname(log).toLowerCase() === '.tsv' ? 'tsv' : 'csv');
      const observed = await observeFile(log, { format, period: flags.period, columns, skipBad: flags.skipBad, ties: flags.graph !== undefined });
      const text = csvTable(observed.columns, observed.rows.map((row) => observed.columns.map((c) => row[c])));
      if (observed.skipped) {
        const first = observed.bad.slice(0, 3).map((b) => `${log}:${b.line}: ${b.message}`);
        process.stderr.write(`skipped ${thousands(observed.skipped)} bad row(s); the first:\n${first.map((l) => `  ${l}\n`).join('')}`);
      }
      if (flags.graph !== undefined) writeFileAtomic(flags.graph, tiesEdgeList(observed.ties!, log));
      if (flags.out === undefined) {
        process.stdout.write(text);
        return;
      }
      writeFileAtomic(flags.out, text);
      const unit = flags.period === 'week' ? 'weeks' : 'days';
      process.stderr.write(`${thousands(observed.events)} events by ${thousands(observed.authors)} members over ${thousands(observed.days)} days -> ${observed.rows.length} ${unit} in ${flags.out}${flags.graph ? `, ${thousands(observed.ties!.src.length)} ties in ${flags.graph}` : ''}\n`);
    });
}
