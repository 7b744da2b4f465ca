/**
 * Members as struct-of-arrays (STYLE.md example 3): one typed array per trait or state variable,
 * indexed by member id, growing by doubling as members join. Ids are never reused; a member who
 * leaves keeps its row with stage Churned or Banned, so histories (tenure, contributions) stay
 * readable for the summary. No object per member, no allocation per member per tick.
 *
 * Traits (drawn at join, fixed) and daily state follow MODEL.md "Entities".
 */
import { GrowthLimitError } from '../cost.js';

/** Life stage of a member (MODEL.md step 7). Order matters: Churned and above are gone. */
export const Stage = {
  Newcomer: 0,
  Regular: 1,
  Core: 2,
  Advocate: 3,
  Churned: 4,
  Banned: 5,
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
export const STAGE_NAMES = ['newcomer', 'regular', 'core', 'advocate', 'churned', 'banned'] as const;

export const Archetype = {
  Lurker: 0,
  Contributor: 1,
  Expert: 2,
  Troll: 3,
} as const;
export type Archetype = (typeof Archetype)[keyof typeof Archetype];
export const ARCHETYPE_NAMES = ['lurker', 'contributor', 'expert', 'troll'] as const;

/** How a member came: initial population, organic, referral, bought (ads), raid, viral wave, contest, event. */
export const Channel = {
  Initial: 0,
  Organic: 1,
  Referral: 2,
  Ads: 3,
  Raid: 4,
  Viral: 5,
  Contest: 6,
} as const;

/**
 * "No day" in day fields (no open question, never posted, never muted...). Days can be negative:
 * the burn-in before day 0 (engine/agents/burn-in.ts) runs on days -burnInDays + 1 to 0.
 */
export const NO_DAY = -0x7fffffff;

/** Bits of `firstPost`. */
export const FirstPost = {
  Posted: 1,
  Replied: 2,
  PostedAgain: 4,
} as const;

const FIELDS = {
  // traits
  archetype: Uint8Array,
  channel: Uint8Array,
  visitBase: Float32Array, // log-odds of visiting on an ordinary day
  activity: Float32Array, // heavy-tailed multiplier of posting and replying
  toxicity: Float32Array, // log-odds of a toxic act in a calm thread and neutral mood
  expertise: Float32Array, // [0, 1]
  interests: Uint32Array, // bit mask of topics
  alignment: Float32Array, // [0, 1] alignment with the community's values
  sensitivity: Float32Array, // [0, 1] how much toxicity seen hurts
  // daily state
  satisfaction: Float32Array, // [0, 1], the seeds' "green light in the head"
  identity: Float32Array, // [0, 1] identity with the community
  leader: Float32Array, // [0, 1] attachment to the leader
  bonds: Float32Array, // sum of tie weights to current members
  pull: Float32Array, // tie-weighted activity of friends today (tomorrow's social pull)
  tieToxic: Float32Array, // tie-weighted visible toxic acts of friends today
  habit: Float32Array, // [0, 1] moving average of visiting
  exposure: Float32Array, // [0, 1] moving average of the toxic share of what the member read
  delta: Float32Array, // satisfaction change accumulated today, applied in the satisfaction phase
  joinDay: Int32Array,
  lastVisit: Int32Array,
  lastContrib: Int32Array,
  firstContrib: Int32Array, // day of the first post or reply ever (NO_DAY until then)
  lapsed: Uint8Array, // 1 after deciding to stop coming (still a member, on the rolls, until dormancy)
  stage: Uint8Array,
  strikes: Uint8Array,
  mutedUntil: Int32Array,
  contribs: Int32Array, // posts + replies over the member's life
  questionDay: Int32Array, // day the open question was asked, NO_DAY when none
  questionAt: Float64Array, // when it was asked, in hours since the start of day 0
  answerAt: Float64Array, // earliest answer a member wrote to it today (hours since day 0), Infinity when none
  firstPostDay: Int32Array, // NO_DAY until the first post
  firstPost: Uint8Array, // FirstPost bits
  toxicTargeted: Int32Array, // first day a toxic reply targeted the member, NO_DAY when never
  expert: Uint8Array, // 1 when invited as an expert and accepted
  visited: Uint8Array, // visited today
  toxicToday: Uint8Array, // authored a visible toxic item today
  present: Uint8Array, // 1 while a member (stage below Churned): lets tie loops weigh without branches
  customer: Uint8Array, // 1 when the member is the brand's customer (engine/agents/business.ts)
} as const;

type FieldName = keyof typeof FIELDS;
type FieldArrays = { [K in FieldName]: InstanceType<(typeof FIELDS)[K]> };

export interface Members extends FieldArrays {}

export class Members {
  /** Rows in use (members ever joined). */
  count = 0;
  capacity: number;
  /**
   * Ids of the present members, ascending, in `roster[0..rosterSize)`: the per-member passes walk
   * these instead of every row ever used (most rows of a long run belong to members who left).
   * A member who leaves stays listed until the next `compact`, so a pass still checks `present`;
   * ascending order keeps every pass's random draws in the order of a walk over all rows.
   */
  roster: Int32Array;
  rosterSize = 0;

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.roster = new Int32Array(this.capacity);
    for (const [name, Ctor] of Object.entries(FIELDS)) {
      (this as unknown as Record<string, unknown>)[name] = new Ctor(this.capacity);
    }
  }

  /** Rows this run may use (SimulationOptions.maxMembers): `add` past it throws a GrowthLimitError. */
  limit = Infinity;

  /** Makes room for `n` more rows (amortised doubling), then returns the first new id. */
  add(n: number): number {
    const need = this.count + n;
    if (need > this.limit) throw new GrowthLimitError(this.limit, 0, this.rosterSize);
    if (need > this.capacity) {
      let cap = this.capacity;
      while (cap < need) cap *= 2;
      // doubling stops at the limit: a run near it holds no more than the limit allows
      cap = Math.min(cap, Math.max(need, this.limit));
      for (const [name, Ctor] of Object.entries(FIELDS)) {
        const old = (this as unknown as Record<string, ArrayLike<number> & { buffer: ArrayBuffer }>)[name];
        const next = new Ctor(cap);
        next.set(old as never);
        (this as unknown as Record<string, unknown>)[name] = next;
      }
      const roster = new Int32Array(cap);
      roster.set(this.roster);
      this.roster = roster;
      this.capacity = cap;
    }
    const first = this.count;
    this.count = need;
    return first;
  }

  /** Lists member `id`, the newest row (ids only grow, so the roster stays ascending; it has a place for every row). */
  enlist(id: number): void {
    this.roster[this.rosterSize++] = id;
  }

  /** Drops the members who left from the roster, keeping its order. */
  compact(): void {
    this.rosterSize = keepPresent(this.roster, this.rosterSize, this.present);
  }

  /** A copy holding rows `rows` (a row may repeat: a copy of the member), as ids 0, 1, ... in that order. */
  select(rows: Int32Array): Members {
    const n = rows.length;
    const out = new Members(Math.max(1024, Math.ceil(n * 1.25)));
    out.add(n);
    for (const name of Object.keys(FIELDS)) {
      const from = (this as unknown as Record<string, Float64Array>)[name];
      const to = (out as unknown as Record<string, Float64Array>)[name];
      for (let k = 0; k < n; k++) to[k] = from[rows[k]];
    }
    for (let k = 0; k < n; k++) out.enlist(k);
    out.limit = this.limit;
    return out;
  }

  /** Copies of the used rows of every field (for snapshots). */
  save(): { count: number; fields: Record<string, ArrayBufferView> } {
    const fields: Record<string, ArrayBufferView> = {};
    for (const name of Object.keys(FIELDS)) {
      fields[name] = (this as unknown as Record<string, Float32Array>)[name].slice(0, this.count);
    }
    return { count: this.count, fields };
  }

  static restore(saved: { count: number; fields: Record<string, ArrayBufferView> }): Members {
    const m = new Members(Math.max(1024, saved.count * 2));
    m.add(saved.count);
    for (const name of Object.keys(FIELDS)) {
      (m as unknown as Record<string, Float32Array>)[name].set(saved.fields[name] as Float32Array);
    }
    for (let i = 0; i < m.count; i++) if (m.present[i]) m.enlist(i);
    return m;
  }

  /** Bytes held per member row (all fields). */
  static bytesPerMember(): number {
    let b = 0;
    for (const Ctor of Object.values(FIELDS)) b += Ctor.BYTES_PER_ELEMENT;
    return b;
  }
}

/**
 * Moves the present ids of `roster[0..size)` to its front, in order, and returns their number.
 * (A loop in a function of its own that ends in a plain return: V8's on-stack-replaced code of a
 * loop followed by a property store never seen before deoptimised on every call.)
 */
function keepPresent(roster: Int32Array, size: number, present: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < size; k++) {
    const i = roster[k];
    if (present[i]) roster[n++] = i;
  }
  return n;
}
