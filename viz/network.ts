/**
 * The network view: members on a canvas, coloured by stage (troll-prone members in vermillion),
 * sized by activity, ties as faint lines. Toxic acts flash a purple ring, removals a black one;
 * members who leave fade out. A large community is drawn as a neighbourhood sample grown from
 * its best-connected members (or a random one), with a note saying how many are drawn; or as
 * its Louvain communities, one pie of stages per community, area by members, any of which opens
 * to its own members (viz/network-sample.ts chooses, in the engine's worker). Up to 1,500 drawn
 * members move under a d3-force layout; more are laid out around their community's centre (a
 * force layout of thousands of nodes takes the page hundreds of ms a tick), so 10,000 drawn
 * members stay smooth. Hover (or arrow keys on the focused canvas) shows a member's or a
 * community's card; wheel, drag and + / − / 0 zoom and pan.
 */
import * as d3 from 'd3';
import { Archetype, Stage } from '../engine/agents/members.js';
import type { MemberView } from '../engine/simulation.js';
import { memberAt, type CommunityNode, type NetworkPicture, type NetworkRequest } from './network-sample.js';
import { STAGE_COLORS, STAGE_LABELS, TOXIC_FLASH, TROLL_COLOR } from './palette.js';

/** Past this many drawn members, members are placed around their community instead of by forces. */
const FORCE_LIMIT = 1500;
/** Spacing of members within a community's disc (layout units). */
const SPACING = 4;
/** How many members the view may draw (the page's choice). */
const DRAWN = [300, 1000, 3000, 10000];
const GOLDEN = Math.PI * (3 - Math.sqrt(5));

const ARCHETYPES = ['lurker', 'contributor', 'expert-potential', 'troll-prone'];

/** Filters of the members drawn in full (value, label). */
const FILTERS: [string, string][] = [
  ['all', 'all members'],
  ['newcomer', 'newcomers'],
  ['regular', 'regulars'],
  ['core', 'core and advocates'],
  ['troll', 'troll-prone'],
  ['expert', 'invited experts'],
];

function filterOf(value: string): (n: Node) => boolean {
  if (value === 'newcomer') return (n) => n.m.stage === Stage.Newcomer;
  if (value === 'regular') return (n) => n.m.stage === Stage.Regular;
  if (value === 'core') return (n) => n.m.stage === Stage.Core || n.m.stage === Stage.Advocate;
  if (value === 'troll') return (n) => n.m.archetype === Archetype.Troll;
  if (value === 'expert') return (n) => n.m.expert;
  return () => true;
}

interface Node extends d3.SimulationNodeDatum {
  /** A member's id, or -(label + 2) for a community. */
  id: number;
  m: MemberView;
  /** The community this node stands for (communities mode). */
  c?: CommunityNode;
  /** Where the community layout puts the member (large samples). */
  tx?: number;
  ty?: number;
  /** 1 while present, falling to 0 once gone. */
  fade: number;
  gone: boolean;
  /** Flash strength of a toxic act (purple) or removal (black). */
  toxic: number;
  removed: number;
}

type Link = d3.SimulationLinkDatum<Node> & { weight: number };

/** A placeholder member for a community node (the member fields are not read for it). */
const NO_MEMBER: MemberView = { id: -1, stage: 0, archetype: 0, activity: 0, satisfaction: 0, tenure: 0, contribs: 0, toxicToday: false, removedToday: false, expert: false, alignment: 0, sensitivity: 0, expertise: 0, identity: 0 };

export interface NetworkOptions {
  /**
   * The page's choice of what to draw, sent to the engine's worker; without it the view draws
   * what it is given and offers no choice (the trainer's panels).
   */
  request?: (r: NetworkRequest) => void;
  /** Members drawn at first. */
  maxMembers?: number;
}

export class NetworkView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly card: HTMLElement;
  private readonly note: HTMLElement;
  private readonly nodes = new Map<number, Node>();
  private links: Link[] = [];
  private readonly sim: d3.Simulation<Node, Link>;
  private radius = d3.scaleSqrt().domain([0, 3]).range([2, 8]).clamp(true);
  private frame = 0;
  private dirty = true;
  private visible = true;
  private hovered: Node | null = null;
  private width = 400;
  private readonly height: number;
  /** Frames a second at most (the live view lowers it while it draws sparsely at full speed). */
  fps = 30;
  /**
   * Painted once per picture rather than per frame (the live view's run at full speed, drawing
   * sparsely): the layout's ticks, the flashes' and the departures' fading that the frames in
   * between would have shown are applied at once when a picture comes, then it is painted. At
   * 10,000 members a frame painted 5 times a second cost the page more than the picture's
   * update (a canvas resource and a compositor frame each), for a picture that changes about
   * once a second.
   */
  sparse = false;
  private updatedAt = -Infinity;
  /** The day of the picture last taken, shown on the canvas as `data-painted-day` once painted (for tests). */
  private pictureDay = 0;
  /** The user's zoom and pan, on top of the zoom that fits every member in. */
  private view = d3.zoomIdentity;
  /** Which members are drawn in full; the others stay as faint context. */
  private show: (n: Node) => boolean = () => true;
  /** What is drawn: members (by forces, or around their communities when many) or communities. */
  private mode: 'force' | 'anchored' | 'communities' = 'force';
  /** The communities' centres in the anchored layout, kept between updates so discs stay put. */
  private readonly centres = new Map<number, { x: number; y: number }>();
  private request: NetworkRequest;
  /** The anchored layout's ties between communities, summed per pair. */
  private bundles: { a: number; b: number; weight: number }[] = [];
  private readonly back: HTMLButtonElement;
  private readonly drawSelect: HTMLSelectElement;

  constructor(parent: HTMLElement, height = 380, private readonly options: NetworkOptions = {}) {
    this.height = height;
    this.request = { mode: 'members', how: 'neighbourhood', maxMembers: options.maxMembers ?? 300, focus: null };
    this.root = document.createElement('figure');
    this.root.className = 'network';
    const caption = document.createElement('figcaption');
    caption.innerHTML = '<span class="chart-title">Network</span>';
    this.note = document.createElement('span');
    this.note.className = 'sample-note';
    this.note.dataset.testid = 'sample-note';
    caption.append(this.note);
    this.canvas = document.createElement('canvas');
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Network of members; hover or use the arrow keys to read a member card');
    this.card = document.createElement('div');
    this.card.className = 'member-card';
    this.card.hidden = true;
    const legend = document.createElement('div');
    legend.className = 'legend';
    const entries: [string, string][] = STAGE_LABELS.slice(0, 5).map((l, i) => [l, STAGE_COLORS[i]]);
    entries.push(['troll-prone', TROLL_COLOR], ['toxic act', TOXIC_FLASH], ['removed post', '#000']);
    for (const [label, color] of entries) {
      const s = document.createElement('span');
      s.innerHTML = `<i style="${label === 'toxic act' || label === 'removed post' ? `border:2px solid ${color}` : `background:${color}`}"></i>${label}`;
      legend.append(s);
    }
    const sizeNote = Object.assign(document.createElement('span'), { textContent: 'size: activity · wheel or +/− zoom, drag pans' });
    legend.append(sizeNote);
    // What to draw, how many, and filter and zoom reset, in the caption.
    this.drawSelect = document.createElement('select');
    this.drawSelect.className = 'network-draw';
    this.drawSelect.dataset.testid = 'network-draw';
    this.drawSelect.setAttribute('aria-label', 'What the network draws');
    this.drawSelect.append(new Option('members: neighbourhood sample', 'neighbourhood'), new Option('members: random sample', 'random'), new Option('communities', 'communities'));
    const many = document.createElement('select');
    many.className = 'network-many';
    many.dataset.testid = 'network-many';
    many.setAttribute('aria-label', 'Most members drawn');
    for (const n of DRAWN) many.append(new Option(`up to ${n.toLocaleString('en')}`, String(n)));
    if (!DRAWN.includes(this.request.maxMembers)) many.prepend(new Option(`up to ${this.request.maxMembers}`, String(this.request.maxMembers)));
    many.value = String(this.request.maxMembers);
    this.back = document.createElement('button');
    this.back.type = 'button';
    this.back.className = 'small';
    this.back.textContent = 'All communities';
    this.back.dataset.testid = 'network-back';
    this.back.hidden = true;
    const ask = (patch: Partial<NetworkRequest>) => {
      this.request = { ...this.request, ...patch };
      options.request?.(this.request);
    };
    this.drawSelect.addEventListener('change', () => {
      const v = this.drawSelect.value;
      ask(v === 'communities' ? { mode: 'communities', focus: null } : { mode: 'members', how: v as 'neighbourhood' | 'random', focus: null });
    });
    many.addEventListener('change', () => ask({ maxMembers: Number(many.value) }));
    this.back.addEventListener('click', () => {
      this.drawSelect.value = 'communities';
      ask({ mode: 'communities', focus: null });
    });
    const filter = document.createElement('select');
    filter.className = 'network-filter';
    filter.dataset.testid = 'network-filter';
    filter.setAttribute('aria-label', 'Members drawn in full');
    for (const [value, label] of FILTERS) filter.append(new Option(label, value));
    filter.addEventListener('change', () => {
      this.show = filterOf(filter.value);
      this.dirty = true;
    });
    const reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'small';
    reset.textContent = 'Fit';
    reset.title = 'Zoom to fit every member';
    reset.addEventListener('click', () => this.zoomTo(d3.zoomIdentity));
    if (options.request) caption.append(this.drawSelect, many, this.back);
    caption.append(filter, reset);
    const stage = document.createElement('div');
    stage.className = 'network-stage';
    stage.append(this.canvas, this.card);
    this.root.append(caption, stage, legend);
    parent.append(this.root);

    this.sim = d3
      .forceSimulation<Node, Link>([])
      .force('charge', d3.forceManyBody<Node>().strength(-14).theta(0.95).distanceMax(160))
      .force('link', d3.forceLink<Node, Link>([]).distance(22).strength((l) => Math.min(0.4, 0.05 + 0.1 * l.weight)))
      .force('x', d3.forceX<Node>(0).strength(0.06))
      .force('y', d3.forceY<Node>(0).strength(0.08))
      .alphaDecay(0.03)
      .stop();

    // Nothing to draw while the view is off screen (another tab, scrolled away).
    new IntersectionObserver((entries) => {
      this.visible = entries[0].isIntersecting;
      this.dirty = true;
    }).observe(this.canvas);
    this.zoomer = d3.zoom<HTMLCanvasElement, unknown>().scaleExtent([0.5, 40]).on('zoom', (e: d3.D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      this.view = e.transform;
      this.canvas.dataset.zoom = e.transform.k.toFixed(2);
      this.dirty = true;
    });
    d3.select(this.canvas).call(this.zoomer).on('dblclick.zoom', null);
    this.canvas.dataset.zoom = '1.00';
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => this.showCard(null));
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.canvas.addEventListener('blur', () => this.showCard(null));
    // A click on a community opens it: its own members, drawn as a neighbourhood sample.
    this.canvas.addEventListener('click', (e) => {
      this.hover(e);
      if (this.hovered?.c) this.open(this.hovered.c);
    });
    // About 30 frames a second is smooth enough and halves the main thread's share. The next
    // frame is asked for when it is due, not at every screen refresh: a frame requested is a
    // frame the page and the compositor make, drawn or not (60 a second cost more than the
    // drawing while a run plays at full speed).
    const loop = () => {
      const started = performance.now();
      this.draw();
      this.timer = setTimeout(next, Math.max(0, 1000 / this.fps - (performance.now() - started) - 4));
    };
    // Off screen, or drawn sparsely with no new picture, no animation frame is asked for.
    const next = () => {
      if (!this.visible || (this.sparse && !this.dirty)) this.timer = setTimeout(next, 1000 / this.fps);
      else this.frame = requestAnimationFrame(loop);
    };
    this.frame = requestAnimationFrame(loop);
  }

  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly zoomer: d3.ZoomBehavior<HTMLCanvasElement, unknown>;

  private zoomTo(t: d3.ZoomTransform): void {
    d3.select(this.canvas).call(this.zoomer.transform, t);
  }

  /** Opens a community: its members, drawn as a neighbourhood sample. */
  private open(c: CommunityNode): void {
    if (!this.options.request) return;
    this.request = { ...this.request, mode: 'members', how: 'neighbourhood', focus: c.id };
    this.drawSelect.value = 'neighbourhood';
    this.options.request(this.request);
  }

  /** Takes the latest picture from the engine's worker. */
  update(view: NetworkPicture): void {
    const t0 = performance.now();
    // The frames since the last picture, at the view's rate (at most two seconds' worth).
    const frames = this.sparse ? Math.max(1, Math.min(2 * this.fps, Math.round(((t0 - this.updatedAt) / 1000) * this.fps))) : 0;
    this.updatedAt = t0;
    this.pictureDay = view.day;
    if (frames) this.fadeFor(frames);
    const mode = view.mode === 'communities' ? 'communities' : view.members.id.length > FORCE_LIMIT && view.communityOf ? 'anchored' : 'force';
    if (mode !== this.mode) {
      // Another kind of picture: start afresh rather than morph members into communities.
      this.nodes.clear();
      this.centres.clear();
      this.mode = mode;
      this.zoomTo(d3.zoomIdentity);
    }
    this.back.hidden = view.focus == null;
    if (view.mode === 'communities') this.updateCommunities(view);
    else this.updateMembers(view);
    this.canvas.dataset.mode = mode;
    this.canvas.dataset.drawn = String(mode === 'communities' ? view.communities?.length ?? 0 : view.members.id.length);
    if (frames) this.moveFor(frames);
    this.dirty = true;
    // The longest update and drawing so far, for tests and benchmarks of the view's cost.
    this.canvas.dataset.updateMs = String(Math.max(Number(this.canvas.dataset.updateMs ?? 0), performance.now() - t0));
  }

  private updateMembers(view: NetworkPicture): void {
    const seen = new Set<number>();
    let added = 0;
    const ordered: Node[] = [];
    let maxActivity = 0;
    const p = view.members;
    const count = p.id.length;
    for (let i = 0; i < count; i++) {
      const id = p.id[i];
      seen.add(id);
      if (p.activity[i] > maxActivity) maxActivity = p.activity[i];
      let n = this.nodes.get(id);
      if (!n) {
        const spread = 40 + Math.sqrt(count) * 6;
        n = { id, m: { ...NO_MEMBER }, fade: 1, gone: false, toxic: 0, removed: 0, x: (Math.random() - 0.5) * spread, y: (Math.random() - 0.5) * spread };
        this.nodes.set(id, n);
        added++;
      }
      const m = memberAt(p, i, n.m);
      n.gone = m.stage >= Stage.Churned;
      if (m.toxicToday) n.toxic = 1;
      if (m.removedToday) n.removed = 1;
      ordered.push(n);
    }
    for (const n of this.nodes.values()) if (!seen.has(n.id)) n.gone = true;
    this.radius.domain([0, Math.max(1, maxActivity)]).range(this.mode === 'anchored' ? [1.2, 4] : [2, 8]);
    const { source, target, weight } = view.links;
    this.links = Array.from(source, (a, e) => ({ source: ordered[a], target: ordered[target[e]], weight: weight[e] }));
    if (this.mode === 'anchored') {
      this.sim.nodes([]);
      (this.sim.force('link') as d3.ForceLink<Node, Link>).links([]);
      this.anchor(ordered, view.communityOf!);
      // Ties between communities bundled into one line per pair (thousands of single ties
      // between discs grey the picture out and cost the most to draw); single ties when zoomed in.
      const c = view.communityOf!;
      const pairs = new Map<string, { a: number; b: number; weight: number }>();
      for (let e = 0; e < source.length; e++) {
        const a = c[source[e]];
        const b = c[target[e]];
        if (a === b) continue;
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        const pair = pairs.get(key);
        if (pair) pair.weight += weight[e];
        else pairs.set(key, { a: Math.min(a, b), b: Math.max(a, b), weight: weight[e] });
      }
      this.bundles = [...pairs.values()];
    } else {
      // Newcomers start next to the first member they are tied to.
      for (const l of this.links) {
        const s = l.source as Node;
        const t = l.target as Node;
        if (t.fade === 1 && t.vx === undefined && s.x !== undefined) {
          t.x = s.x + (Math.random() - 0.5) * 10;
          t.y = (s.y ?? 0) + (Math.random() - 0.5) * 10;
        }
      }
      this.sim.force('collide', null);
      this.sim.nodes([...this.nodes.values()]);
      (this.sim.force('link') as d3.ForceLink<Node, Link>).links(this.links);
      this.sim.alpha(Math.max(this.sim.alpha(), added > 0 ? 0.35 : 0.12));
    }
    const drawn = count;
    const pool = view.focus != null ? `community ${view.focus + 1}` : `${view.total.toLocaleString('en')} members`;
    this.note.textContent =
      view.how === 'all' || drawn >= view.total
        ? view.focus != null ? `${pool}: all ${drawn.toLocaleString('en')} members` : pool
        : `drawing a ${view.how === 'random' ? 'random' : 'neighbourhood'} sample of ${drawn.toLocaleString('en')} of ${pool}`;
  }

  /**
   * The layout of many members: each community a disc (members by id on a sunflower spiral, so
   * a newcomer joins the rim and nobody else moves), discs packed by a small force layout of the
   * communities that keeps their old places. Members glide to their places as frames are drawn.
   */
  private anchor(nodes: Node[], communityOf: Int32Array): void {
    const groups = new Map<number, Node[]>();
    nodes.forEach((n, i) => {
      const c = communityOf[i];
      let g = groups.get(c);
      if (!g) groups.set(c, (g = []));
      g.push(n);
    });
    type Disc = d3.SimulationNodeDatum & { id: number; r: number };
    const discs: Disc[] = [...groups].map(([id, g]) => {
      const old = this.centres.get(id);
      const r = SPACING * Math.sqrt(g.length + 1);
      return { id, r, x: old?.x ?? (Math.random() - 0.5) * 50, y: old?.y ?? (Math.random() - 0.5) * 50 };
    });
    const fresh = discs.some((d) => !this.centres.has(d.id));
    d3.forceSimulation(discs)
      .force('collide', d3.forceCollide<Disc>((d) => d.r + 6).iterations(2))
      .force('x', d3.forceX<Disc>(0).strength(0.05))
      .force('y', d3.forceY<Disc>(0).strength(0.05))
      .stop()
      .tick(fresh ? 200 : 20);
    this.centres.clear();
    for (const d of discs) {
      this.centres.set(d.id, { x: d.x!, y: d.y! });
      const members = groups.get(d.id)!.sort((a, b) => a.id - b.id);
      members.forEach((n, k) => {
        const r = SPACING * Math.sqrt(k + 0.5);
        n.tx = d.x! + r * Math.cos(k * GOLDEN);
        n.ty = d.y! + r * Math.sin(k * GOLDEN);
        // A member seen for the first time starts in its place.
        if (n.vx === undefined) {
          n.x = n.tx;
          n.y = n.ty;
          n.vx = 0;
        }
      });
    }
  }

  private updateCommunities(view: NetworkPicture): void {
    const list = view.communities ?? [];
    const seen = new Set<number>();
    const ordered: Node[] = [];
    for (const c of list) {
      const id = -(c.id + 2);
      seen.add(id);
      let n = this.nodes.get(id);
      if (!n) {
        n = { id, m: NO_MEMBER, fade: 1, gone: false, toxic: 0, removed: 0, x: (Math.random() - 0.5) * 100, y: (Math.random() - 0.5) * 100 };
        this.nodes.set(id, n);
      }
      n.c = c;
      n.gone = false;
      ordered.push(n);
    }
    for (const n of this.nodes.values()) if (!seen.has(n.id)) n.gone = true;
    const top = Math.max(1, ...(view.communityLinks ?? []).map((l) => l.weight));
    this.links = (view.communityLinks ?? []).map((l) => ({ source: ordered[l.source], target: ordered[l.target], weight: (5 * l.weight) / top }));
    this.sim.nodes([...this.nodes.values()]);
    (this.sim.force('link') as d3.ForceLink<Node, Link>).links(this.links);
    this.sim.force('collide', d3.forceCollide<Node>((n) => this.communityRadius(n) + 4));
    this.sim.alpha(Math.max(this.sim.alpha(), 0.2));
    const big = list.filter((c) => c.id >= 0).length;
    const pooled = list.find((c) => c.id < 0)?.size ?? 0;
    this.note.textContent = `${view.total.toLocaleString('en')} members in ${big} communities${pooled ? ` and ${pooled.toLocaleString('en')} in small groups or without ties` : ''} · click one to open it`;
  }

  /** A community's radius in layout units: area by members. */
  private communityRadius(n: Node): number {
    return 1.2 * Math.sqrt(n.c?.size ?? 1) + 3;
  }

  /** `frames` frames' fading of flashes and of members gone; whether anything was still fading. */
  private fadeFor(frames: number): boolean {
    let animating = false;
    for (const [id, n] of this.nodes) {
      if (n.toxic > 0 || n.removed > 0) animating = true;
      n.toxic = Math.max(0, n.toxic - 0.06 * frames);
      n.removed = Math.max(0, n.removed - 0.06 * frames);
      if (n.gone) {
        n.fade -= 0.04 * frames;
        animating = true;
        if (n.fade <= 0) this.nodes.delete(id);
      }
    }
    return animating;
  }

  /** `frames` frames of the layout: force ticks, or members gliding to their places; whether anything moved. */
  private moveFor(frames: number): boolean {
    let moving = false;
    if (this.mode !== 'anchored') {
      for (let i = 0; i < frames && this.sim.alpha() > this.sim.alphaMin(); i++) {
        this.sim.tick();
        moving = true;
      }
      return moving;
    }
    const keep = 0.75 ** frames;
    for (const n of this.nodes.values()) {
      if (n.tx === undefined) continue;
      const dx = n.tx - n.x!;
      const dy = n.ty! - n.y!;
      if (dx * dx + dy * dy > 0.01) {
        n.x! += dx * (1 - keep);
        n.y! += dy * (1 - keep);
        moving = true;
      }
    }
    return moving;
  }

  private draw(): void {
    if (!this.visible) return;
    // Drawn sparsely, a frame is painted only when a picture came (update did its frames' work).
    let animating = false;
    if (!this.sparse) {
      const moved = this.moveFor(1);
      animating = this.fadeFor(1) || moved;
    }
    if (!animating && !this.dirty) return;
    this.dirty = false;
    const t0 = performance.now();
    this.paint();
    this.canvas.dataset.drawMs = String(Math.max(Number(this.canvas.dataset.drawMs ?? 0), performance.now() - t0));
  }

  private paint(): void {
    if (this.canvas.dataset.paintedDay !== String(this.pictureDay)) this.canvas.dataset.paintedDay = String(this.pictureDay);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, this.canvas.parentElement?.clientWidth ?? this.width);
    if (w !== this.width || this.canvas.width !== Math.round(w * dpr)) {
      this.width = w;
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(this.height * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${this.height}px`;
    }
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, this.height);
    ctx.translate(this.view.x, this.view.y);
    ctx.scale(this.view.k, this.view.k);
    ctx.translate(w / 2, this.height / 2);
    const fit = this.scale();
    ctx.scale(fit, fit);
    // Line widths and rings stay the same on screen at any zoom.
    const k = fit * this.view.k;
    if (this.mode === 'communities') {
      this.drawCommunities(ctx, k);
      return;
    }
    if (this.mode === 'anchored' && this.view.k < 3) {
      const top = Math.max(1e-9, ...this.bundles.map((b) => b.weight));
      ctx.strokeStyle = 'rgba(80, 80, 80, 0.3)';
      for (const b of this.bundles) {
        const from = this.centres.get(b.a);
        const to = this.centres.get(b.b);
        if (!from || !to) continue;
        ctx.lineWidth = (0.3 + 4 * Math.sqrt(b.weight / top)) / k;
        ctx.beginPath();
        ctx.moveTo(from.x, from.y);
        ctx.lineTo(to.x, to.y);
        ctx.stroke();
      }
    } else {
      ctx.lineWidth = 0.6 / k;
      ctx.strokeStyle = 'rgba(80, 80, 80, 0.18)';
      ctx.beginPath();
      for (const l of this.links) {
        const s = l.source as Node;
        const t = l.target as Node;
        ctx.moveTo(s.x!, s.y!);
        ctx.lineTo(t.x!, t.y!);
      }
      ctx.stroke();
    }
    // One path per colour and fade level: a few fills instead of one per member.
    const batches = new Map<string, Node[]>();
    for (const n of this.nodes.values()) {
      const color = n.gone ? STAGE_COLORS[Stage.Churned] : n.m.archetype === Archetype.Troll ? TROLL_COLOR : STAGE_COLORS[n.m.stage] ?? '#999';
      const key = `${color}|${Math.ceil(Math.max(0, n.fade) * 4)}|${this.show(n) ? 1 : 0}`;
      let list = batches.get(key);
      if (!list) batches.set(key, (list = []));
      list.push(n);
    }
    let shown = 0;
    for (const [key, list] of batches) {
      const [color, level, on] = key.split('|');
      if (on === '1') shown += list.length;
      ctx.globalAlpha = (Number(level) / 4) * (on === '1' ? 1 : 0.12);
      ctx.fillStyle = color;
      ctx.beginPath();
      for (const n of list) {
        const r = this.radius(n.m.activity);
        // A dot of a pixel or two looks the same as a square and costs the rasteriser far less.
        if (r * k < 1.5) ctx.rect(n.x! - r, n.y! - r, 2 * r, 2 * r);
        else {
          ctx.moveTo(n.x! + r, n.y!);
          ctx.arc(n.x!, n.y!, r, 0, 2 * Math.PI);
        }
      }
      ctx.fill();
    }
    for (const n of this.nodes.values()) {
      if (n.toxic <= 0 && n.removed <= 0) continue;
      const r = this.radius(n.m.activity);
      if (n.toxic > 0) {
        ctx.globalAlpha = n.toxic;
        ctx.strokeStyle = TOXIC_FLASH;
        ctx.lineWidth = 2.5 / k;
        ctx.beginPath();
        ctx.arc(n.x!, n.y!, r + 3 + (1 - n.toxic) * 6, 0, 2 * Math.PI);
        ctx.stroke();
      }
      if (n.removed > 0) {
        ctx.globalAlpha = n.removed;
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 2 / k;
        ctx.beginPath();
        ctx.arc(n.x!, n.y!, r + 2, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    this.canvas.dataset.shown = String(shown);
    ctx.globalAlpha = 1;
    if (this.hovered && this.nodes.has(this.hovered.id)) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1.5 / k;
      ctx.beginPath();
      ctx.arc(this.hovered.x!, this.hovered.y!, this.radius(this.hovered.m.activity) + 3, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  /**
   * Communities as pies: the share of each stage in the stage's colour, a vermillion rim as long
   * as the troll-prone share, ties between communities as lines as thick as their weight. The
   * filter keeps communities holding the filtered members in full.
   */
  private drawCommunities(ctx: CanvasRenderingContext2D, k: number): void {
    ctx.strokeStyle = 'rgba(80, 80, 80, 0.25)';
    for (const l of this.links) {
      const s = l.source as Node;
      const t = l.target as Node;
      ctx.lineWidth = (0.5 + l.weight) / k;
      ctx.beginPath();
      ctx.moveTo(s.x!, s.y!);
      ctx.lineTo(t.x!, t.y!);
      ctx.stroke();
    }
    let shown = 0;
    for (const n of this.nodes.values()) {
      const c = n.c!;
      const on = this.showCommunity(c);
      if (on) shown++;
      const r = this.communityRadius(n);
      ctx.globalAlpha = Math.max(0, n.fade) * (on ? 1 : 0.15);
      let a = -Math.PI / 2;
      const present = c.stages.reduce((x, y) => x + y, 0) || 1;
      c.stages.forEach((count, stage) => {
        if (!count) return;
        const b = a + (2 * Math.PI * count) / present;
        ctx.fillStyle = STAGE_COLORS[stage];
        ctx.beginPath();
        ctx.moveTo(n.x!, n.y!);
        ctx.arc(n.x!, n.y!, r, a, b);
        ctx.closePath();
        ctx.fill();
        a = b;
      });
      if (c.id < 0) {
        // The pool of small groups: dashed, so it does not read as one community.
        ctx.setLineDash([3 / k, 3 / k]);
        ctx.strokeStyle = '#555';
        ctx.lineWidth = 1 / k;
        ctx.beginPath();
        ctx.arc(n.x!, n.y!, r + 1.5 / k, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      if (c.trolls) {
        ctx.strokeStyle = TROLL_COLOR;
        ctx.lineWidth = 3 / k;
        ctx.beginPath();
        ctx.arc(n.x!, n.y!, r + 3 / k, -Math.PI / 2, -Math.PI / 2 + (2 * Math.PI * c.trolls) / c.size);
        ctx.stroke();
      }
      if (this.hovered === n) {
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 1.5 / k;
        ctx.beginPath();
        ctx.arc(n.x!, n.y!, r + 6 / k, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    this.canvas.dataset.shown = String(shown);
  }

  /** Whether a community holds members the filter keeps. */
  private showCommunity(c: CommunityNode): boolean {
    const f = (this.root.querySelector('.network-filter') as HTMLSelectElement | null)?.value ?? 'all';
    if (f === 'newcomer') return c.stages[0] > 0;
    if (f === 'regular') return c.stages[1] > 0;
    if (f === 'core') return c.stages[2] + c.stages[3] > 0;
    if (f === 'troll') return c.trolls > 0;
    return true;
  }

  /** Zoom that fits every node in the canvas. */
  private scale(): number {
    let extent = 50;
    for (const n of this.nodes.values()) {
      const r = n.c ? this.communityRadius(n) : 0;
      extent = Math.max(extent, (Math.abs(n.x ?? 0) + r) * (this.height / this.width), Math.abs(n.y ?? 0) + r);
    }
    return Math.min(2, (this.height / 2 - 12) / extent);
  }

  /** A point on the canvas (CSS px) in the layout's coordinates. */
  private toLayout(px: number, py: number): [number, number] {
    const [sx, sy] = this.view.invert([px, py]);
    const k = this.scale();
    return [(sx - this.width / 2) / k, (sy - this.height / 2) / k];
  }

  /** A layout point on the canvas (CSS px). */
  private toScreen(x: number, y: number): [number, number] {
    const k = this.scale();
    return this.view.apply([this.width / 2 + x * k, this.height / 2 + y * k]);
  }

  /** The node under a layout point: a community containing it, or the nearest member within reach. */
  private find(x: number, y: number, reach: number): Node | null {
    let best: Node | null = null;
    let bestD = Infinity;
    for (const n of this.nodes.values()) {
      if (n.gone) continue;
      const d = Math.hypot(n.x! - x, n.y! - y) - (n.c ? this.communityRadius(n) : 0);
      if (d < bestD) [best, bestD] = [n, d];
    }
    return bestD <= (best?.c ? 0 : reach) ? best : null;
  }

  private hover(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const [x, y] = this.toLayout(e.clientX - rect.left, e.clientY - rect.top);
    const found = this.find(x, y, 14 / (this.scale() * this.view.k));
    this.showCard(found && (found.c ? this.showCommunity(found.c) : this.show(found)) ? found : null);
  }

  private key(e: KeyboardEvent): void {
    if (e.key === '+' || e.key === '=' || e.key === '-' || e.key === '0') {
      e.preventDefault();
      const t = e.key === '0' ? d3.zoomIdentity : this.view.scale(e.key === '-' ? 1 / 1.5 : 1.5);
      // Zoom about the canvas's centre.
      const c: [number, number] = [this.width / 2, this.height / 2];
      const p = this.view.invert(c);
      this.zoomTo(e.key === '0' ? t : d3.zoomIdentity.translate(c[0] - p[0] * t.k, c[1] - p[1] * t.k).scale(t.k));
      return;
    }
    if (e.key === 'Enter' && this.hovered?.c) {
      e.preventDefault();
      this.open(this.hovered.c);
      return;
    }
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const list = [...this.nodes.values()].filter((n) => !n.gone && (n.c ? this.showCommunity(n.c) : this.show(n)));
    if (!list.length) return;
    const i = this.hovered ? list.indexOf(this.hovered) : -1;
    this.showCard(list[(i + (e.key === 'ArrowRight' ? 1 : list.length - 1) + list.length) % list.length]);
  }

  private showCard(n: Node | null): void {
    this.hovered = n;
    this.dirty = true;
    if (!n) {
      this.card.hidden = true;
      return;
    }
    const pct = (v: number) => `${Math.round(v * 100)}%`;
    if (n.c) {
      const c = n.c;
      const name = c.id < 0 ? 'Small groups and members without ties' : `Community ${c.id + 1}`;
      this.card.innerHTML = `<b>${name}</b> · ${c.size.toLocaleString('en')} members<br>
        ${c.stages.map((v, s) => `${STAGE_LABELS[s]} ${pct(v / c.size)}`).join(' · ')}<br>
        troll-prone ${pct(c.trolls / c.size)}${this.options.request ? '<br><span class="muted">click or Enter: draw its members</span>' : ''}`;
    } else {
      const m = n.m;
      this.card.innerHTML = `<b>Member ${m.id}</b> · ${STAGE_LABELS[m.stage] ?? '?'}${m.expert ? ' · invited expert' : ''}<br>
      ${ARCHETYPES[m.archetype] ?? '?'} · tenure ${m.tenure} days<br>
      satisfaction ${pct(m.satisfaction)} · identity ${pct(m.identity)}<br>
      activity ${m.activity.toFixed(2)} · posts + replies ${m.contribs}<br>
      alignment ${pct(m.alignment)} · sensitivity ${pct(m.sensitivity)} · expertise ${pct(m.expertise)}`;
    }
    const [sx, sy] = this.toScreen(n.x!, n.y!);
    const left = Math.min(this.width - 250, Math.max(0, sx + 12));
    const top = Math.min(this.height - 110, Math.max(0, sy + 12));
    this.card.style.left = `${left}px`;
    this.card.style.top = `${top}px`;
    this.card.hidden = false;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.sim.stop();
    this.root.remove();
  }
}
