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
    if (!(w > 0)) continue;
    sum += rows[j][key] * w;
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
  const out: Annotation[] = events.map((e) => ({ day: e.day, kind: e.kind, text: e.kind === 'schedule' ? plainChange(e.text) : e.text }));
  const watches: Watch[] = [
    {
      kind: 'toxicity',
      value: (i) => weekMean(rows, i, 'toxicShare', 'posts'),
      fires: (v) => v >= 0.15,
      rearms: (v) => v < 0.1,
      text: (v) => `toxicity passes ${pct(v)} of posts this week`,
    },
    {
      kind: 'silence',
      value: (i) => weekMean(rows, i, 'answeredShare', 'questions'),
      fires: (v) => v < 0.5,
      rearms: (v) => v > 0.6,
      text: (v) => `only ${pct(v)} of questions get an answer this week`,
    },
    {
      kind: 'silence',
      value: (i) => weekMean(rows, i, 'medianResponseHours', 'answered'),
      fires: (v) => v > 24,
      rearms: (v) => v < 12,
      text: (v) => `askers now wait ${Math.round(v)} hours for an answer`,
    },
    {
      kind: 'satisfaction',
      value: (i) => rows[i].meanSatisfaction,
      fires: (v) => v < 0.4,
      rearms: (v) => v > 0.45,
      text: (v) => `mean satisfaction falls to ${pct(v)}`,
    },
  ];
  const armed = watches.map(() => true);
  // The engine may tell flame wars itself; then the series-based guess stays silent.
  const engineFlames = events.some((e) => e.kind === 'flame-war');
  let lastFlame = -Infinity;
  let peak = 0;
  let peakDay = 0;
  let halved = false;
  const weekly: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    // Skip the first week for rates: a handful of posts says nothing yet.
    if (row.day >= 7) {
      watches.forEach((w, k) => {
        const v = w.value(i);
        if (!Number.isFinite(v)) return;
        if (armed[k] && w.fires(v)) {
          out.push({ day: row.day, kind: w.kind, text: w.text(v) });
          armed[k] = false;
        } else if (!armed[k] && w.rearms(v)) armed[k] = true;
      });
      // A flame war: a day far more toxic than the four weeks before it.
      if (!engineFlames && row.posts + row.replies >= 10 && row.toxicShare >= 0.2 && row.day - lastFlame >= 7) {
        let sum = 0;
        let n = 0;
        for (let j = Math.max(0, i - 28); j < i; j++) {
          sum += rows[j].toxicShare * (rows[j].posts + rows[j].replies);
          n += rows[j].posts + rows[j].replies;
        }
        if (n > 0 && row.toxicShare >= 2 * (sum / n)) {
          out.push({ day: row.day, kind: 'flame-war', text: `a flame war: ${pct(row.toxicShare)} of today's posts are toxic` });
          lastFlame = row.day;
        }
      }
    }
    if (row.members > peak) {
      peak = row.members;
      peakDay = row.day;
      halved = false;
    } else if (!halved && peak >= 20 && row.members <= peak / 2) {
      out.push({ day: row.day, kind: 'decline', text: `half the members are gone since the peak of ${peak} on day ${peakDay}` });
      halved = true;
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
      const usual = weekly.reduce((a, b) => a + b, 0) / Math.max(1, weekly.length);
      if (weekly.length >= 2 && left >= Math.max(5, 0.05 * rows[i - 7].members, 1.5 * usual)) out.push({ day: row.day, kind: 'departures', text: `${left} members left this week` });
      if (banned >= 3) out.push({ day: row.day, kind: 'ban-wave', text: `${banned} members banned this week` });
      weekly.push(left);
    }
  }
  return out.sort((a, b) => a.day - b.day);
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
