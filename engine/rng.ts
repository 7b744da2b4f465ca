/**
 * Random streams. Every mechanism draws from its own stream, derived from the run seed and the
 * mechanism's name, so adding a policy does not reshuffle the draws of every other mechanism
 * (STYLE.md example 2). Never the global, unseeded random source.
 *
 * Streams are seeded by seedrandom (ARC4 keyed by "seed/name") and then run sfc32, a small
 * counter-based generator with 128 bits of state: seedrandom's ARC4 costs about nine times as
 * much per draw (bench/rng.bench.ts), and the tick draws several numbers per member per day.
 * The state lives in an Int32Array so snapshots copy it and a resumed run continues bit for bit.
 */
import seedrandom from 'seedrandom';
import { cos, exp, log } from './numeric.js';

export class Stream {
  /** sfc32 state a, b, c, counter. */
  readonly state: Int32Array;

  constructor(state: Int32Array) {
    this.state = state;
  }

  /** A new stream for `name` under `seed`. */
  static derive(seed: number, name: string): Stream {
    const arc4 = seedrandom(`${seed >>> 0}/${name}`);
    const s = new Int32Array(4);
    for (let i = 0; i < 4; i++) s[i] = arc4.int32();
    const stream = new Stream(s);
    for (let i = 0; i < 12; i++) stream.next(); // mix the seed through before first use
    return stream;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    const s = this.state;
    let a = s[0], b = s[1], c = s[2], d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    s[0] = a; s[1] = b; s[2] = c; s[3] = d;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, one value per two uniforms: simple and deterministic). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * log(u)) * cos(2 * Math.PI * v);
  }

  /** Poisson with mean `lambda` (inversion for small means, normal approximation above 60). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Binomial(n, p): exact for small n, normal approximation for large n*p*(1-p). */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const v = n * p * (1 - p);
    if (v > 30) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(v) * this.normal())));
    if (n < 40) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) k++;
      return k;
    }
    return Math.min(n, this.poisson(n * p));
  }
}

/** The named streams of one run. */
export class Streams {
  private readonly byName = new Map<string, Stream>();
  constructor(readonly seed: number) {}

  /** The stream of a mechanism, created on first use. */
  get(name: string): Stream {
    let s = this.byName.get(name);
    if (!s) {
      s = Stream.derive(this.seed, name);
      this.byName.set(name, s);
    }
    return s;
  }

  /** Copies of every stream's state, for snapshots. */
  save(): Record<string, Int32Array> {
    const out: Record<string, Int32Array> = {};
    for (const [k, s] of this.byName) out[k] = s.state.slice();
    return out;
  }

  static restore(seed: number, saved: Record<string, Int32Array>): Streams {
    const st = new Streams(seed);
    for (const [k, v] of Object.entries(saved)) st.byName.set(k, new Stream(Int32Array.from(v)));
    return st;
  }
}

/**
 * The seed of replication `rep` of a batch with base seed `base`: a hash of both, so
 * replications never share a seed with another batch's replications by accident (Mesa's
 * seed + rep pattern makes base 1 rep 1 equal base 2 rep 0).
 */
export function deriveSeed(base: number, rep: number): number {
  const arc4 = seedrandom(`replication/${base >>> 0}/${rep >>> 0}`);
  return arc4.int32() >>> 0;
}
