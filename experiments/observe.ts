/**
 * Observed series from an interaction log: what a platform export says about a community, in the
 * columns the model also reports (engine/metrics.ts), so that a run can be compared with it (the
 * fit issue, step 1). Nothing here knows any particular platform: a log is one event a line.
 *
 * Forms read:
 * - CSV or TSV with a header: `timestamp` (ISO 8601, taken as UTC when it has no offset, or Unix
 *   seconds), `author`, optional `kind` (post, question, reply, answer, reaction, join, leave;
 *   empty = post), `target` (the member replied to), `id` and `parent` (the item answered).
 *   Header names are matched without regard to case and can be mapped (`columns`).
 * - SNAP temporal networks: `SRC DST UNIXTS` a line, no header, `#`/`%` comments; every line is a
 *   post by SRC addressed to DST.
 *
 * Periods are 24-hour days counted from the first event (day 0 starts at the first event's
 * second) or weeks of 7 such days, so a log's first period is never a stub and counting the days
 * from the first message gives the same table as any hand count. Events are sorted by time
 * first, so a log need not be in order. A log that cannot be read is an InputError naming the log
 * and line (`forum.csv:41: timestamp: ...`). Counts in a week are distinct over the week (a member
 * who posted on three days of a week is one contributor of that week).
 */
import { InputError } from './io/input-error.js';
import { grow } from '../engine/grow.js';

export const LOG_FIELDS = ['timestamp', 'author', 'kind', 'target', 'id', 'parent'] as const;
export type LogField = (typeof LOG_FIELDS)[number];

export const EVENT_KINDS = ['post', 'question', 'reply', 'answer', 'reaction', 'join', 'leave'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
const enum Kind { Post, Question, Reply, Answer, Reaction, Join, Leave }

export type LogFormat = 'csv' | 'tsv' | 'snap';
export type ObservePeriod = 'day' | 'week';

export interface ObserveOptions {
  format?: LogFormat;
  period?: ObservePeriod;
  /** Header names of the log's columns by field, e.g. `{ timestamp: 'time', author: 'src' }`. */
  columns?: Partial<Record<LogField, string>>;
  /** Count bad rows and go on instead of failing at the first. */
  skipBad?: boolean;
  /** Also build the reply network (`ObservedLog.ties`). */
  ties?: boolean;
  /** Names the log in error messages (default "log"). */
  label?: string;
}

/** A row that could not be read: its line (1-based, where the record starts) and why. */
export interface BadRow {
  line: number;
  message: string;
}

/** One period of the observed series. `date` is the UTC date the period starts on. */
export interface ObservedRow {
  date: string;
  day: number;
  [column: string]: number | string;
}

/** The undirected reply network: account labels, and ties as pairs of indices into them. */
export interface ObservedTies {
  labels: string[];
  src: Int32Array;
  dst: Int32Array;
}

export interface ObservedLog {
  period: ObservePeriod;
  /** Unix seconds of the first event: the start of day 0. */
  start: number;
  /** Column names of `rows`, in order: date, day, then the observables. */
  columns: string[];
  rows: ObservedRow[];
  events: number;
  /** Distinct accounts that did anything (authors). */
  authors: number;
  /** Days from the first event's day to the last's, inclusive. */
  days: number;
  /** Rows skipped with `skipBad` (the first ones, at most 20, are in `bad`). */
  skipped: number;
  bad: BadRow[];
  ties?: ObservedTies;
}

const DAY = 86400;
/** A question counts as answered when its first answer comes within this many seconds. */
const ANSWER_WINDOW = 7 * DAY;
const MAX_BAD_KEPT = 20;

// ---------------------------------------------------------------------------------------------
// Reading

/** Growable columns of events, so a large log costs a few bytes an event, not an object. */
class EventColumns {
  n = 0;
  t = new Float64Array(1024);
  author = new Int32Array(1024);
  kind = new Uint8Array(1024);
  target = new Int32Array(1024);
  id = new Int32Array(1024);
  parent = new Int32Array(1024);

  push(t: number, author: number, kind: Kind, target: number, id: number, parent: number): void {
    if (this.n === this.t.length) {
      this.t = grow(this.t);
      this.author = grow(this.author);
      this.kind = grow(this.kind);
      this.target = grow(this.target);
      this.id = grow(this.id);
      this.parent = grow(this.parent);
    }
    const i = this.n++;
    this.t[i] = t;
    this.author[i] = author;
    this.kind[i] = kind;
    this.target[i] = target;
    this.id[i] = id;
    this.parent[i] = parent;
  }
}

/** Strings to dense ids in first-seen order. */
class Interner {
  readonly ids = new Map<string, number>();
  readonly labels: string[] = [];
  get(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.labels.length;
      this.ids.set(s, i);
      this.labels.push(s);
    }
    return i;
  }
}

/** A row's problem, thrown inside the reader and turned into a BadRow with its line. */
class RowError extends Error {}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/** Seconds since the Unix epoch of an ISO 8601 date-time (UTC when it has no offset) or a number of seconds. */
export function parseTimestamp(raw: string): number {
  const s = raw.trim();
  if (NUMBER.test(s)) {
    const v = Number(s);
    // 1e11 s is the year 5138: such a number is almost surely milliseconds.
    if (Math.abs(v) >= 1e11) throw new RowError(`timestamp: expected Unix seconds, got ${JSON.stringify(raw)} (milliseconds? divide by 1000)`);
    return v;
  }
  const m = ISO.exec(s);
  if (m) {
    let zone = m[3] ?? 'Z';
    if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
    else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const ms = Date.parse(`${m[1]}T${(m[2] ?? '00:00').replace(',', '.')}${zone.toUpperCase()}`);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw new RowError(`timestamp: expected an ISO 8601 date-time or Unix seconds, got ${JSON.stringify(raw)}`);
}

/** The fields of one CSV/TSV record (RFC 4180 quoting: `"a, b"`, `"say ""hi"""`). */
function splitRecord(record: string, delim: string): string[] {
  if (!record.includes('"')) return record.split(delim);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (quoted) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delim) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

const countQuotes = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
};

/** Records of a delimited text: lines joined while a quoted field runs on, with the line each starts on. */
async function* records(lines: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let ln = 0;
  let pending: string | undefined;
  let pendingLine = 0;
  let quotes = 0;
  for await (const raw of lines) {
    ln++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending === undefined) {
      pending = line;
      pendingLine = ln;
      quotes = countQuotes(line);
    } else {
      pending += '\n' + line;
      quotes += countQuotes(line);
    }
    if (quotes % 2 === 0) {
      yield { line: pendingLine, text: pending };
      pending = undefined;
    }
  }
  if (pending !== undefined) yield { line: pendingLine, text: pending }; // an unclosed quote: the row fails on its own
}

function kindOf(raw: string): Kind {
  const s = raw.trim().toLowerCase();
  if (s === '') return Kind.Post;
  const k = (EVENT_KINDS as readonly string[]).indexOf(s);
  if (k < 0) throw new RowError(`kind: expected one of ${EVENT_KINDS.join(', ')} (or empty for post), got ${JSON.stringify(raw)}`);
  return k as Kind;
}

interface Parsed {
  events: EventColumns;
  accounts: Interner;
  items: Interner;
  hasIds: boolean;
  skipped: number;
  bad: BadRow[];
}

/** Reads every event of a log into columns; bad rows throw an InputError or are counted. */
async function readEvents(lines: AsyncIterable<string>, opts: ObserveOptions): Promise<Parsed> {
  const label = opts.label ?? 'log';
  const format = opts.format ?? 'csv';
  const events = new EventColumns();
  const accounts = new Interner();
  const items = new Interner();
  const bad: BadRow[] = [];
  let skipped = 0;
  const fail = (line: number, message: string) => {
    if (!opts.skipBad) throw new InputError([{ path: `${label}:${line}`, message }]);
    skipped++;
    if (bad.length < MAX_BAD_KEPT) bad.push({ line, message });
  };

  if (format === 'snap') {
    if (opts.columns && Object.keys(opts.columns).length) throw new InputError([{ path: 'columns', message: 'not used with the snap format (its columns are SRC DST UNIXTS)' }]);
    let ln = 0;
    for await (const raw of lines) {
      ln++;
      const line = raw.trim();
      if (!line || line[0] === '#' || line[0] === '%') continue;
      const f = line.split(/\s+/);
      try {
        if (f.length !== 3) throw new RowError(`expected "SRC DST UNIXTS", got ${f.length} fields`);
        if (!NUMBER.test(f[2])) throw new RowError(`timestamp: expected Unix seconds, got ${JSON.stringify(f[2])}`);
        const t = parseTimestamp(f[2]);
        events.push(t, accounts.get(f[0]), Kind.Post, accounts.get(f[1]), -1, -1);
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        fail(ln, e.message);
      }
    }
    return { events, accounts, items, hasIds: false, skipped, bad };
  }

  const delim = format === 'tsv' ? '\t' : ',';
  let col: Record<LogField, number> | undefined;
  let width = 0;
  for await (const { line, text } of records(lines)) {
    if (!col) {
      const header = text.replace(/^\uFEFF/, '');
      if (!header.trim()) continue;
      const names = splitRecord(header, delim).map((h) => h.trim().toLowerCase());
      width = names.length;
      const find = (field: LogField) => {
        const mapped = opts.columns?.[field];
        const want = (mapped ?? field).trim().toLowerCase();
        const at = names.indexOf(want);
        if (at < 0 && (mapped !== undefined || field === 'timestamp' || field === 'author')) {
          if (names.every((n) => NUMBER.test(n.split(/\s+/)[0] ?? ''))) {
            throw new InputError([{ path: `${label}:${line}`, message: `header: expected column names, got ${JSON.stringify(header.trim())} (a headerless SNAP log "SRC DST UNIXTS"? use --format snap)` }]);
          }
          const how = mapped !== undefined ? ` (mapped by columns: ${field}=${mapped})` : field === 'timestamp' ? ' (map another with --columns timestamp=NAME)' : ' (map another with --columns author=NAME)';
          throw new InputError([{ path: `${label}:${line}`, message: `header: expected a column "${mapped ?? field}"${how}, got ${names.map((n) => JSON.stringify(n)).join(', ')}` }]);
        }
        return at;
      };
      col = Object.fromEntries(LOG_FIELDS.map((f) => [f, find(f)])) as Record<LogField, number>;
      continue;
    }
    if (!text.trim()) continue;
    try {
      const f = splitRecord(text, delim);
      if (f.length !== width) throw new RowError(`expected ${width} fields as in the header, got ${f.length}`);
      const t = parseTimestamp(f[col.timestamp]);
      const author = f[col.author].trim();
      if (!author) throw new RowError('author: expected a member id, got an empty field');
      const kind = col.kind >= 0 ? kindOf(f[col.kind]) : Kind.Post;
      const opt = (c: number, into: Interner) => {
        if (c < 0) return -1;
        const v = f[c].trim();
        return v ? into.get(v) : -1;
      };
      const a = accounts.get(author);
      events.push(t, a, kind, opt(col.target, accounts), opt(col.id, items), opt(col.parent, items));
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      fail(line, e.message);
    }
  }
  if (!col) throw new InputError([{ path: label, message: 'expected a header line and events, got an empty file' }]);
  return { events, accounts, items, hasIds: col.id >= 0 && col.parent >= 0, skipped, bad };
}

// ---------------------------------------------------------------------------------------------
// Aggregating

function median(values: number[]): number {
  if (!values.length) return NaN;
  values.sort((a, b) => a - b);
  const h = values.length >> 1;
  return values.length % 2 ? values[h] : (values[h - 1] + values[h]) / 2;
}

const utcDate = (seconds: number) => new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 10);

const isContribution = (k: number) => k === Kind.Post || k === Kind.Question || k === Kind.Reply || k === Kind.Answer;

/** The observed series (and ties) of parsed events. */
function aggregate(p: Parsed, opts: ObserveOptions): ObservedLog {
  const { events: ev, accounts, items } = p;
  const n = ev.n;
  const label = opts.label ?? 'log';
  if (n === 0) throw new InputError([{ path: label, message: p.skipped ? `no readable events (${p.skipped} bad rows skipped)` : 'expected events, got none' }]);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => ev.t[a] - ev.t[b] || a - b); // stable: equal times keep the file's order

  const start = ev.t[order[0]];
  const end = ev.t[order[n - 1]];
  const dayOf = (t: number) => Math.floor((t - start) / DAY);
  const days = dayOf(end) + 1;
  const len = opts.period === 'week' ? 7 : 1;
  const periods = Math.ceil(days / len);
  const periodOf = (t: number) => Math.floor(dayOf(t) / len);

  const nAcc = accounts.labels.length;
  const lastContrib = new Int32Array(nAcc).fill(-1);
  const contributed = new Uint8Array(nAcc);
  const present = new Uint8Array(nAcc);
  const contributors = new Float64Array(periods);
  const newContributors = new Float64Array(periods);
  const posts = new Float64Array(periods);
  const replies = new Float64Array(periods);
  const questions = new Float64Array(periods);
  const joins = new Float64Array(periods);
  const members = new Float64Array(periods);
  let onRolls = 0;
  let hasRolls = false;

  const nItems = items.labels.length;
  const qTime = new Float64Array(nItems).fill(NaN);
  const qAuthor = new Int32Array(nItems).fill(-1);
  const firstAnswer = new Float64Array(nItems).fill(NaN);

  let period = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const t = ev.t[i];
    const pNow = periodOf(t);
    // Empty periods keep the rolls of the last event before them.
    while (period < pNow) members[++period] = onRolls;
    const a = ev.author[i];
    const kind = ev.kind[i];
    if (kind === Kind.Leave) {
      hasRolls = true;
      if (present[a]) (present[a] = 0), onRolls--;
    } else if (!present[a]) (present[a] = 1), onRolls++;
    if (kind === Kind.Join) (hasRolls = true), joins[pNow]++;
    if (isContribution(kind)) {
      if (lastContrib[a] !== pNow) (lastContrib[a] = pNow), contributors[pNow]++;
      if (!contributed[a]) (contributed[a] = 1), newContributors[pNow]++;
      if (kind === Kind.Post || kind === Kind.Question) posts[pNow]++;
      else replies[pNow]++;
    }
    if (kind === Kind.Question) {
      questions[pNow]++;
      const id = ev.id[i];
      if (id >= 0 && Number.isNaN(qTime[id])) (qTime[id] = t), (qAuthor[id] = a);
    }
    if (kind === Kind.Reply || kind === Kind.Answer) {
      // The first reply or answer by someone other than the asker, within the window, answers a question.
      const q = ev.parent[i];
      if (q >= 0 && !Number.isNaN(qTime[q]) && Number.isNaN(firstAnswer[q]) && qAuthor[q] !== a && t - qTime[q] <= ANSWER_WINDOW) firstAnswer[q] = t;
    }
    members[pNow] = onRolls;
  }

  // answeredShare: questions asked in the period whose window closed before the log ends (later
  // ones are left out: an answer may still come, and counting them unanswered would bias it down).
  // medianResponseHours: over questions first answered in the period, like the engine's.
  const asked = new Float64Array(periods);
  const answered = new Float64Array(periods);
  const delays: number[][] = Array.from({ length: periods }, () => []);
  if (p.hasIds) {
    for (let q = 0; q < nItems; q++) {
      if (Number.isNaN(qTime[q])) continue;
      const ok = !Number.isNaN(firstAnswer[q]);
      if (ok) delays[periodOf(firstAnswer[q])].push((firstAnswer[q] - qTime[q]) / 3600);
      if (qTime[q] + ANSWER_WINDOW > end) continue;
      asked[periodOf(qTime[q])]++;
      if (ok) answered[periodOf(qTime[q])]++;
    }
  }

  const columns = ['date', 'day', 'contributors', 'newContributors', 'posts', 'replies', 'questions'];
  if (p.hasIds) columns.push('answeredShare', 'medianResponseHours');
  if (hasRolls) columns.push('joins', 'members');
  const rows: ObservedRow[] = [];
  for (let q = 0; q < periods; q++) {
    const row: ObservedRow = { date: utcDate(start + q * len * DAY), day: q * len, contributors: contributors[q], newContributors: newContributors[q], posts: posts[q], replies: replies[q], questions: questions[q] };
    if (p.hasIds) {
      row.answeredShare = asked[q] > 0 ? answered[q] / asked[q] : NaN;
      row.medianResponseHours = median(delays[q]);
    }
    if (hasRolls) {
      row.joins = joins[q];
      row.members = members[q];
    }
    rows.push(row);
  }

  const out: ObservedLog = { period: opts.period ?? 'day', start, columns, rows, events: n, authors: countAuthors(ev, nAcc), days, skipped: p.skipped, bad: p.bad };
  if (opts.ties) out.ties = replyTies(p, order);
  return out;
}

function countAuthors(ev: EventColumns, nAcc: number): number {
  const seen = new Uint8Array(nAcc);
  let k = 0;
  for (let i = 0; i < ev.n; i++) if (!seen[ev.author[i]]) (seen[ev.author[i]] = 1), k++;
  return k;
}

/**
 * The reply network: a tie between the author of a post, question, reply or answer and its
 * target, or the author of the item it answers when it names no target. Accounts are numbered by first appearance in time.
 */
function replyTies(p: Parsed, order: Uint32Array): ObservedTies {
  const { events: ev, accounts, items } = p;
  const itemAuthor = new Int32Array(items.labels.length).fill(-1);
  for (let i = 0; i < ev.n; i++) if (ev.id[i] >= 0 && itemAuthor[ev.id[i]] < 0) itemAuthor[ev.id[i]] = ev.author[i];
  const nAcc = accounts.labels.length;
  const rank = new Int32Array(nAcc).fill(-1);
  const labels: string[] = [];
  const node = (a: number) => {
    if (rank[a] < 0) {
      rank[a] = labels.length;
      labels.push(accounts.labels[a]);
    }
    return rank[a];
  };
  const seen = new Set<number>();
  const src: number[] = [];
  const dst: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const a = node(ev.author[i]);
    if (!isContribution(ev.kind[i])) continue; // reactions, joins and leaves are not replies
    let b = ev.target[i];
    if (b < 0 && ev.parent[i] >= 0) b = itemAuthor[ev.parent[i]];
    if (b < 0) continue;
    const bn = node(b);
    if (bn === a) continue;
    const lo = Math.min(a, bn);
    const hi = Math.max(a, bn);
    const key = lo * nAcc + hi;
    if (seen.has(key)) continue;
    seen.add(key);
    src.push(lo);
    dst.push(hi);
  }
  return { labels, src: Int32Array.from(src), dst: Int32Array.from(dst) };
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** The observed series of a log given as lines (a file's, a test's array, any async source). */
export async function observeLines(lines: AsyncIterable<string> | Iterable<string>, opts: ObserveOptions = {}): Promise<ObservedLog> {
  const source = Symbol.asyncIterator in lines ? lines : (async function* () { yield* lines; })();
  return aggregate(await readEvents(source, opts), opts);
}

/**
 * The reply network as an edge list a scenario can start from (`population.graph.file`): one
 * tie `a b` a line, every account on a line of its own when it has no tie (the file's node count
 * is the starting population). Characters the edge-list reader splits on (blanks, commas, `#`)
 * become `_` in labels.
 */
export function tiesEdgeList(ties: ObservedTies, source: string): string {
  const safe = (s: string) => s.replace(/[\s,#]/g, '_');
  const tied = new Uint8Array(ties.labels.length);
  const lines = [`# reply network observed in ${source.replace(/\n/g, ' ')}: ${ties.labels.length} accounts, ${ties.src.length} ties (undirected)`];
  for (let e = 0; e < ties.src.length; e++) {
    tied[ties.src[e]] = tied[ties.dst[e]] = 1;
    lines.push(`${safe(ties.labels[ties.src[e]])} ${safe(ties.labels[ties.dst[e]])}`);
  }
  for (let i = 0; i < ties.labels.length; i++) if (!tied[i]) lines.push(safe(ties.labels[i]));
  return lines.join('\n') + '\n';
}
