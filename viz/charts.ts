/**
 * The d3 charts: time series (lines, optional 95% bands, policy-change and shock markers on the
 * day axis), the cohort-retention heatmap and the participation-inequality rank plot. Styling is
 * set as SVG attributes, not page CSS, so a chart saved as SVG or PNG looks as it does on screen.
 * Each chart sits in a <figure> with its title, units and buttons to save it.
 */
import * as d3 from 'd3';
import { MARKER_COLORS, OKABE_ITO } from './palette.js';
import { downloadBlob, svgBlob, svgToPng } from './exporting.js';

/** A change of policy or a shock, marked on every time axis. */
export interface Marker {
  day: number;
  kind: 'schedule' | 'shock';
  label: string;
}

export interface LinePoint {
  x: number;
  y: number;
}

export interface LineSeries {
  label: string;
  color: string;
  dash?: string;
  points: LinePoint[];
  /** A 95% band around the line (compare mode with replications). */
  band?: { x: number; lo: number; hi: number }[];
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** What an exported chart says about itself: the scenario, seed and day it shows. */
export interface ChartContext {
  scenario: string;
  seed: number | string;
  day: number;
  days: number;
}

/** A file name that says what the file is: `community-sim_moderated-forum_seed1_day365_members`. */
export function exportName(ctx: ChartContext, what: string): string {
  const safe = (t: string) => t.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return `community-sim_${safe(ctx.scenario)}_seed${safe(String(ctx.seed))}_day${ctx.day}_${safe(what)}`;
}

/** Chart options shared by every kind. */
export interface ChartOptions {
  height?: number;
  /** Text size in px (axes, legend); the trainer's room-sized charts use a larger one. */
  fontSize?: number;
}

/** A figure with a title, an SVG and save buttons; subclasses draw into `svg`. */
abstract class Chart {
  readonly figure: HTMLElement;
  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  protected width = 420;
  protected height: number;
  protected readonly font: number;
  protected readonly margin: { top: number; right: number; bottom: number; left: number };
  /** Redraws with the last data after a resize. */
  protected redraw: (() => void) | null = null;
  /** The scenario, seed and day the chart shows, for its exports; set by its owner. */
  context: () => ChartContext = () => ({ scenario: 'scenario', seed: '', day: 0, days: 0 });
  private readonly heading: HTMLElement;

  constructor(parent: HTMLElement, readonly id: string, public title: string, height: number, opts: ChartOptions = {}) {
    this.height = height;
    this.font = opts.fontSize ?? 11;
    const k = this.font / 11;
    this.margin = { top: Math.round(30 * k), right: 14, bottom: Math.round(34 * k), left: Math.round(52 * k) };
    this.figure = document.createElement('figure');
    this.figure.className = 'chart';
    this.figure.dataset.chart = id;
    const caption = document.createElement('figcaption');
    this.heading = document.createElement('span');
    this.heading.className = 'chart-title';
    this.heading.textContent = title;
    caption.append(this.heading);
    for (const kind of ['SVG', 'PNG'] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'small';
      b.textContent = kind;
      b.title = `Save "${title}" as ${kind}`;
      b.addEventListener('click', () => void this.save(kind));
      caption.append(b);
    }
    this.figure.append(caption);
    this.svg = d3.select(this.figure).append('svg').attr('xmlns', 'http://www.w3.org/2000/svg').attr('font-family', FONT).attr('font-size', this.font).attr('role', 'img').attr('aria-label', title);
    parent.append(this.figure);
    // Widths come from a ResizeObserver, so drawing never forces a layout.
    new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width);
      if (w > 0 && w !== this.width) {
        this.width = w;
        this.redraw?.();
      }
    }).observe(this.figure);
  }

  /** A short note beside the title (which way is better), with a longer tooltip (what is counted). */
  describe(note: string, tooltip: string): void {
    let span = this.heading.nextElementSibling as HTMLElement | null;
    if (!span?.classList.contains('chart-note')) {
      span = document.createElement('span');
      span.className = 'chart-note';
      this.heading.after(span);
    }
    span.textContent = note;
    this.heading.title = tooltip;
  }

  /** Changes the chart's height (a trainer's screen); redraws. */
  setHeight(h: number): void {
    if (h === this.height) return;
    this.height = h;
    this.redraw?.();
  }

  /** Changes the title shown (and exported). */
  retitle(title: string): void {
    this.title = title;
    this.heading.textContent = title;
    this.svg.attr('aria-label', title);
  }

  /** Sizes the SVG; returns the inner plotting size. */
  protected fit(): { w: number; h: number } {
    const width = Math.max(260, this.width);
    this.svg.attr('width', width).attr('height', this.height).attr('viewBox', `0 0 ${width} ${this.height}`);
    return { w: width - this.margin.left - this.margin.right, h: this.height - this.margin.top - this.margin.bottom };
  }

  /** The SVG as saved: a header with the title and the scenario, seed and day above the chart. */
  protected exportNode(): SVGSVGElement {
    const node = this.svg.node()!;
    const copy = node.cloneNode(true) as SVGSVGElement;
    const w = Number(node.getAttribute('width'));
    const h = Number(node.getAttribute('height'));
    const head = 40;
    const ctx = this.context();
    const ns = 'http://www.w3.org/2000/svg';
    const body = document.createElementNS(ns, 'g');
    body.setAttribute('transform', `translate(0,${head})`);
    body.append(...copy.childNodes);
    const title = document.createElementNS(ns, 'text');
    title.setAttribute('x', '8');
    title.setAttribute('y', '16');
    title.setAttribute('font-size', '14');
    title.setAttribute('font-weight', '600');
    title.textContent = this.title;
    const sub = document.createElementNS(ns, 'text');
    sub.setAttribute('x', '8');
    sub.setAttribute('y', '33');
    sub.setAttribute('font-size', '11');
    sub.setAttribute('fill', '#444');
    sub.textContent = `${ctx.scenario} · seed ${ctx.seed} · day ${ctx.day}${ctx.days ? ` of ${ctx.days}` : ''} · community-sim`;
    copy.append(title, sub, body);
    copy.setAttribute('height', String(h + head));
    copy.setAttribute('viewBox', `0 0 ${w} ${h + head}`);
    this.prepareExport(copy);
    return copy;
  }

  /** Lets a chart replace live-only elements (a canvas) in its exported copy. */
  protected prepareExport(_copy: SVGSVGElement): void {}

  async save(kind: 'SVG' | 'PNG'): Promise<void> {
    const node = this.exportNode();
    const name = exportName(this.context(), this.id);
    if (kind === 'SVG') downloadBlob(svgBlob(node), `${name}.svg`);
    else downloadBlob(await svgToPng(node, 2), `${name}.png`);
  }
}

/** Draws a legend row at the top of a chart; returns its height. */
function legend(g: d3.Selection<SVGGElement, unknown, null, undefined>, items: { label: string; color: string; dash?: string }[], width: number, font: number): number {
  g.selectAll('*').remove();
  let x = 0;
  let y = 0;
  for (const it of items) {
    // 0.64 em a character and a gap: wide enough for DejaVu Sans, the widest of the usual system fonts.
    const w = 44 + it.label.length * font * 0.64;
    if (x + w > width && x > 0) {
      x = 0;
      y += font + 2;
    }
    const item = g.append('g').attr('transform', `translate(${x},${y})`);
    item.append('line').attr('x1', 0).attr('x2', 18).attr('y1', 0).attr('y2', 0).attr('stroke', it.color).attr('stroke-width', 2.5).attr('stroke-dasharray', it.dash ?? null);
    item.append('text').attr('x', 22).attr('y', font * 0.36).attr('fill', '#222').text(it.label);
    x += w;
  }
  return y + font + 2;
}

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

/** Points per path element: a long run is drawn as many short paths, only the last one redrawn. */
const CHUNK = 128;

/**
 * The points of a stretch as drawn: where there are more than two points a pixel column (a long
 * run on a narrow chart), each column's first, lowest, highest and last point in day order, which
 * draws the same line with at most four points a pixel: a ten-year line costs the renderer as
 * much as a chart's width, not as its number of days. Undefined values (gaps) are kept.
 */
export function decimate(points: readonly LinePoint[], px: (x: number) => number): readonly LinePoint[] {
  const n = points.length;
  if (n < 8 || n <= 2 * Math.abs(px(points[n - 1].x) - px(points[0].x))) return points;
  const out: LinePoint[] = [];
  let col = NaN;
  let first = -1;
  let lo = -1;
  let hi = -1;
  let last = -1;
  const flush = () => {
    if (first < 0) return;
    for (const i of [first, lo, hi, last].sort((a, b) => a - b)) if (out[out.length - 1] !== points[i]) out.push(points[i]);
    first = -1;
  };
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (!Number.isFinite(p.y)) {
      flush();
      out.push(p);
      continue;
    }
    const c = Math.round(px(p.x));
    if (c !== col || first < 0) {
      flush();
      col = c;
      first = lo = hi = last = i;
      continue;
    }
    if (p.y < points[lo].y) lo = i;
    if (p.y > points[hi].y) hi = i;
    last = i;
  }
  flush();
  return out;
}

/** Index of the point nearest to `x` in points sorted by x. */
function nearest(points: readonly LinePoint[], x: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(points[lo - 1].x - x) <= Math.abs(points[lo].x - x)) return lo - 1;
  return lo;
}

/**
 * A time series chart with a day axis. Its elements are made once and updated in place, and
 * a growing series is appended: the x axis spans the whole run from the start, so only the
 * newest stretch of each line is drawn again each frame; the rest is redrawn only when the
 * width, the y scale (a new high) or the series change. Hovering shows a crosshair with the
 * values of the day under the pointer.
 */
export class LineChart extends Chart {
  private readonly legendG: G;
  private readonly plot: G;
  private readonly grid: G;
  private readonly xAxis: G;
  private readonly yAxis: G;
  private readonly xLabel: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly yLabel: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly markers: G;
  private readonly bands: G;
  private readonly lines: G;
  private readonly cross: G;
  private readonly tip: HTMLElement;
  private legendKey = '';
  private markerKey = '';
  /** What the drawn paths were drawn with: a change of any of these redraws everything. */
  private drawnKey = '';
  /** Points of each series already in finished chunks or the open one. */
  private drawn: number[] = [];
  private series: LineSeries[] = [];
  private x = d3.scaleLinear();
  private y = d3.scaleLinear();
  private fmt: (v: number) => string = String;
  private plotTop: number;
  /** Highest value of each series' points read so far (a growing series is read only where new). */
  private highs: { points: readonly LinePoint[]; read: number; hi: number }[] = [];

  constructor(
    parent: HTMLElement,
    id: string,
    title: string,
    private readonly opts: { yLabel: string; percent?: boolean; yMin?: number; yMax?: number; height?: number; fontSize?: number },
  ) {
    super(parent, id, title, opts.height ?? 210, opts);
    this.plotTop = this.margin.top;
    this.legendG = this.svg.append('g').attr('transform', `translate(${this.margin.left},${Math.round(this.font * 0.9)})`);
    this.plot = this.svg.append('g').attr('transform', `translate(${this.margin.left},${this.margin.top})`);
    this.grid = this.plot.append('g').attr('stroke', '#e4e4e4');
    this.xAxis = this.plot.append('g');
    this.yAxis = this.plot.append('g');
    this.xLabel = this.plot.append('text').attr('text-anchor', 'end').attr('fill', '#333').text('day');
    this.yLabel = this.plot.append('text').attr('transform', 'rotate(-90)').attr('x', 0).attr('y', -this.margin.left + this.font + 1).attr('text-anchor', 'end').attr('fill', '#333').text(opts.yLabel);
    this.markers = this.plot.append('g').attr('class', 'markers');
    this.bands = this.plot.append('g');
    this.lines = this.plot.append('g');
    this.cross = this.plot.append('g').attr('class', 'crosshair').attr('pointer-events', 'none').attr('display', 'none');
    this.cross.append('line').attr('y1', 0).attr('stroke', '#333').attr('stroke-width', 1);
    this.tip = document.createElement('div');
    this.tip.className = 'crosshair-tip';
    this.tip.dataset.testid = 'crosshair';
    this.tip.hidden = true;
    this.figure.append(this.tip);
    this.svg.on('pointermove', (ev: PointerEvent) => this.hover(ev)).on('pointerleave', () => {
      this.cross.attr('display', 'none');
      this.tip.hidden = true;
    });
  }

  /** The values of the day under the pointer, beside a vertical line. */
  private hover(ev: PointerEvent): void {
    const [mx] = d3.pointer(ev, this.plot.node());
    const first = this.series.find((s) => s.points.length);
    const [r0, r1] = this.x.range();
    if (!first || mx < r0 || mx > r1) {
      this.cross.attr('display', 'none');
      this.tip.hidden = true;
      return;
    }
    const i = nearest(first.points, this.x.invert(mx));
    const day = first.points[i].x;
    const px = this.x(day);
    this.cross.attr('display', null).attr('transform', `translate(${px},0)`).select('line').attr('y2', this.y.range()[0]);
    this.tip.replaceChildren(Object.assign(document.createElement('b'), { textContent: `day ${day}` }));
    for (const s of this.series) {
      const p = s.points[nearest(s.points, day)];
      const v = p && p.x === day ? p.y : NaN;
      const row = document.createElement('div');
      const sw = document.createElement('i');
      sw.style.borderColor = s.color;
      row.append(sw, `${s.label}: ${Number.isFinite(v) ? this.fmt(v) : 'no value'}`);
      this.tip.append(row);
    }
    this.tip.hidden = false;
    const svgBox = this.svg.node()!.getBoundingClientRect();
    const figBox = this.figure.getBoundingClientRect();
    const left = svgBox.left - figBox.left + this.margin.left + px;
    const flip = left > figBox.width / 2;
    this.tip.style.left = flip ? '' : `${left + 10}px`;
    this.tip.style.right = flip ? `${figBox.width - left + 10}px` : '';
    this.tip.style.top = `${svgBox.top - figBox.top + this.plotTop}px`;
  }

  /**
   * Draws `series` over `days`; `atLeast` raises the top of the y axis (panels that share a
   * scale). Series whose point arrays only grew since the last call are appended.
   */
  update(series: LineSeries[], markers: Marker[], days: number, atLeast = 0): void {
    this.redraw = () => {
      this.drawnKey = '';
      this.update(series, markers, days, atLeast);
    };
    this.series = series;
    const { w, h: h0 } = this.fit();
    const key = `${w}|${series.map((s) => s.label).join('|')}`;
    if (key !== this.legendKey) {
      const lh = legend(this.legendG, series, w, this.font);
      // A legend of two rows pushes the plot down rather than under its markers.
      this.plotTop = Math.max(this.margin.top, lh + Math.round(this.font * 0.9) + 4);
      this.plot.attr('transform', `translate(${this.margin.left},${this.plotTop})`);
      this.legendKey = key;
    }
    const h = h0 - (this.plotTop - this.margin.top);
    let hi = this.opts.yMax ?? 0;
    if (this.opts.yMax === undefined) {
      series.forEach((s, k) => {
        let h = this.highs[k];
        if (!h || h.points !== s.points || s.points.length < h.read) h = this.highs[k] = { points: s.points, read: 0, hi: -Infinity };
        for (; h.read < s.points.length; h.read++) if (s.points[h.read].y > h.hi) h.hi = s.points[h.read].y;
        if (h.hi > hi) hi = h.hi;
        for (const b of s.band ?? []) if (b.hi > hi) hi = b.hi;
      });
      hi = Math.max(hi, atLeast);
    }
    // A new high within the drawn scale keeps the scale (and what is drawn); past it, the scale
    // grows with some headroom, so a growing series rescales now and then, not every frame.
    const top = this.y.domain()[1];
    const sameScale = this.drawnKey.startsWith(`${key}|${h}|${days}|`) && (this.opts.yMax !== undefined || (hi <= top && hi >= top * 0.3));
    if (!sameScale) {
      this.x = d3.scaleLinear().domain([0, Math.max(1, days)]).range([0, w]);
      const room = this.opts.yMax !== undefined ? hi : hi > 0 ? hi * (series.some((s) => s.points.length && s.points[s.points.length - 1].x < days) ? 1.15 : 1.05) : 1;
      this.y = d3.scaleLinear().domain([this.opts.yMin ?? 0, room]).nice().range([h, 0]);
      const yTop = this.y.domain()[1];
      this.fmt = this.opts.percent ? (yTop <= 0.1 ? d3.format('.1%') : d3.format('.0%')) : yTop < 2 ? d3.format('.2~f') : yTop < 20 ? d3.format('.1~f') : d3.format(',.0f');
      const axisFmt = this.opts.percent ? d3.format('.0%') : yTop < 2 ? d3.format('.2~f') : yTop < 20 ? d3.format('.1~f') : d3.format('~s');
      this.xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(this.x).ticks(Math.max(2, Math.floor(w / (this.font * 6.5)))));
      this.yAxis.call(d3.axisLeft(this.y).ticks(5).tickFormat((v) => axisFmt(v as number)));
      this.xAxis.attr('font-size', this.font);
      this.yAxis.attr('font-size', this.font);
      this.xLabel.attr('x', w).attr('y', h + this.margin.bottom - 4);
      this.grid.selectAll('line').data(this.y.ticks(5)).join('line').attr('x1', 0).attr('x2', w).attr('y1', (d) => this.y(d)).attr('y2', (d) => this.y(d));
      this.drawnKey = `${key}|${h}|${days}|${this.y.domain().join(',')}`;
      this.drawn = [];
      this.lines.selectAll('*').remove();
      this.markerKey = '';
    }
    const mk = markers.map((m) => `${m.kind}${m.day}${m.label}`).join('|');
    if (mk !== this.markerKey) {
      this.markerKey = mk;
      drawMarkers(this.markers, markers, this.x, h, this.font);
    }
    const x = this.x;
    const y = this.y;
    const clampY = (v: number) => y(Math.max(y.domain()[0], Math.min(y.domain()[1], v)));
    const area = d3.area<{ x: number; lo: number; hi: number }>().defined((d) => Number.isFinite(d.lo) && Number.isFinite(d.hi)).x((d) => x(d.x)).y0((d) => clampY(d.lo)).y1((d) => clampY(d.hi));
    this.bands.selectAll('path').data(series.filter((s) => s.band?.length)).join('path')
      .attr('d', (s) => area(s.band!)).attr('fill', (s) => s.color).attr('fill-opacity', 0.18).attr('stroke', 'none');
    // Gaps where a value is undefined (NaN): never drawn as 0.
    const line = d3.line<LinePoint>().defined((d) => Number.isFinite(d.y)).x((d) => x(d.x)).y((d) => clampY(d.y));
    const groups = this.lines.selectAll<SVGGElement, LineSeries>('g').data(series).join('g')
      .attr('fill', 'none').attr('stroke', (s) => s.color).attr('stroke-width', 1.8)
      .attr('stroke-dasharray', (s) => s.dash ?? null).attr('data-series', (s) => s.label);
    groups.each((s, k, nodes) => {
      const g = nodes[k];
      let done = this.drawn[k] ?? 0;
      if (s.points.length < done) {
        // Fewer points than drawn: a new run in the same chart.
        g.replaceChildren();
        done = 0;
      }
      // Redraw the open chunk and add new ones; each chunk starts on the last point of the one before.
      let start = Math.floor(Math.max(0, done - 1) / CHUNK) * CHUNK;
      let path = g.lastElementChild as SVGPathElement | null;
      if (done === 0) path = null;
      while (start < s.points.length) {
        const end = Math.min(s.points.length, start + CHUNK + 1);
        if (!path) path = g.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'path'));
        path.setAttribute('d', line(decimate(s.points.slice(start, end), x) as LinePoint[]) ?? '');
        if (end - start < CHUNK + 1) break;
        start += CHUNK;
        path = null;
      }
      this.drawn[k] = s.points.length;
    });
  }
}

/**
 * Vertical markers for policy changes (dashed, with a diamond) and shocks (solid, with a
 * triangle), in neutral greys that no series uses: a marker is never mistaken for a line.
 */
function drawMarkers(g: G, markers: Marker[], x: d3.ScaleLinear<number, number>, h: number, font: number): void {
  const [d0, d1] = x.domain();
  const shown = markers.filter((m) => m.day >= d0 && m.day <= d1);
  const k = font / 11;
  g.selectAll<SVGGElement, Marker>('g').data(shown, (m) => `${m.kind}|${m.day}|${m.label}`).join((enter) => {
    const mg = enter.append('g');
    mg.append('title').text((m) => `day ${m.day}: ${m.label}`);
    mg.append('line').attr('y1', 0).attr('stroke-width', 1.2)
      .attr('stroke', (m) => MARKER_COLORS[m.kind])
      .attr('stroke-dasharray', (m) => (m.kind === 'shock' ? null : '4 3'));
    mg.append('path').attr('transform', `scale(${k})`).attr('d', (m) => (m.kind === 'shock' ? 'M-5,-7L5,-7L0,0Z' : 'M0,-8L5,-3L0,2L-5,-3Z')).attr('fill', (m) => MARKER_COLORS[m.kind]);
    return mg;
  })
    .attr('transform', (m) => `translate(${x(m.day)},0)`)
    .select('line').attr('y2', h);
}

/**
 * Cohort retention: one row per join week, one column per week since joining, colour = share
 * active (viridis, readable with colour-vision deficiencies). The axes span the whole run from
 * the start, so each closed week only paints its new cells on a canvas (in the SVG through a
 * foreignObject); the export replaces the canvas by an image of it.
 */
export class CohortHeatmap extends Chart {
  private readonly plot: G;
  private readonly holder: d3.Selection<SVGForeignObjectElement, unknown, null, undefined>;
  private readonly cells = document.createElement('canvas');
  private readonly xAxis: G;
  private readonly yAxis: G;
  private readonly markers: G;
  private readonly legendG: G;
  private readonly xLabel: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly color = d3.scaleSequential(d3.interpolateViridis).domain([0, 1]);
  /** CSS colours of 256 evenly spaced shares. */
  private readonly palette = d3.range(256).map((i) => this.color(i / 255));
  /** The table painted so far (a new table object is a new run) and the cells painted per row. */
  private painted: number[][] | null = null;
  private paintedCells: number[] = [];
  private layoutKey = '';
  private markerKey = '';
  private x = d3.scaleLinear();
  private y = d3.scaleLinear();
  private share: number[][] = [];
  private sizes: number[] = [];

  constructor(parent: HTMLElement, opts: ChartOptions = {}) {
    super(parent, 'cohorts', 'Cohort retention by join week', opts.height ?? 250, opts);
    this.plot = this.svg.append('g').attr('transform', `translate(${this.margin.left},${this.margin.top})`);
    this.holder = this.plot.append('foreignObject');
    this.cells.style.cssText = 'width:100%;height:100%;display:block;image-rendering:pixelated';
    this.cells.setAttribute('aria-hidden', 'true');
    this.holder.node()!.append(this.cells);
    this.cells.addEventListener('mousemove', (ev) => (this.cells.title = this.hit(ev)));
    this.xAxis = this.plot.append('g');
    this.yAxis = this.plot.append('g');
    this.markers = this.plot.append('g');
    this.legendG = this.plot.append('g');
    this.xLabel = this.plot.append('text').attr('text-anchor', 'end').attr('fill', '#333').text('weeks since joining');
    this.plot.append('text').attr('transform', 'rotate(-90)').attr('x', 0).attr('y', -this.margin.left + this.font + 1).attr('text-anchor', 'end').attr('fill', '#333').text('join week');
  }

  private hit(ev: MouseEvent): string {
    const [mx, my] = d3.pointer(ev, this.plot.node());
    const a = Math.floor(this.x.invert(mx));
    const c = Math.floor(this.y.invert(my));
    const v = this.share[c]?.[a];
    return v === undefined ? '' : `joined in week ${c + 1} (${this.sizes[c] ?? 0} newcomers): ${Math.round(v * 100)}% active ${a} week${a === 1 ? '' : 's'} later`;
  }

  /** Draws the table of a run of `days` days (rows may be ragged and grow between calls). */
  update(share: number[][], sizes: number[], markers: Marker[], days: number, changed = true): void {
    this.redraw = () => {
      this.layoutKey = '';
      this.update(share, sizes, markers, days);
    };
    this.share = share;
    this.sizes = sizes;
    const { w, h } = this.fit();
    const weeks = Math.max(1, Math.ceil(days / 7));
    const legendW = 4.5 * this.font + 20;
    const pw = w - legendW;
    const layout = `${w}|${h}|${weeks}`;
    if (layout !== this.layoutKey) {
      this.layoutKey = layout;
      this.x = d3.scaleLinear().domain([0, weeks]).range([0, pw]);
      this.y = d3.scaleLinear().domain([0, weeks]).range([0, h]);
      this.holder.attr('x', 0).attr('y', 0).attr('width', pw).attr('height', h);
      this.xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(this.x).ticks(Math.min(weeks, Math.floor(pw / (this.font * 5.5))))).attr('font-size', this.font);
      this.yAxis.call(d3.axisLeft(this.y).ticks(Math.min(weeks, 6)).tickFormat((v) => String(Number(v) + 1))).attr('font-size', this.font);
      this.xLabel.attr('x', pw).attr('y', h + this.margin.bottom - 4);
      this.drawLegend(pw, h);
      this.markerKey = '';
      if (this.cells.width !== weeks) {
        this.cells.width = weeks;
        this.cells.height = weeks;
        this.painted = null; // resizing a canvas clears it
      }
    }
    if (share !== this.painted) {
      this.cells.getContext('2d')!.clearRect(0, 0, weeks, weeks);
      this.painted = share;
      this.paintedCells = [];
    }
    if (changed) {
      // Only the cells that arrived since the last paint (the last one again: it was the week in progress).
      const ctx = this.cells.getContext('2d')!;
      share.forEach((row, c) => {
        for (let a = Math.max(0, (this.paintedCells[c] ?? 0) - 1); a < row.length; a++) {
          ctx.fillStyle = this.palette[Math.round(Math.min(1, Math.max(0, row[a])) * 255)];
          ctx.fillRect(a, c, 1, 1);
        }
        this.paintedCells[c] = row.length;
      });
    }
    const mk = markers.map((m) => `${m.kind}${m.day}${m.label}`).join('|');
    if (mk !== this.markerKey) {
      this.markerKey = mk;
      // Policy changes and shocks on the join-week axis.
      this.markers.selectAll<SVGGElement, Marker>('g').data(markers.filter((m) => m.day / 7 <= weeks), (m) => `${m.kind}|${m.day}|${m.label}`).join((enter) => {
        const mg = enter.append('g');
        mg.append('title').text((m) => `day ${m.day}: ${m.label}`);
        mg.append('line').attr('x1', 0).attr('stroke', (m) => MARKER_COLORS[m.kind]).attr('stroke-width', 1).attr('stroke-dasharray', (m) => (m.kind === 'shock' ? null : '4 3'));
        mg.append('path').attr('d', 'M-2,0L-9,-5L-9,5Z').attr('fill', (m) => MARKER_COLORS[m.kind]);
        return mg;
      })
        .attr('transform', (m) => `translate(0,${this.y(m.day / 7)})`)
        .select('line').attr('x2', pw);
    }
  }

  private drawLegend(pw: number, h: number): void {
    const lg = this.legendG.attr('transform', `translate(${pw + 16},0)`).attr('font-size', this.font);
    lg.selectAll('*').remove();
    const stops = d3.range(0, 1.01, 0.1);
    const lh = Math.min(h, 140);
    stops.forEach((st, i) => lg.append('rect').attr('x', 0).attr('y', lh - ((i + 1) * lh) / stops.length).attr('width', 12).attr('height', lh / stops.length + 0.5).attr('fill', this.color(st)));
    lg.append('g').attr('transform', 'translate(12,0)').call(d3.axisRight(d3.scaleLinear().domain([0, 1]).range([lh, 0])).ticks(4).tickFormat(d3.format('.0%'))).attr('font-size', this.font);
    lg.append('text').attr('x', 0).attr('y', lh + this.font + 5).attr('fill', '#333').text('active');
  }

  protected override prepareExport(copy: SVGSVGElement): void {
    // The live canvas does not survive serialisation: export a picture of it instead.
    const fo = copy.querySelector('foreignObject');
    if (!fo) return;
    const img = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    for (const a of ['x', 'y', 'width', 'height']) img.setAttribute(a, fo.getAttribute(a) ?? '0');
    img.setAttribute('preserveAspectRatio', 'none');
    img.setAttribute('style', 'image-rendering: pixelated');
    img.setAttribute('href', this.cells.toDataURL());
    fo.replaceWith(img);
  }
}

/** Contributions per member against rank, both on log scales (Wilkinson 2008: heavy tail). */
export class InequalityChart extends Chart {
  private readonly plot: G;
  private readonly note: d3.Selection<SVGTextElement, unknown, null, undefined>;

  constructor(parent: HTMLElement, opts: ChartOptions = {}) {
    super(parent, 'inequality', 'Participation inequality', opts.height ?? 230, opts);
    this.note = this.svg.append('text').attr('x', this.margin.left).attr('y', this.font + 5).attr('fill', '#333');
    this.plot = this.svg.append('g').attr('transform', `translate(${this.margin.left},${this.margin.top})`);
  }

  update(contribs: number[], sampleOf: number): void {
    this.redraw = () => this.update(contribs, sampleOf);
    const { w, h } = this.fit();
    const p = this.plot;
    p.selectAll('*').remove();
    const sorted = contribs.filter((c) => c > 0).sort((a, b) => b - a);
    const lurkers = contribs.length - sorted.length;
    const total = d3.sum(sorted);
    const top = sorted.slice(0, Math.max(1, Math.ceil(contribs.length / 10)));
    const topShare = total > 0 ? d3.sum(top) / total : 0;
    this.note.text(contribs.length ? `${Math.round((lurkers / contribs.length) * 100)}% never posted; top 10% made ${Math.round(topShare * 100)}% of posts${sampleOf > contribs.length ? ` (sample of ${contribs.length})` : ''}` : 'no members yet');
    const x = d3.scaleLog().domain([1, Math.max(10, sorted.length)]).range([0, w]);
    const y = d3.scaleLog().domain([1, Math.max(10, sorted[0] ?? 10)]).range([h, 0]).nice();
    p.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(4, '~s')).attr('font-size', this.font);
    p.append('g').call(d3.axisLeft(y).ticks(4, '~s')).attr('font-size', this.font);
    p.append('text').attr('x', w).attr('y', h + this.margin.bottom - 4).attr('text-anchor', 'end').attr('fill', '#333').text('member rank (log)');
    p.append('text').attr('transform', 'rotate(-90)').attr('x', 0).attr('y', -this.margin.left + this.font + 1).attr('text-anchor', 'end').attr('fill', '#333').text('posts + replies (log)');
    const line = d3.line<number>().x((_, i) => x(i + 1)).y((d) => y(d));
    p.append('path').attr('d', line(sorted)).attr('fill', 'none').attr('stroke', OKABE_ITO.blue).attr('stroke-width', 2);
  }
}
