/**
 * The d3 charts: time series (lines, optional 95% bands, policy-change and shock markers on the
 * day axis), the cohort-retention heatmap and the participation-inequality rank plot. Styling is
 * set as SVG attributes, not page CSS, so a chart saved as SVG or PNG looks as it does on screen.
 * Each chart sits in a <figure> with its title, units and buttons to save it.
 */
import * as d3 from 'd3';
import { OKABE_ITO } from './palette.js';
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
const MARGIN = { top: 30, right: 14, bottom: 34, left: 52 };

/** A figure with a title, an SVG and save buttons; subclasses draw into `svg`. */
abstract class Chart {
  readonly figure: HTMLElement;
  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  protected width = 420;
  protected height: number;
  /** Redraws with the last data after a resize. */
  protected redraw: (() => void) | null = null;

  constructor(parent: HTMLElement, readonly id: string, readonly title: string, height: number) {
    this.height = height;
    this.figure = document.createElement('figure');
    this.figure.className = 'chart';
    this.figure.dataset.chart = id;
    const caption = document.createElement('figcaption');
    const h = document.createElement('span');
    h.className = 'chart-title';
    h.textContent = title;
    caption.append(h);
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
    this.svg = d3.select(this.figure).append('svg').attr('xmlns', 'http://www.w3.org/2000/svg').attr('font-family', FONT).attr('font-size', 11).attr('role', 'img').attr('aria-label', title);
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

  /** Sizes the SVG; returns the inner plotting size. */
  protected fit(): { w: number; h: number } {
    const width = Math.max(260, this.width);
    this.svg.attr('width', width).attr('height', this.height).attr('viewBox', `0 0 ${width} ${this.height}`);
    return { w: width - MARGIN.left - MARGIN.right, h: this.height - MARGIN.top - MARGIN.bottom };
  }

  async save(kind: 'SVG' | 'PNG'): Promise<void> {
    const node = this.svg.node()!;
    const name = `community-sim-${this.id}`;
    if (kind === 'SVG') downloadBlob(svgBlob(node), `${name}.svg`);
    else downloadBlob(await svgToPng(node, 2), `${name}.png`);
  }
}

/** Draws a legend row at the top of a chart. */
function legend(g: d3.Selection<SVGGElement, unknown, null, undefined>, items: { label: string; color: string; dash?: string }[], width: number): void {
  g.selectAll('*').remove();
  let x = 0;
  let y = 0;
  for (const it of items) {
    const w = 36 + it.label.length * 6.2;
    if (x + w > width && x > 0) {
      x = 0;
      y += 13;
    }
    const item = g.append('g').attr('transform', `translate(${x},${y})`);
    item.append('line').attr('x1', 0).attr('x2', 18).attr('y1', 0).attr('y2', 0).attr('stroke', it.color).attr('stroke-width', 2.5).attr('stroke-dasharray', it.dash ?? null);
    item.append('text').attr('x', 22).attr('y', 4).attr('fill', '#222').text(it.label);
    x += w;
  }
}

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

/** A time series chart with a day axis. Its elements are made once and updated in place. */
export class LineChart extends Chart {
  private readonly legendG: G;
  private readonly plot: G;
  private readonly grid: G;
  private readonly xAxis: G;
  private readonly yAxis: G;
  private readonly xLabel: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly markers: G;
  private readonly bands: G;
  private readonly lines: G;
  private legendKey = '';

  constructor(
    parent: HTMLElement,
    id: string,
    title: string,
    private readonly opts: { yLabel: string; percent?: boolean; yMin?: number; yMax?: number; height?: number },
  ) {
    super(parent, id, title, opts.height ?? 210);
    this.legendG = this.svg.append('g').attr('transform', `translate(${MARGIN.left},10)`).attr('font-size', 11);
    this.plot = this.svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    this.grid = this.plot.append('g').attr('stroke', '#e4e4e4');
    this.xAxis = this.plot.append('g');
    this.yAxis = this.plot.append('g');
    this.xLabel = this.plot.append('text').attr('text-anchor', 'end').attr('fill', '#333').text('day');
    this.plot.append('text').attr('transform', 'rotate(-90)').attr('x', 0).attr('y', -40).attr('text-anchor', 'end').attr('fill', '#333').text(opts.yLabel);
    this.markers = this.plot.append('g').attr('class', 'markers');
    this.bands = this.plot.append('g');
    this.lines = this.plot.append('g');
  }

  /** Draws `series` over `days`; `atLeast` raises the top of the y axis (panels that share a scale). */
  update(series: LineSeries[], markers: Marker[], days: number, atLeast = 0): void {
    this.redraw = () => this.update(series, markers, days, atLeast);
    const { w, h } = this.fit();
    const key = `${w}|${series.map((s) => s.label).join('|')}`;
    if (key !== this.legendKey) {
      legend(this.legendG, series, w);
      this.legendKey = key;
    }
    const x = d3.scaleLinear().domain([0, Math.max(1, days)]).range([0, w]);
    let hi = this.opts.yMax ?? 0;
    if (this.opts.yMax === undefined) {
      for (const s of series) {
        for (const pt of s.points) if (pt.y > hi) hi = pt.y;
        for (const b of s.band ?? []) if (b.hi > hi) hi = b.hi;
      }
      hi = Math.max(hi, atLeast);
      hi = hi > 0 ? hi * 1.05 : 1;
    }
    const y = d3.scaleLinear().domain([this.opts.yMin ?? 0, hi]).nice().range([h, 0]);
    const top = y.domain()[1];
    const fmt = this.opts.percent ? d3.format('.0%') : top < 2 ? d3.format('.2~f') : top < 20 ? d3.format('.1~f') : d3.format('~s');
    this.xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 70))));
    this.yAxis.call(d3.axisLeft(y).ticks(5).tickFormat((v) => fmt(v as number)));
    this.xLabel.attr('x', w).attr('y', h + 30);
    this.grid.selectAll('line').data(y.ticks(5)).join('line').attr('x1', 0).attr('x2', w).attr('y1', (d) => y(d)).attr('y2', (d) => y(d));
    drawMarkers(this.markers, markers, x, h);
    const clampY = (v: number) => y(Math.max(y.domain()[0], Math.min(y.domain()[1], v)));
    const area = d3.area<{ x: number; lo: number; hi: number }>().x((d) => x(d.x)).y0((d) => clampY(d.lo)).y1((d) => clampY(d.hi));
    this.bands.selectAll('path').data(series.filter((s) => s.band?.length)).join('path')
      .attr('d', (s) => area(s.band!)).attr('fill', (s) => s.color).attr('fill-opacity', 0.18).attr('stroke', 'none');
    const line = d3.line<LinePoint>().defined((d) => Number.isFinite(d.y)).x((d) => x(d.x)).y((d) => clampY(d.y));
    this.lines.selectAll('path').data(series).join('path')
      .attr('d', (s) => line(s.points)).attr('fill', 'none').attr('stroke', (s) => s.color).attr('stroke-width', 1.8)
      .attr('stroke-dasharray', (s) => s.dash ?? null).attr('data-series', (s) => s.label);
  }
}

/** Vertical markers for policy changes (dashed, dark grey) and shocks (solid, vermillion). */
function drawMarkers(g: G, markers: Marker[], x: d3.ScaleLinear<number, number>, h: number): void {
  const [d0, d1] = x.domain();
  const shown = markers.filter((m) => m.day >= d0 && m.day <= d1);
  g.selectAll<SVGGElement, Marker>('g').data(shown, (m) => `${m.kind}|${m.day}|${m.label}`).join((enter) => {
    const mg = enter.append('g');
    mg.append('title').text((m) => `day ${m.day}: ${m.label}`);
    mg.append('line').attr('y1', 0).attr('stroke-width', 1.2)
      .attr('stroke', (m) => (m.kind === 'shock' ? OKABE_ITO.vermillion : '#555'))
      .attr('stroke-dasharray', (m) => (m.kind === 'shock' ? null : '4 3'));
    mg.append('path').attr('d', (m) => (m.kind === 'shock' ? 'M-5,-7L5,-7L0,0Z' : 'M0,-8L5,-3L0,2L-5,-3Z')).attr('fill', (m) => (m.kind === 'shock' ? OKABE_ITO.vermillion : '#555'));
    return mg;
  })
    .attr('transform', (m) => `translate(${x(m.day)},0)`)
    .select('line').attr('y2', h);
}

/**
 * Cohort retention: one row per join week, one column per week since joining, colour = share
 * active (viridis, readable with colour-vision deficiencies). The cells are painted on a small
 * canvas embedded as an image, so a year of weekly cohorts is one element, not a thousand.
 */
export class CohortHeatmap extends Chart {
  private readonly plot: G;
  private readonly image: d3.Selection<SVGImageElement, unknown, null, undefined>;
  private readonly tip: d3.Selection<SVGTitleElement, unknown, null, undefined>;
  private readonly xAxis: G;
  private readonly yAxis: G;
  private readonly markers: G;
  private readonly legendG: G;
  private readonly xLabel: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly cells = document.createElement('canvas');
  private readonly color = d3.scaleSequential(d3.interpolateViridis).domain([0, 1]);
  /** RGBA of 256 evenly spaced shares: cells are written as pixels, not one fillRect each. */
  private readonly palette = (() => {
    const p = new Uint8ClampedArray(256 * 4);
    for (let i = 0; i < 256; i++) {
      const c = d3.rgb(this.color(i / 255));
      p.set([c.r, c.g, c.b, 255], i * 4);
    }
    return p;
  })();
  /** The table the image shows: the worker sends a new one only when a week closes. */
  private painted: number[][] | null = null;
  private legendAt = -1;
  private hit: (ev: MouseEvent) => string = () => '';

  constructor(parent: HTMLElement) {
    super(parent, 'cohorts', 'Cohort retention by join week', 250);
    this.plot = this.svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    this.image = this.plot.append('image').attr('preserveAspectRatio', 'none').attr('style', 'image-rendering: pixelated');
    this.tip = this.image.append<SVGTitleElement>('title');
    this.image.on('mousemove', (ev: MouseEvent) => this.tip.text(this.hit(ev)));
    this.xAxis = this.plot.append('g');
    this.yAxis = this.plot.append('g');
    this.markers = this.plot.append('g');
    this.legendG = this.plot.append('g');
    this.xLabel = this.plot.append('text').attr('text-anchor', 'end').attr('fill', '#333').text('weeks since joining');
    this.plot.append('text').attr('transform', 'rotate(-90)').attr('x', 0).attr('y', -40).attr('text-anchor', 'end').attr('fill', '#333').text('join week');
  }

  update(share: number[][], sizes: number[], markers: Marker[]): void {
    this.redraw = () => this.update(share, sizes, markers);
    const { w, h } = this.fit();
    const weeks = Math.max(1, share.length);
    const cols = Math.max(1, d3.max(share, (r) => r.length) ?? 1);
    const legendW = 70;
    const pw = w - legendW;
    const x = d3.scaleLinear().domain([0, cols]).range([0, pw]);
    const y = d3.scaleLinear().domain([0, weeks]).range([0, h]);
    if (share !== this.painted) {
      // A long run's table has ~160,000 cells: repainted only when it changed, pixel by pixel.
      this.painted = share;
      this.cells.width = cols;
      this.cells.height = weeks;
      const ctx = this.cells.getContext('2d')!;
      const img = ctx.createImageData(cols, weeks);
      share.forEach((row, c) => row.forEach((v, a) => {
        const k = Math.round(Math.min(1, Math.max(0, v)) * 255) * 4;
        img.data.set(this.palette.subarray(k, k + 4), (c * cols + a) * 4);
      }));
      ctx.putImageData(img, 0, 0);
      this.image.attr('href', this.cells.toDataURL());
    }
    this.image.attr('x', 0).attr('y', 0).attr('width', pw).attr('height', h);
    this.hit = (ev) => {
      const [mx, my] = d3.pointer(ev, this.plot.node());
      const a = Math.floor(x.invert(mx));
      const c = Math.floor(y.invert(my));
      const v = share[c]?.[a];
      return v === undefined ? '' : `joined in week ${c + 1} (${sizes[c] ?? 0} newcomers): ${Math.round(v * 100)}% active ${a} week${a === 1 ? '' : 's'} later`;
    };
    this.xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.min(cols, Math.floor(pw / 60))));
    this.yAxis.call(d3.axisLeft(y).ticks(Math.min(weeks, 6)).tickFormat((v) => String(Number(v) + 1)));
    this.xLabel.attr('x', pw).attr('y', h + 30);
    // Policy changes and shocks on the join-week axis.
    this.markers.selectAll<SVGGElement, Marker>('g').data(markers.filter((m) => m.day / 7 <= weeks), (m) => `${m.kind}|${m.day}|${m.label}`).join((enter) => {
      const mg = enter.append('g');
      const color = (m: Marker) => (m.kind === 'shock' ? OKABE_ITO.vermillion : '#555');
      mg.append('title').text((m) => `day ${m.day}: ${m.label}`);
      mg.append('line').attr('x1', 0).attr('stroke', color).attr('stroke-width', 1).attr('stroke-dasharray', (m) => (m.kind === 'shock' ? null : '4 3'));
      mg.append('path').attr('d', 'M-2,0L-9,-5L-9,5Z').attr('fill', color);
      return mg;
    })
      .attr('transform', (m) => `translate(0,${y(m.day / 7)})`)
      .select('line').attr('x2', pw);
    if (this.legendAt !== pw) {
      this.legendAt = pw;
      const lg = this.legendG.attr('transform', `translate(${pw + 20},0)`);
      lg.selectAll('*').remove();
      const stops = d3.range(0, 1.01, 0.1);
      const lh = Math.min(h, 140);
      stops.forEach((st, i) => lg.append('rect').attr('x', 0).attr('y', lh - ((i + 1) * lh) / stops.length).attr('width', 12).attr('height', lh / stops.length + 0.5).attr('fill', this.color(st)));
      lg.append('g').attr('transform', 'translate(12,0)').call(d3.axisRight(d3.scaleLinear().domain([0, 1]).range([lh, 0])).ticks(4).tickFormat(d3.format('.0%')));
      lg.append('text').attr('x', 0).attr('y', lh + 16).attr('fill', '#333').text('active');
    }
  }
}

/** Contributions per member against rank, both on log scales (Wilkinson 2008: heavy tail). */
export class InequalityChart extends Chart {
  private readonly plot: G;
  private readonly note: d3.Selection<SVGTextElement, unknown, null, undefined>;

  constructor(parent: HTMLElement) {
    super(parent, 'inequality', 'Participation inequality', 230);
    this.note = this.svg.append('text').attr('x', MARGIN.left).attr('y', 16).attr('fill', '#333');
    this.plot = this.svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
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
    p.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(4, '~s'));
    p.append('g').call(d3.axisLeft(y).ticks(4, '~s'));
    p.append('text').attr('x', w).attr('y', h + 30).attr('text-anchor', 'end').attr('fill', '#333').text('member rank (log)');
    p.append('text').attr('transform', 'rotate(-90)').attr('x', 0).attr('y', -40).attr('text-anchor', 'end').attr('fill', '#333').text('posts + replies (log)');
    const line = d3.line<number>().x((_, i) => x(i + 1)).y((d) => y(d));
    p.append('path').attr('d', line(sorted)).attr('fill', 'none').attr('stroke', OKABE_ITO.blue).attr('stroke-width', 2);
  }
}
