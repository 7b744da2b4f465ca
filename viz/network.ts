/**
 * The network view: members on a canvas under a d3-force layout, coloured by stage (troll-prone
 * members in vermillion), sized by activity, ties as faint lines. Toxic acts flash a purple
 * ring, removals a black one; members who leave fade out. A large community is drawn as the
 * engine's sample, with a note saying how many are drawn. Hover (or arrow keys on the focused
 * canvas) shows a member's card.
 */
import * as d3 from 'd3';
import type { GraphView, MemberView } from '../engine/simulation.js';
import { STAGE_COLORS, STAGE_LABELS, TOXIC_FLASH, TROLL_COLOR } from './palette.js';

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
  if (value === 'newcomer') return (n) => n.m.stage === 0;
  if (value === 'regular') return (n) => n.m.stage === 1;
  if (value === 'core') return (n) => n.m.stage === 2 || n.m.stage === 3;
  if (value === 'troll') return (n) => n.m.archetype === TROLL;
  if (value === 'expert') return (n) => n.m.expert;
  return () => true;
}
const TROLL = 3;
const GONE_STAGE = 4;

interface Node extends d3.SimulationNodeDatum {
  id: number;
  m: MemberView;
  /** 1 while present, falling to 0 once gone. */
  fade: number;
  gone: boolean;
  /** Flash strength of a toxic act (purple) or removal (black). */
  toxic: number;
  removed: number;
}

type Link = d3.SimulationLinkDatum<Node> & { weight: number };

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
  /** The user's zoom and pan, on top of the zoom that fits every member in. */
  private view = d3.zoomIdentity;
  /** Which members are drawn in full; the others stay as faint context. */
  private show: (n: Node) => boolean = () => true;

  constructor(parent: HTMLElement, height = 380) {
    this.height = height;
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
    legend.append(Object.assign(document.createElement('span'), { textContent: 'size: activity · wheel or +/− zoom, drag pans' }));
    // Filter and zoom reset, in the caption.
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
    this.zoomer = d3.zoom<HTMLCanvasElement, unknown>().scaleExtent([0.5, 16]).on('zoom', (e: d3.D3ZoomEvent<HTMLCanvasElement, unknown>) => {
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
    // About 30 frames a second is smooth enough and halves the main thread's share.
    let last = 0;
    const loop = (now: number) => {
      if (now - last >= 30) {
        last = now;
        this.draw();
      }
      this.frame = requestAnimationFrame(loop);
    };
    this.frame = requestAnimationFrame(loop);
  }

  private readonly zoomer: d3.ZoomBehavior<HTMLCanvasElement, unknown>;

  private zoomTo(t: d3.ZoomTransform): void {
    d3.select(this.canvas).call(this.zoomer.transform, t);
  }

  /** Takes the latest graph sample from the engine. */
  update(view: GraphView): void {
    const seen = new Set<number>();
    let added = 0;
    const ordered: Node[] = [];
    let maxActivity = 0;
    for (const m of view.members) {
      seen.add(m.id);
      if (m.activity > maxActivity) maxActivity = m.activity;
      let n = this.nodes.get(m.id);
      if (!n) {
        const spread = 40 + Math.sqrt(view.members.length) * 6;
        n = { id: m.id, m, fade: 1, gone: false, toxic: 0, removed: 0, x: (Math.random() - 0.5) * spread, y: (Math.random() - 0.5) * spread };
        this.nodes.set(m.id, n);
        added++;
      }
      n.m = m;
      n.gone = m.stage >= GONE_STAGE;
      if (m.toxicToday) n.toxic = 1;
      if (m.removedToday) n.removed = 1;
      ordered.push(n);
    }
    for (const n of this.nodes.values()) if (!seen.has(n.id)) n.gone = true;
    this.radius.domain([0, Math.max(1, maxActivity)]);
    this.links = view.links.map((l) => ({ source: ordered[l.source], target: ordered[l.target], weight: l.weight }));
    // Newcomers start next to the first member they are tied to.
    for (const l of this.links) {
      const s = l.source as Node;
      const t = l.target as Node;
      if (t.fade === 1 && t.vx === undefined && s.x !== undefined) {
        t.x = s.x + (Math.random() - 0.5) * 10;
        t.y = (s.y ?? 0) + (Math.random() - 0.5) * 10;
      }
    }
    this.sim.nodes([...this.nodes.values()]);
    (this.sim.force('link') as d3.ForceLink<Node, Link>).links(this.links);
    this.sim.alpha(Math.max(this.sim.alpha(), added > 0 ? 0.35 : 0.12));
    const drawn = view.members.length;
    this.note.textContent = drawn < view.total ? `drawing a sample of ${drawn.toLocaleString('en')} of ${view.total.toLocaleString('en')} members` : `${view.total.toLocaleString('en')} members`;
    this.dirty = true;
  }

  private draw(): void {
    if (!this.visible) return;
    const active = this.sim.alpha() > this.sim.alphaMin();
    if (active) this.sim.tick();
    let animating = active;
    for (const [id, n] of this.nodes) {
      if (n.toxic > 0 || n.removed > 0) animating = true;
      n.toxic = Math.max(0, n.toxic - 0.06);
      n.removed = Math.max(0, n.removed - 0.06);
      if (n.gone) {
        n.fade -= 0.04;
        animating = true;
        if (n.fade <= 0) this.nodes.delete(id);
      }
    }
    if (!animating && !this.dirty) return;
    this.dirty = false;
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
    // One path per colour and fade level: a few fills instead of one per member.
    const batches = new Map<string, Node[]>();
    for (const n of this.nodes.values()) {
      const color = n.gone ? STAGE_COLORS[GONE_STAGE] : n.m.archetype === TROLL ? TROLL_COLOR : STAGE_COLORS[n.m.stage] ?? '#999';
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
        ctx.moveTo(n.x! + r, n.y!);
        ctx.arc(n.x!, n.y!, r, 0, 2 * Math.PI);
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

  /** Zoom that fits every node in the canvas. */
  private scale(): number {
    let extent = 50;
    for (const n of this.nodes.values()) extent = Math.max(extent, Math.abs(n.x ?? 0) * (this.height / this.width), Math.abs(n.y ?? 0));
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

  private hover(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const [x, y] = this.toLayout(e.clientX - rect.left, e.clientY - rect.top);
    const found = this.sim.find(x, y, 14 / (this.scale() * this.view.k));
    this.showCard(found && this.show(found) ? found : null);
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
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const list = [...this.nodes.values()].filter((n) => !n.gone && this.show(n));
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
    const m = n.m;
    const pct = (v: number) => `${Math.round(v * 100)}%`;
    this.card.innerHTML = `<b>Member ${m.id}</b> · ${STAGE_LABELS[m.stage] ?? '?'}${m.expert ? ' · invited expert' : ''}<br>
      ${ARCHETYPES[m.archetype] ?? '?'} · tenure ${m.tenure} days<br>
      satisfaction ${pct(m.satisfaction)} · identity ${pct(m.identity)}<br>
      activity ${m.activity.toFixed(2)} · posts + replies ${m.contribs}<br>
      alignment ${pct(m.alignment)} · sensitivity ${pct(m.sensitivity)} · expertise ${pct(m.expertise)}`;
    const [sx, sy] = this.toScreen(n.x!, n.y!);
    const left = Math.min(this.width - 250, Math.max(0, sx + 12));
    const top = Math.min(this.height - 110, Math.max(0, sy + 12));
    this.card.style.left = `${left}px`;
    this.card.style.top = `${top}px`;
    this.card.hidden = false;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.sim.stop();
    this.root.remove();
  }
}
