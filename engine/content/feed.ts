/**
 * Today's content: every post and reply created during the day, as rows of typed arrays that are
 * reused from day to day (no allocation per item). Readers and repliers pick items by attention
 * weight; toxic items draw more attention (MODEL.md finding 4) and a removed item keeps only the
 * share of its audience that saw it before removal.
 */

/** Kind of an item. Thread starters are everything but Reply. */
export const Kind = {
  Discussion: 0,
  Question: 1,
  Rubric: 2,
  Expert: 3,
  Contest: 4,
  Reply: 5,
} as const;

export class Feed {
  count = 0;
  capacity: number;
  author!: Int32Array;
  parent!: Int32Array; // thread starter a reply belongs to, -1 for starters
  kind!: Uint8Array;
  topic!: Uint8Array;
  toxic!: Uint8Array;
  removed!: Uint8Array; // 1 removed as toxic, 2 removed by mistake
  firstPost!: Uint8Array; // the author's first post ever
  visibility!: Float32Array; // share of the would-be audience that can still see it
  quality!: Float32Array; // [0, 1] usefulness to readers
  reads!: Int32Array;
  replies!: Int32Array;
  /** Cumulative attention over items [0, count), rebuilt before reading. */
  cum!: Float64Array;
  /** Cumulative attention over thread starters only, and their item ids. */
  postCum!: Float64Array;
  postIds!: Int32Array;
  posts = 0;
  /** Guide tables over `cum` and `postCum` (see `guide`): where a search for a draw in bucket j may start. */
  private guideAll = new Int32Array(1024);
  private guidePosts = new Int32Array(1024);
  private bucketsAll = 1;
  private bucketsPosts = 1;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.alloc(capacity);
  }

  private alloc(cap: number): void {
    const keep = this.count;
    const old = this.author ? this.save() : null;
    this.author = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.kind = new Uint8Array(cap);
    this.topic = new Uint8Array(cap);
    this.toxic = new Uint8Array(cap);
    this.removed = new Uint8Array(cap);
    this.firstPost = new Uint8Array(cap);
    this.visibility = new Float32Array(cap);
    this.quality = new Float32Array(cap);
    this.reads = new Int32Array(cap);
    this.replies = new Int32Array(cap);
    this.cum = new Float64Array(cap);
    this.postCum = new Float64Array(cap);
    this.postIds = new Int32Array(cap);
    if (old) {
      for (const [k, v] of Object.entries(old)) (this as unknown as Record<string, { set(a: ArrayLike<number>): void }>)[k].set(v);
    }
    this.count = keep;
    this.capacity = cap;
  }

  private save(): Record<string, ArrayLike<number>> {
    const n = this.count;
    return {
      author: this.author.subarray(0, n), parent: this.parent.subarray(0, n), kind: this.kind.subarray(0, n),
      topic: this.topic.subarray(0, n), toxic: this.toxic.subarray(0, n), removed: this.removed.subarray(0, n),
      firstPost: this.firstPost.subarray(0, n), visibility: this.visibility.subarray(0, n), quality: this.quality.subarray(0, n),
      reads: this.reads.subarray(0, n), replies: this.replies.subarray(0, n),
      // the attention tables too: the feed may grow while replies are being picked from them
      cum: this.cum.subarray(0, n), postCum: this.postCum.subarray(0, this.posts), postIds: this.postIds.subarray(0, this.posts),
    };
  }

  /** Empties the feed for a new day. */
  clear(): void {
    this.count = 0;
    this.posts = 0;
  }

  /** Appends an item and returns its id. */
  add(author: number, kind: number, topic: number, toxic: boolean, parent: number, quality: number, firstPost: boolean): number {
    if (this.count === this.capacity) this.alloc(this.capacity * 2);
    const i = this.count++;
    this.author[i] = author;
    this.parent[i] = parent;
    this.kind[i] = kind;
    this.topic[i] = topic;
    this.toxic[i] = toxic ? 1 : 0;
    this.removed[i] = 0;
    this.firstPost[i] = firstPost ? 1 : 0;
    this.visibility[i] = 1;
    this.quality[i] = quality;
    this.reads[i] = 0;
    this.replies[i] = 0;
    return i;
  }

  /**
   * Rebuilds the attention tables: weight = visibility x (toxicAttention if toxic) x (1 + quality).
   * `startersOnly` limits the reply table to items below `upTo` that start threads.
   */
  index(toxicAttention: number): void {
    let acc = 0;
    let pacc = 0;
    let p = 0;
    const { visibility, toxic, quality, kind, cum, postCum, postIds } = this;
    for (let i = 0; i < this.count; i++) {
      const w = visibility[i] * (toxic[i] ? toxicAttention : 1) * (0.5 + quality[i]);
      acc += w;
      cum[i] = acc;
      if (kind[i] !== Kind.Reply) {
        pacc += w;
        postCum[p] = pacc;
        postIds[p] = i;
        p++;
      }
    }
    this.posts = p;
    this.bucketsAll = buckets(this.count);
    if (this.guideAll.length < this.bucketsAll) this.guideAll = new Int32Array(this.bucketsAll);
    guide(cum, this.count, this.guideAll, this.bucketsAll);
    this.bucketsPosts = buckets(p);
    if (this.guidePosts.length < this.bucketsPosts) this.guidePosts = new Int32Array(this.bucketsPosts);
    guide(postCum, p, this.guidePosts, this.bucketsPosts);
  }

  /** An item drawn by attention (u uniform in [0, 1)), or -1 when the feed is empty. */
  pick(u: number): number {
    const n = this.count;
    return n === 0 ? -1 : guidedSearch(this.cum, n, this.guideAll, this.bucketsAll, u);
  }

  /** A thread starter drawn by attention, or -1. */
  pickPost(u: number): number {
    const n = this.posts;
    return n === 0 ? -1 : this.postIds[guidedSearch(this.postCum, n, this.guidePosts, this.bucketsPosts, u)];
  }
}

/** First index i with cum[i] > u * total (n - 1 when none), starting from u's guide bucket. */
function guidedSearch(cum: Float64Array, n: number, guide: Int32Array, buckets: number, u: number): number {
  const x = u * cum[n - 1];
  let i = guide[Math.floor(u * buckets)];
  while (i < n - 1 && cum[i] <= x) i++;
  return i;
}

/** Guide buckets for a table of n entries: a power of two (so u * buckets is exact), about n. */
function buckets(n: number): number {
  let b = 1;
  while (b < n) b *= 2;
  return b;
}

/**
 * A guide table (Chen and Asau 1974) over a cumulative table of n non-negative weights: bucket j
 * holds the first index i with cum[i] > (j / buckets) * total, capped at n - 1. A draw u in
 * [j / buckets, (j + 1) / buckets) then scans forward from there to the first i with
 * cum[i] > u * total, about one step on average instead of a binary search's log2(n) steps.
 * The result is the binary search's exactly: u >= j / buckets and rounded multiplication is
 * monotone, so the bucket's start never lies past the answer, and the scan stops at the answer.
 */
function guide(cum: Float64Array, n: number, out: Int32Array, count: number): void {
  if (n === 0) {
    out[0] = 0;
    return;
  }
  const total = cum[n - 1];
  let i = 0;
  for (let j = 0; j < count; j++) {
    const x = (j / count) * total;
    while (i < n - 1 && cum[i] <= x) i++;
    out[j] = i;
  }
}
