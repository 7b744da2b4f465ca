/**
 * report.html of a fit: one self-contained page (inline SVG and CSS, no scripts, nothing
 * fetched) a manager can open anywhere: for each fitted column the observed points over the
 * posterior predictive's 50% and 90% bands and median, how many points fall inside the bands
 * (coverage) and the correlation of the observed with the median; each parameter's posterior
 * (a weighted histogram over its prior range); and the tolerance, runs, acceptance and effective
 * sample size of every generation.
 */
import type { AbcPrior } from './abc-smc.js';
import type { FitBand, FitResult } from './fit.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number) => (!Number.isFinite(v) ? '–' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(3)).toString());

const W = 520;
const H = 200;
// The left margin holds a tick label such as "1.13e+4".
const PAD = { l: 58, r: 10, t: 10, b: 24 };

/** Pearson correlation of paired finite values (NaN with fewer than 3 pairs or no spread). */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const pairs = a.map((x, i) => [x, b[i]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pairs.length < 3) return NaN;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / pairs.length;
  const my = pairs.reduce((s, p) => s + p[1], 0) / pairs.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Share of observed points inside [lo, hi] (over the points observed). */
export function coverage(bands: readonly FitBand[], lo: 'lo50' | 'lo90', hi: 'hi50' | 'hi90'): number {
  const seen = bands.filter((b) => Number.isFinite(b.observed));
  return seen.length ? seen.filter((b) => b.observed >= b[lo] && b.observed <= b[hi]).length / seen.length : NaN;
}

/**
 * One column's chart: the observed points over the fit's 50%/90% bands and median, and, when
 * given, the forecast's bands and median continuing past the data in another colour, a dashed
 * line where the data end. Parts carry `data-part` so a test can find them.
 */
export function columnChart(bands: readonly FitBand[], forecast: readonly Omit<FitBand, 'observed'>[] = []): string {
  const all = [...bands, ...forecast];
  const days = all.map((b) => b.day);
  const x0 = Math.min(...days);
  const x1 = Math.max(...days, x0 + 1);
  const ys = [...bands.map((b) => b.observed), ...all.flatMap((b) => [b.hi90, b.lo90])].filter(Number.isFinite);
  const y1 = Math.max(1e-9, ...ys);
  const y0 = Math.min(0, ...ys);
  const x = (d: number) => PAD.l + ((d - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - ((v - y0) / (y1 - y0)) * (H - PAD.t - PAD.b);
  const paths = (set: readonly Omit<FitBand, 'observed'>[], cls: string) => {
    const ok = set.filter((b) => Number.isFinite(b.median));
    if (!ok.length) return '';
    const area = (lo: 'lo50' | 'lo90', hi: 'hi50' | 'hi90') => `M${ok.map((b) => `${x(b.day).toFixed(1)},${y(b[hi]).toFixed(1)}`).join('L')}L${[...ok].reverse().map((b) => `${x(b.day).toFixed(1)},${y(b[lo]).toFixed(1)}`).join('L')}Z`;
    const median = `M${ok.map((b) => `${x(b.day).toFixed(1)},${y(b.median).toFixed(1)}`).join('L')}`;
    return `<path class="${cls}b90" data-part="${cls}90" d="${area('lo90', 'hi90')}"/><path class="${cls}b50" data-part="${cls}50" d="${area('lo50', 'hi50')}"/><path class="${cls}med" data-part="${cls}median" d="${median}"/>`;
  };
  // Forecast periods start where the data end: the boundary is the first forecast day.
  const edge = forecast.length ? `<line class="edge" x1="${x(forecast[0].day).toFixed(1)}" x2="${x(forecast[0].day).toFixed(1)}" y1="${PAD.t}" y2="${H - PAD.b}"/>` : '';
  const points = bands.filter((b) => Number.isFinite(b.observed)).map((b) => `<circle data-day="${b.day}" cx="${x(b.day).toFixed(1)}" cy="${y(b.observed).toFixed(1)}" r="2.5"><title>day ${b.day}: ${fmt(b.observed)} observed, ${fmt(b.median)} median</title></circle>`).join('');
  const ticks = [y0, (y0 + y1) / 2, y1].map((v) => `<text x="${PAD.l - 4}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img">${paths(bands, '')}${paths(forecast, 'f')}${edge}${points}${ticks}<text x="${PAD.l}" y="${H - 6}">day ${x0}</text><text x="${W - PAD.r}" y="${H - 6}" text-anchor="end">day ${x1}</text></svg>`;
}

function marginalChart(prior: AbcPrior, values: readonly number[], weights: readonly number[]): string {
  const bins = 24;
  const t = (v: number) => (prior.log ? Math.log(v) : v);
  const lo = t(prior.min);
  const hi = t(prior.max);
  const mass = new Array<number>(bins).fill(0);
  values.forEach((v, i) => (mass[Math.min(bins - 1, Math.max(0, Math.floor(((t(v) - lo) / (hi - lo)) * bins)))] += weights[i]));
  const top = Math.max(...mass, 1e-12);
  const bw = (W - PAD.l - PAD.r) / bins;
  const h = 120;
  const bars = mass.map((m, k) => `<rect x="${(PAD.l + k * bw).toFixed(1)}" y="${(h - PAD.b - (m / top) * (h - PAD.t - PAD.b)).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${((m / top) * (h - PAD.t - PAD.b)).toFixed(1)}"/>`).join('');
  return `<svg viewBox="0 0 ${W} ${h}" role="img">${bars}<text x="${PAD.l}" y="${h - 6}">${fmt(prior.min)}</text><text x="${W - PAD.r}" y="${h - 6}" text-anchor="end">${fmt(prior.max)}${prior.log ? ' (log scale)' : ''}</text></svg>`;
}

const head = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}h3{font-size:1em;margin:.8em 0 .2em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:1em}
svg{width:100%;height:auto;font-size:11px;fill:#555}
.b90{fill:#9ecae1;opacity:.45}.b50{fill:#3182bd;opacity:.45}.med{fill:none;stroke:#08519c;stroke-width:1.5}
.fb90{fill:#fdd0a2;opacity:.55}.fb50{fill:#fd8d3c;opacity:.45}.fmed{fill:none;stroke:#a63603;stroke-width:1.5}
.edge{stroke:#888;stroke-dasharray:3 3}
circle{fill:#d62728}rect{fill:#6baed6}
table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:right;border-bottom:1px solid #eee}
.legend span{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 1em;vertical-align:middle}
</style></head><body>`;

/**
 * Mean width of the 90% band over the periods, relative to the mean observed value (NaN when
 * nothing is known): how tight a generation's bands are, one number a column.
 */
export function bandWidth(bands: readonly FitBand[]): number {
  const ok = bands.filter((b) => Number.isFinite(b.hi90) && Number.isFinite(b.lo90));
  if (!ok.length) return NaN;
  const seen = bands.map((b) => Math.abs(b.observed)).filter(Number.isFinite);
  const scale = seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : 1;
  return ok.reduce((s, b) => s + b.hi90 - b.lo90, 0) / ok.length / (scale || 1);
}

export const LEGEND = '<p class="legend"><span style="background:#d62728;border-radius:50%;width:.7em;height:.7em"></span>observed <span style="background:#08519c;height:2px"></span>median <span style="background:#3182bd;opacity:.45"></span>50% band <span style="background:#9ecae1;opacity:.45"></span>90% band</p>';

/** The report of a fit as one HTML page. */
export function fitReportHtml(r: FitResult, title = 'Fit'): string {
  const columns = Object.keys(r.fit.weights);
  const colSections = columns.map((c) => {
    const bands = r.bands.filter((b) => b.column === c);
    const corr = correlation(bands.map((b) => b.observed), bands.map((b) => b.median));
    return `<section><h3>${esc(c)}</h3>${columnChart(bands)}<p>Observed inside the 90% band: ${fmt(coverage(bands, 'lo90', 'hi90') * 100)}%, inside the 50% band: ${fmt(coverage(bands, 'lo50', 'hi50') * 100)}%; correlation of observed and median: ${fmt(corr)}.</p></section>`;
  }).join('');
  const post = r.posterior;
  const params = r.fit.priors.map((p, i) => {
    const v = post.params.map((x) => x[i]);
    return `<section><h3>${esc(p.name)}</h3>${marginalChart(p, v, post.weights)}<p>Posterior median ${fmt(r.median[p.name])}; prior ${p.log ? 'log-uniform' : 'uniform'} on [${fmt(p.min)}, ${fmt(p.max)}].</p></section>`;
  }).join('');
  const gens = r.generations.map((g) => `<tr><td>${g.generation}</td><td>${Number.isFinite(g.tolerance) ? fmt(g.tolerance) : 'prior'}</td><td>${g.simulations}</td><td>${fmt(g.acceptance * 100)}%</td><td>${fmt(g.ess)}</td></tr>`).join('');
  return `${head(title)}
<h1>${esc(title)}</h1>
<p>ABC-SMC: ${r.generations.length - 1} generations of ${post.params.length} particles after the prior's; ${r.runs} runs (${r.stoppedEarly} stopped early, sure to miss the tolerance) in ${fmt(r.ms / 1000)} s; stopped by ${esc(r.stopped)}. Distance: per column, the root mean square error over the observed periods divided by the column's root mean square, combined by weight.</p>
<h2>Observed and fitted</h2>
${LEGEND}
<div class="grid">${colSections}</div>
<h2>Posterior of the parameters</h2>
<div class="grid">${params}</div>
<h2>Generations</h2>
<table><tr><th>generation</th><th>tolerance</th><th>runs</th><th>acceptance</th><th>effective sample size</th></tr>${gens}</table>
</body></html>
`;
}

/**
 * forecast.html: one self-contained page like report.html (inline SVG and CSS, no scripts,
 * nothing fetched): per fitted column the observed points over the fit's bands (fit.csv), then
 * the forecast's 50% and 90% bands and median (forecast.csv) continuing past the data.
 */
export function forecastReportHtml(fitted: readonly FitBand[], forecast: readonly Omit<FitBand, 'observed'>[], p: { title: string; runs: number; dataDays: number; days: number }): string {
  const columns = [...new Set([...fitted.map((b) => b.column), ...forecast.map((b) => b.column)])];
  const sections = columns.map((c) => `<section data-column="${esc(c)}"><h3>${esc(c)}</h3>${columnChart(fitted.filter((b) => b.column === c), forecast.filter((b) => b.column === c))}</section>`).join('');
  return `${head(p.title)}
<h1>${esc(p.title)}</h1>
<p>The fitted model ${p.days} days past the ${p.dataDays} observed days: ${p.runs} runs at posterior particles drawn by weight, each with its own seed. Left of the dashed line, the fit (observed points, the posterior predictive's bands); right of it, the forecast. The bands carry the posterior's uncertainty and the runs' chance, not what the model leaves out (events, seasons, a change of platform).</p>
${LEGEND.replace('</p>', ' <span style="background:#a63603;height:2px"></span>forecast median <span style="background:#fd8d3c;opacity:.45"></span>forecast 50% <span style="background:#fdd0a2;opacity:.55"></span>forecast 90%</p>')}
<div class="grid">${sections}</div>
</body></html>
`;
}
