/**
 * The trainer's narrative: short sentences that annotate a run as it unfolds ("day 43: a flame
 * war; 12 members left this week"). They come from the engine's events (schedule changes,
 * shocks, milestones, and flame wars, exoduses and ban waves where the engine tells them) and
 * from turning points read off the daily series: a day far more toxic than the weeks before,
 * toxicity passing a threshold, questions going unanswered, a week of unusual departures, bans.
 *
 * Causal: an annotation for day d depends only on days up to d, so the list only grows as the
 * run streams in. Pure (no DOM).
 */
import type { DailyRow, SimEvent } from '../engine/metrics.js';
import { humanize } from './levers.js';

export interface Annotation {
  day: number;
  kind: SimEvent['kind'] | 'toxicity' | 'silence' | 'satisfaction' | 'departures' | 'decline';
  text: string;
}

/** Mean of `key` over the 7 days ending at index i (fewer at the start). */
function weekMean(rows: readonly DailyRow[], i: number, key: keyof DailyRow, weightKey?: keyof DailyRow): number {
  let sum = 0;
  let n = 0;
  for (let j = Math.max(0, i - 6); j <= i; j++) {
    const w = weightKey ? rows[j][weightKey] : 1;
    const v = rows[j][key];
    if (!(w > 0) || !Number.isFinite(v)) continue; // NaN: undefined that day (no questions, no posts)
    sum += v * w;
    n += w;
  }
  return n > 0 ? sum / n : NaN;
}

/** A threshold crossing with hysteresis, so a noisy series does not chatter. */
interface Watch {
  kind: Annotation['kind'];
  value: (i: number) => number;
  fires: (v: number) => boolean;
  rearms: (v: number) => boolean;
  text: (v: number) => string;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * A schedule event in words: "policies.response.targetHours set to null" becomes
 * "policy change: response target hours switched off". Other texts pass unchanged.
 */
export function plainChange(text: string): string {
  const m = /^(\S+) set to (.+?)( \(live\))?$/.exec(text);
  if (!m) return text;
  const where = m[1].replace(/^policies\./, '').split('.').map((k) => humanize(k).toLowerCase()).join(' ');
  const value = m[2] === 'null' ? 'switched off' : m[2] === 'false' ? 'off' : m[2] === 'true' ? 'on' : `set to ${m[2]}`;
  return `policy change: ${where} ${value}`;
}

/** Every annotation of a run so far, in day order. */
export function narrate(events: readonly SimEvent[], rows: readonly DailyRow[]): Annotation[] {
  const n = new Narrator();
  n.update(events, rows);
  return n.annotations;
}

/**
 * How much a note matters, for keeping it in view: shocks and policy changes first, then what
 * the run did by itself (flame wars, exoduses, thresholds), then routine weekly counts.
 */
export function rank(kind: Annotation['kind']): number {
  if (kind === 'shock' || kind === 'schedule') return 3;
  if (kind === 'departures' || kind === 'ban-wave') return 1;
  return 2;
}

/**
 * The narration of a growing run, kept up to date incrementally: each `update` reads only the
 * rows and events that arrived since the last one (a ten-year run re-narrated from day 0 every
 * frame cost more than the engine). The notes only ever grow, because each depends on the past.
 */
export class Narrator {
  /** Every annotation so far, in day order. */
  readonly annotations: Annotation[] = [];
  /** Same-day annotations joined, in day order, with the rank of their most important part. */
  readonly lines: { day: number; text: string; rank: number }[] = [];
  private rows: readonly DailyRow[] = [];
  private readonly watches: Watch[] = [
    {
      kind: 'toxicity',
      value: (i) => weekMean(this.rows, i, 'toxicShare', 'posts'),
      // a tenth of posts toxic is well above what moderated platforms see (Reddit: 6% highly
      // toxic, Almerekhi et al. 2022), the level the model's moderated forums sit at
      fires: (v) => v >= 0.1,
      rearms: (v) => v < 0.07,
      text: (v) => `toxicity passes ${pct(v)} of posts this week`,
    },
    {
      kind: 'silence',
      value: (i) => weekMean(this.rows, i, 'answeredShare', 'questions'),
      fires: (v) => v < 0.5,
      rearms: (v) => v > 0.6,
      text: (v) => `only ${pct(v)} of questions get an answer this week`,
    },
    {
      kind: 'silence',
      value: (i) => weekMean(this.rows, i, 'medianResponseHours', 'answered'),
      fires: (v) => v > 24,
      rearms: (v) => v < 12,
      text: (v) => `askers now wait ${Math.round(v)} hours for an answer`,
    },
    {
      kind: 'satisfaction',
      value: (i) => this.rows[i].meanSatisfaction,
      fires: (v) => v < 0.4,
      rearms: (v) => v > 0.45,
      text: (v) => `mean satisfaction falls to ${pct(v)}`,
    },
  ];
  private readonly armed = this.watches.map(() => true);
  private rowsRead = 0;
  private eventsRead = 0;
  /** The engine may tell flame wars itself; then the series-based guess stays silent. */
  private engineFlames = false;
  private lastFlame = -Infinity;
  private peak = 0;
  private peakDay = 0;
  private halved = false;
  /** Departures per closed week, summed, and how many weeks. */
  private leftSum = 0;
  private weeks = 0;

  /**
   * Reads what is new in `events` and `rows` (the same growing arrays as before, or longer);
   * returns how many lines were added. A shorter array means a new run: start again.
   */
  update(events: readonly SimEvent[], rows: readonly DailyRow[]): number {
    if (rows.length < this.rowsRead || events.length < this.eventsRead) throw new Error('viz/narrative: a Narrator follows one run; make a new one for a new run');
    this.rows = rows;
    const fresh: Annotation[] = [];
    for (let k = this.eventsRead; k < events.length; k++) {
      const e = events[k];
      if (e.kind === 'flame-war') this.engineFlames = true;
      // A shock added live is logged as a change of the shock list; the shock tells itself when it comes.
      if (e.kind === 'schedule' && e.text.startsWith('shocks set to')) continue;
      fresh.push({ day: e.day, kind: e.kind, text: e.kind === 'schedule' ? plainChange(e.text) : e.text });
    }
    this.eventsRead = events.length;
    for (let i = this.rowsRead; i < rows.length; i++) this.readRow(i, fresh);
    this.rowsRead = rows.length;
    // Stable: the engine's events of a day before the notes read off that day's row.
    fresh.sort((a, b) => a.day - b.day);
    const before = this.lines.length;
    for (const a of fresh) {
      this.annotations.push(a);
      const last = this.lines[this.lines.length - 1];
      if (last && last.day === a.day) {
        // "policy change: a; policy change: b" reads better as "policy change: a; b".
        const repeat = a.text.startsWith('policy change: ') && last.text.includes('policy change: ');
        last.text += `; ${repeat ? a.text.slice('policy change: '.length) : a.text}`;
        last.rank = Math.max(last.rank, rank(a.kind));
      } else this.lines.push({ day: a.day, text: `day ${a.day}: ${a.text}`, rank: rank(a.kind) });
    }
    return this.lines.length - before;
  }

  private readRow(i: number, out: Annotation[]): void {
    const rows = this.rows;
    const row = rows[i];
    // Skip the first week for rates: a handful of posts says nothing yet.
    if (row.day >= 7) {
      this.watches.forEach((w, k) => {
        const v = w.value(i);
        if (!Number.isFinite(v)) return;
        if (this.armed[k] && w.fires(v)) {
          out.push({ day: row.day, kind: w.kind, text: w.text(v) });
          this.armed[k] = false;
        } else if (!this.armed[k] && w.rearms(v)) this.armed[k] = true;
      });
      // A flame war: a day far more toxic than the four weeks before it.
      if (!this.engineFlames && row.posts + row.replies >= 10 && row.toxicShare >= 0.2 && row.day - this.lastFlame >= 7) {
        let sum = 0;
        let n = 0;
        for (let j = Math.max(0, i - 28); j < i; j++) {
          const items = rows[j].posts + rows[j].replies;
          if (!Number.isFinite(rows[j].toxicShare)) continue; // a day with no posts has no share
          sum += rows[j].toxicShare * items;
          n += items;
        }
        if (n > 0 && row.toxicShare >= 2 * (sum / n)) {
          out.push({ day: row.day, kind: 'flame-war', text: `a flame war: ${pct(row.toxicShare)} of today's posts are toxic` });
          this.lastFlame = row.day;
        }
      }
    }
    if (row.members > this.peak) {
      this.peak = row.members;
      this.peakDay = row.day;
      this.halved = false;
    } else if (!this.halved && this.peak >= 20 && row.members <= this.peak / 2) {
      out.push({ day: row.day, kind: 'decline', text: `half the members are gone since the peak of ${this.peak} on day ${this.peakDay}` });
      this.halved = true;
    }
    // At the end of each week: departures when they spike above the usual, and ban waves.
    if (row.day > 0 && row.day % 7 === 0 && i >= 7) {
      let left = 0;
      let banned = 0;
      for (let j = i - 6; j <= i; j++) {
        left += rows[j].churned + rows[j].banned;
        banned += rows[j].banned;
      }
      // Two weeks of history first: the first days of any run shed the members who never settle.
      const usual = this.leftSum / Math.max(1, this.weeks);
      if (this.weeks >= 2 && left >= Math.max(5, 0.05 * rows[i - 7].members, 1.5 * usual)) out.push({ day: row.day, kind: 'departures', text: `${left} members left this week` });
      if (banned >= 3) out.push({ day: row.day, kind: 'ban-wave', text: `${banned} members banned this week` });
      this.leftSum += left;
      this.weeks++;
    }
  }
}

/** Annotations of the same day joined into one line: "day 43: a flame war; 12 members left this week". */
export function narrativeLines(annotations: readonly Annotation[]): { day: number; text: string }[] {
  const lines: { day: number; text: string }[] = [];
  for (const a of annotations) {
    const last = lines[lines.length - 1];
    if (last && last.day === a.day) {
      // "policy change: a; policy change: b" reads better as "policy change: a; b".
      const repeat = a.text.startsWith('policy change: ') && last.text.includes('policy change: ');
      last.text += `; ${repeat ? a.text.slice('policy change: '.length) : a.text}`;
    }
    else lines.push({ day: a.day, text: `day ${a.day}: ${a.text}` });
  }
  return lines;
}
