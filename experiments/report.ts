/**
 * The report of a comparison a manager can read (`compare ... --report FILE.html`): one
 * self-contained HTML page (inline CSS and SVG, no script, nothing fetched, opens from disk) with
 * the question (the arms and how each differs from the first), one plain sentence per outcome
 * with its 95% interval, a table with units, definitions and which direction is better, a chart
 * of the differences, where the manager's hours went in each arm, and how to reproduce it.
 *
 * Sizes of differences follow the metric's kind (engine/metrics.ts): percentage points for
 * shares and rates, a relative change for amounts (counts, hours), the difference in its own
 * unit for levels. Every number comes from the CompareResult that `--format json` prints.
 *
 * `optimise` writes a report.html of the same kind: the question (levers, budget, objectives),
 * one sentence per strategy on the front, a scatter of the front with intervals on both
 * objectives and the base's own settings, and the hours by activity of each strategy.
 *
 * `run --report` writes the page of one scenario: what it sets (with each field's definition and
 * evidence), one sentence per key outcome with its 95% interval over the replications, the main
 * series with their bands, where the manager's hours went, the events, and how to reproduce it.
 *
 * Series charts (all three pages) draw each group's median over replications with its 5th-95th
 * percentile band (series-bands.ts).
 */
import { HOURS_METRICS, VERSION, clipInterval, dailyMetric, summaryMetric, type MetricDef, type RunSummary, type Scenario, type SimEvent, type SummaryMetric } from '../engine/index.js';
import { ScenarioSchema, objectShape, parseScenario } from '../scenarios/schema.js';
import type { z } from 'zod';
import type { Arm, CompareResult, CompareRow } from './compare.js';
import type { OptimiseResult, ResolvedOptimisation, Strategy } from './optimise.js';
import type { SeriesBand } from './series-bands.js';
import { meanInterval } from './stats.js';

export interface CompareReportInput {
  result: CompareResult;
  /** The arms as run (their scenarios say how they differ). */
  arms: Arm[];
  /** Base seed of the replications. */
  seed: number;
  /** The command line that reproduces the comparison. */
  command?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number, digits = 3) => (!Number.isFinite(v) ? 'NA' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(digits)).toString());
const signed = (v: number, text: string) => (Number.isFinite(v) && v > 0 ? `+${text}` : text);
const percent = (v: number) => (Number.isFinite(v) ? `${num(v * 100)}%` : 'NA');
const points = (v: number) => (Number.isFinite(v) ? `${signed(v, num(v * 100, 2))} pp` : 'NA');
const relative = (v: number) => (Number.isFinite(v) ? `${signed(v, num(v * 100, 2))}%` : 'NA');

/** A value with its unit, as the metric's kind reads. */
function value(def: MetricDef | undefined, v: number): string {
  if (!def) return num(v);
  if (def.kind === 'share') return percent(v);
  if (def.kind === 'rate') return `${percent(v)} ${def.unit}`;
  return `${num(v)} ${def.unit}`;
}

/** The size of a difference and its interval, as the metric's kind reads (pp, relative, or its unit). */
function change(def: MetricDef | undefined, r: CompareRow): { size: string; interval: string } {
  if (!Number.isFinite(r.diff)) return { size: 'NA', interval: 'NA' };
  const kind = def?.kind ?? 'level';
  if (kind === 'share' || kind === 'rate') return { size: points(r.diff), interval: `${points(r.ciLow)} to ${points(r.ciHigh)}` };
  if (kind === 'amount' && Number.isFinite(r.relChange) && r.a !== 0) {
    return { size: relative(r.relChange), interval: `${relative(r.ciLow / Math.abs(r.a))} to ${relative(r.ciHigh / Math.abs(r.a))}` };
  }
  const u = def ? ` ${def.unit}` : '';
  return { size: `${signed(r.diff, num(r.diff))}${u}`, interval: `${signed(r.ciLow, num(r.ciLow))} to ${signed(r.ciHigh, num(r.ciHigh))}${u}` };
}

type Verdict = 'better' | 'worse' | 'different' | 'unclear' | 'na';

/** Better, worse, different (no better direction) or unclear (the interval includes no change). */
function verdict(def: MetricDef | undefined, r: CompareRow): Verdict {
  if (!Number.isFinite(r.diff) || r.n === 0) return 'na';
  if (!r.significant) return 'unclear';
  if (!def || def.better === 'none') return 'different';
  return (r.diff > 0) === (def.better === 'higher') ? 'better' : 'worse';
}

const VERDICT_TEXT: Record<Verdict, string> = {
  better: 'better',
  worse: 'worse',
  different: 'a clear difference (neither direction is better)',
  unclear: 'no clear difference: the interval includes no change',
  na: 'not measured in these runs',
};

/** One plain sentence about one metric of one arm against the first. */
export function outcomeSentence(armA: string, armB: string, r: CompareRow): string {
  const def = summaryMetric(r.metric);
  const v = verdict(def, r);
  if (v === 'na') return `${armB} against ${armA}: ${r.metric} was not measured (undefined in every paired run).`;
  const { size, interval } = change(def, r);
  const how = r.diff === 0 ? 'unchanged' : `${size.replace(/^[+-]/, '')} ${r.diff > 0 ? 'higher' : 'lower'}`;
  return `${armB} against ${armA}: ${r.metric} is ${how} (${value(def, r.b)} against ${value(def, r.a)}; 95% interval ${interval}): ${VERDICT_TEXT[v]}.`;
}

/** Dotted paths where `b` differs from `a`, with both values (name and description left out). */
export function scenarioDifferences(a: Scenario, b: Scenario): { path: string; a: unknown; b: unknown }[] {
  const out: { path: string; a: unknown; b: unknown }[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(x) && isObj(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (!path && (k === 'name' || k === 'description')) continue;
        walk(x[k], y[k], path ? `${path}.${k}` : k);
      }
    } else if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path, a: x, b: y });
  };
  walk(a, b, '');
  return out;
}

const COLOURS: Record<Verdict, string> = { better: '#1a7f37', worse: '#c62828', different: '#6a4c93', unclear: '#777', na: '#bbb' };

/** A chart of each metric's difference with its interval, each row on its own scale around 0. */
function differenceChart(armA: string, armB: string, rows: CompareRow[]): string {
  const rowH = 30, left = 190, width = 360, right = 180, top = 24;
  const h = top + rows.length * rowH + 10;
  const parts = rows.map((r, i) => {
    const def = summaryMetric(r.metric);
    const v = verdict(def, r);
    const y = top + i * rowH + rowH / 2;
    const extent = Math.max(Math.abs(r.ciLow), Math.abs(r.ciHigh), Math.abs(r.diff)) * 1.15 || 1;
    const x = (d: number) => left + width / 2 + (Number.isFinite(d) ? (d / extent) * (width / 2) : 0);
    const { size, interval } = change(def, r);
    const bar = Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh) ? `<line x1="${x(r.ciLow).toFixed(1)}" x2="${x(r.ciHigh).toFixed(1)}" y1="${y}" y2="${y}" stroke="${COLOURS[v]}" stroke-width="4" stroke-linecap="round"/>` : '';
    const dot = Number.isFinite(r.diff) ? `<circle cx="${x(r.diff).toFixed(1)}" cy="${y}" r="5" fill="${COLOURS[v]}"/>` : '';
    return `<text x="${left - 10}" y="${y + 4}" text-anchor="end">${esc(r.metric)}</text>${bar}${dot}<text x="${left + width + 10}" y="${y + 4}" fill="${COLOURS[v]}">${esc(size)} [${esc(interval)}]</text>`;
  });
  return `<svg role="img" aria-label="Differences of ${esc(armB)} against ${esc(armA)} with 95% intervals" viewBox="0 0 ${left + width + right + 200} ${h}" width="100%" style="max-width:${left + width + right + 200}px">
<text x="${left + width / 2}" y="14" text-anchor="middle" class="axis">← lower · 0 · higher → (each row on its own scale)</text>
<line x1="${left + width / 2}" x2="${left + width / 2}" y1="${top - 4}" y2="${h - 6}" stroke="#999" stroke-dasharray="3 3"/>
${parts.join('\n')}
</svg>`;
}

const HOUR_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Stacked bars: each arm's mean hours a day by activity. */
function hoursChart(arms: string[], hours: Record<string, number>[]): string {
  const keys = HOURS_METRICS.filter((k) => hours.some((h) => h[k] > 0));
  const max = Math.max(...hours.map((h) => h.managerHoursUsed), 0.01);
  const left = 160, width = 460, rowH = 28, top = 10;
  const legendY = top + arms.length * rowH + 16;
  const bars = arms.map((arm, i) => {
    let x = left;
    const y = top + i * rowH;
    const segs = keys.map((k, j) => {
      const w = ((hours[i][k] || 0) / max) * width;
      const seg = w > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${HOUR_COLOURS[j % HOUR_COLOURS.length]}"><title>${esc(`${k}: ${num(hours[i][k])} hours/day`)}</title></rect>` : '';
      x += w;
      return seg;
    });
    return `<text x="${left - 10}" y="${y + rowH / 2}" text-anchor="end">${esc(arm)}</text>${segs.join('')}<text x="${(x + 8).toFixed(1)}" y="${y + rowH / 2}">${esc(num(hours[i].managerHoursUsed))} hours/day</text>`;
  });
  const legend = keys.map((k, j) => `<rect x="${left + (j % 4) * 150}" y="${legendY + Math.floor(j / 4) * 18}" width="10" height="10" fill="${HOUR_COLOURS[j % HOUR_COLOURS.length]}"/><text x="${left + (j % 4) * 150 + 14}" y="${legendY + Math.floor(j / 4) * 18 + 9}">${esc(k.replace(/^hours/, '').toLowerCase())}</text>`);
  const h = legendY + Math.ceil(keys.length / 4) * 18 + 8;
  return `<svg role="img" aria-label="Manager hours a day by activity in each arm" viewBox="0 0 ${left + width + 140} ${h}" width="100%" style="max-width:${left + width + 140}px">${bars.join('\n')}${legend.join('')}</svg>`;
}

const CSS = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.5em 0}
td,th{border-bottom:1px solid #eee;padding:.3em .6em;text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}
.better{color:#1a7f37}.worse{color:#c62828}.unclear,.na{color:#666}.different{color:#6a4c93}.def{color:#666;font-size:.85em}
svg text{font:12px system-ui,sans-serif}svg .axis{fill:#666}code{background:#f4f4f4;padding:0 .2em}li{margin:.3em 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:.8em 1.2em}figure{margin:0}figcaption{font-size:.9em}`;

/** The report page. */
export function compareReport(input: CompareReportInput): string {
  const { result, arms, seed } = input;
  const first = result.arms[0];
  const others = result.arms.slice(1);
  const rowsOf = (arm: string) => result.rows.filter((r) => (r.arm ?? result.arms[1]) === arm);

  const question = arms.map((arm, i) => {
    if (i === 0) return `<li><b>${esc(arm.name)}</b>: the baseline${arm.scenario.name ? ` (${esc(arm.scenario.name)})` : ''}, ${arm.scenario.days} days.</li>`;
    const diffs = scenarioDifferences(arms[0].scenario, arm.scenario);
    const list = diffs.length ? diffs.map((d) => `<code>${esc(d.path)}</code> ${esc(JSON.stringify(d.a) ?? 'unset')} → ${esc(JSON.stringify(d.b) ?? 'unset')}`).join('; ') : 'the same scenario';
    return `<li><b>${esc(arm.name)}</b>: ${list}.</li>`;
  });

  const sentences = others.flatMap((arm) =>
    rowsOf(arm).map((r) => {
      const v = verdict(summaryMetric(r.metric), r);
      return `<li class="${v}" data-arm="${esc(arm)}" data-metric="${r.metric}" data-diff="${r.diff}" data-ci-low="${r.ciLow}" data-ci-high="${r.ciHigh}">${esc(outcomeSentence(first, arm, r))}</li>`;
    }),
  );

  // the verdict in one line per arm: the metrics grouped by their verdict, in the table's order
  const verdicts = others.map((arm) => {
    const by = (v: Verdict) => rowsOf(arm).filter((r) => verdict(summaryMetric(r.metric), r) === v).map((r) => r.metric);
    const parts = ([['better', 'better on'], ['worse', 'worse on'], ['different', 'different (neither direction better) on'], ['unclear', 'no clear difference on']] as const)
      .map(([v, text]) => [text, by(v)] as const)
      .filter(([, ms]) => ms.length)
      .map(([text, ms]) => `<span class="${text.split(' ')[0] === 'no' ? 'unclear' : text.split(' ')[0]}">${text} ${ms.map(esc).join(', ')}</span>`);
    return `<p class="verdict" data-arm="${esc(arm)}"><b>${esc(arm)} against ${esc(first)}</b>: ${parts.join('; ') || 'nothing measured'}.</p>`;
  });

  const tables = others.map((arm) => {
    const body = rowsOf(arm).map((r) => {
      const def = summaryMetric(r.metric);
      const v = verdict(def, r);
      const { size, interval } = change(def, r);
      return `<tr><td><b>${esc(r.metric)}</b><div class="def">${esc(def?.description ?? '')}</div></td><td>${esc(def?.unit ?? '')}</td><td>${esc(def?.better ?? 'none')}</td><td class="n">${esc(value(def, r.a))}</td><td class="n">${esc(value(def, r.b))}</td><td class="n">${esc(size)}</td><td class="n">${esc(interval)}</td><td class="n">${r.n}</td><td class="${v}">${esc(v === 'unclear' ? 'no clear difference' : v === 'na' ? 'NA' : v)}</td></tr>`;
    });
    return `<h3>${esc(arm)} against ${esc(first)}</h3>
<table><thead><tr><th>metric</th><th>unit</th><th>better</th><th>${esc(first)}</th><th>${esc(arm)}</th><th>change</th><th>95% interval</th><th>n</th><th>verdict</th></tr></thead><tbody>
${body.join('\n')}
</tbody></table>
${differenceChart(first, arm, rowsOf(arm))}`;
  });

  const armList = result.arms.map(esc).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Comparison: ${armList}</title>
<style>${CSS}</style></head>
<body>
<h1>Comparison: ${armList}</h1>
<h2>The question</h2>
<p>Which strategy does better? Every arm ran the same ${result.reps} replications (the same random seeds, so differences are paired run by run). Each arm after the first is compared with the first.</p>
<ul>${question.join('\n')}</ul>
<h2>Verdict</h2>
${verdicts.join('\n')}
<h2>Outcomes</h2>
<p>Changes are in percentage points (pp) for shares and rates and relative (%) for counts and hours; the 95% interval is that of the paired difference.</p>
<ul>${sentences.join('\n')}</ul>
<h2>Details</h2>
${tables.join('\n')}
${result.series?.some((b) => b.length) ? `<h2>Over time</h2>\n${seriesCharts(result.arms.map((name, i) => ({ name, bands: result.series![i] ?? [] })))}` : ''}
<h2>Where the manager's hours went</h2>
<p>Mean hours a day over the runs of each arm, by activity.</p>
${hoursChart(result.arms, result.hours)}
<h2>Reproduce</h2>
<ul><li>community-sim ${esc(VERSION)}, base seed ${seed}, ${result.reps} replications (seeds ${result.seeds.join(', ')}).</li>
${input.command ? `<li><code>${esc(input.command)}</code></li>` : ''}
<li>Metric definitions: <code>community-sim metrics</code>. The model and the findings it rests on: MODEL.md.</li></ul>
</body></html>
`;
}

/** What the optimiser report shows: the spec as resolved and the search's result. */
export interface OptimiseReportInput {
  spec: ResolvedOptimisation;
  result: OptimiseResult;
  command?: string;
}

/** A scatter of the first two objectives: the front with 95% intervals on both axes, and the base's own settings. */
export function frontChart(result: Pick<OptimiseResult, 'front' | 'base'>): string {
  const [ox, oy] = result.base.objectives;
  if (!ox || !oy) return '';
  const pts = [...result.front, result.base];
  const xs = pts.flatMap((s) => [s.objectives[0].ciLow, s.objectives[0].ciHigh, s.objectives[0].mean]).filter(Number.isFinite);
  const ys = pts.flatMap((s) => [s.objectives[1].ciLow, s.objectives[1].ciHigh, s.objectives[1].mean]).filter(Number.isFinite);
  const pad = (lo: number, hi: number) => (hi > lo ? [lo - (hi - lo) * 0.08, hi + (hi - lo) * 0.08] : [lo - 1, hi + 1]);
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const W = 560, H = 380, L = 80, B = 50, T = 20, R = 20;
  const X = (v: number) => L + ((v - x0) / (x1 - x0)) * (W - L - R);
  const Y = (v: number) => H - B - ((v - y0) / (y1 - y0)) * (H - B - T);
  const dx = summaryMetric(ox.metric), dy = summaryMetric(oy.metric);
  const axisValue = (def: MetricDef | undefined, v: number) => (def?.kind === 'share' || def?.kind === 'rate' ? percent(v) : num(v));
  const ticks = (lo: number, hi: number) => Array.from({ length: 5 }, (_, i) => lo + ((hi - lo) * i) / 4);
  const marks = pts.map((s, i) => {
    const isBase = i === pts.length - 1;
    const [a, b] = s.objectives;
    const cx = X(a.mean), cy = Y(b.mean);
    const colour = isBase ? '#c62828' : '#1f5fa8';
    const bar = (x1_: number, y1_: number, x2: number, y2: number) => (Number.isFinite(x1_ + y1_ + x2 + y2) ? `<line x1="${x1_.toFixed(1)}" y1="${y1_.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${colour}" stroke-opacity=".5"/>` : '');
    const mark = isBase ? `<rect x="${(cx - 5).toFixed(1)}" y="${(cy - 5).toFixed(1)}" width="10" height="10" fill="${colour}"/>` : `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="${colour}"/>`;
    const label = `<text x="${(cx + 8).toFixed(1)}" y="${(cy - 6).toFixed(1)}" fill="${colour}">${isBase ? 'base' : `#${s.candidate}`}</text>`;
    return `${bar(X(a.ciLow), cy, X(a.ciHigh), cy)}${bar(cx, Y(b.ciLow), cx, Y(b.ciHigh))}${mark}${label}`;
  });
  const xt = ticks(x0, x1).map((v) => `<text x="${X(v).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" class="axis">${esc(axisValue(dx, v))}</text>`);
  const yt = ticks(y0, y1).map((v) => `<text x="${L - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end" class="axis">${esc(axisValue(dy, v))}</text>`);
  const better = (goal: string) => (goal === 'max' ? 'higher is better' : 'lower is better');
  return `<svg role="img" aria-label="The front: ${esc(ox.metric)} against ${esc(oy.metric)}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px">
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#999"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#999"/>
${xt.join('')}${yt.join('')}
<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${esc(`${ox.metric} (${dx?.unit ?? ''}; ${better(ox.goal)})`)}</text>
<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(`${oy.metric} (${dy?.unit ?? ''}; ${better(oy.goal)})`)}</text>
${marks.join('\n')}
</svg>`;
}

/** How many strategies on the front beat the base's own settings, by the paired 95% intervals and on the means only. */
function dominationText(front: Strategy[]): string {
  const ci = front.filter((st) => st.dominatesBaseCI).map((st) => `#${st.candidate}`);
  const means = front.filter((st) => st.dominatesBase && !st.dominatesBaseCI).map((st) => `#${st.candidate}`);
  const list = (xs: string[]) => (xs.length ? ` (${xs.join(', ')})` : '');
  return `${ci.length} of the ${front.length} strategies dominate them by the 95% intervals of the paired differences (no objective worse, at least one better)${list(ci)}; ${means.length} more dominate them on the means only${list(means)}; the rest trade one objective for another.`;
}

/** The optimiser's report page (report.html of `optimise`). */
export function optimiseReport(input: OptimiseReportInput): string {
  const { spec: opt, result } = input;
  const s = opt.spec;
  const leverText = (st: Strategy) => opt.levers.map((l) => `${l.name} ${num(st.levers[l.name])}`).join(', ');
  const objText = (st: Strategy) =>
    st.objectives.map((o) => {
      const def = summaryMetric(o.metric);
      return `${o.metric} ${value(def, o.mean)} (95% interval ${value(def, o.ciLow)} to ${value(def, o.ciHigh)})`;
    }).join('; ');
  const verdictText = (st: Strategy) => (st.dominatesBaseCI ? 'beats the base\'s own settings on every objective (95% intervals)' : st.dominatesBase ? 'beats the base\'s own settings on the means, not on every interval' : 'does not beat the base\'s own settings on every objective');
  const sentences = result.front.map((st) => `<li data-candidate="${st.candidate}"><b>#${st.candidate}</b>: ${esc(leverText(st))} gives ${esc(objText(st))}, using ${esc(num(st.hours.managerHoursUsed))} hours/day; it ${verdictText(st)}.</li>`);
  const baseLine = `<li><b>base</b> (the base's own settings): ${esc(leverText(result.base))} gives ${esc(objText(result.base))}, using ${esc(num(result.base.hours.managerHoursUsed))} hours/day${result.base.feasible ? '' : ', over the budget'}.</li>`;
  const objectives = s.objectives.map((o, k) => {
    const def = summaryMetric(o.metric);
    return `<li><b>${esc(o.metric)}</b>, ${opt.goals[k] === 'max' ? 'as high' : 'as low'} as possible (${esc(def?.unit ?? '')}): ${esc(def?.description ?? '')}</li>`;
  });
  const strategies = [...result.front, result.base];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Best use of ${esc(num(s.budget.hoursPerDay))} hours a day: ${esc(opt.baseLabel)}</title>
<style>${CSS}</style></head>
<body>
<h1>Best use of ${esc(num(s.budget.hoursPerDay))} manager hours a day: ${esc(opt.baseLabel)}</h1>
<h2>The question</h2>
<p>Which settings of the levers below do best on these outcomes over ${opt.base.days} days, with the manager's activities taking at most ${esc(num(s.budget.hoursPerDay))} hours a day on average (as the model counts the hours each activity took)?</p>
<ul>${objectives.join('\n')}</ul>
<p>Levers searched: ${opt.levers.map((l) => `<code>${esc(l.name)}</code> ${num(l.min)} to ${num(l.max)}${l.integer ? ' (whole numbers)' : ''}`).join(', ')}.</p>
<h2>The front</h2>
<p>${result.front.length} strategies where no outcome can be improved without losing on another, each re-run ${opt.finalReps} times with the same seeds for its 95% intervals.</p>
<p class="verdict" data-dominates-base-ci="${result.front.filter((st) => st.dominatesBaseCI).map((st) => st.candidate).join(' ')}" data-dominates-base="${result.front.filter((st) => st.dominatesBase).map((st) => st.candidate).join(' ')}"><b>Against the base's own settings</b> (${esc(leverText(result.base))}; ${esc(num(result.base.hours.managerHoursUsed))} hours/day${result.base.feasible ? '' : ', over the budget'}): ${dominationText(result.front)}</p>
<ul>${sentences.join('\n')}
${baseLine}</ul>
${frontChart(result)}
${result.series ? `<h2>Over time</h2>\n<p>The base's own settings and ${result.series.length - 1 < result.front.length ? `${result.series.length - 1} strategies spread along the front` : 'the strategies on the front'}, over the runs this search made of each.</p>\n${seriesCharts(result.series)}` : ''}
<h2>Where the manager's hours went</h2>
<p>Mean hours a day by activity for each strategy on the front and the base's own settings.</p>
${hoursChart(strategies.map((st, i) => (i === strategies.length - 1 ? 'base' : `#${st.candidate}`)), strategies.map((st) => st.hours))}
<h2>Reproduce</h2>
<ul><li>community-sim ${esc(VERSION)}, seed ${s.seed}, ${result.runs} runs, ${result.generations} generations of ${opt.populationSize} candidates (NSGA-II), ${s.reps} replication${s.reps === 1 ? '' : 's'} a candidate during the search.</li>
${input.command ? `<li><code>${esc(input.command)}</code></li>` : ''}
<li>Every run: candidates.csv; the front: front.csv; the spec: manifest.json.</li></ul>
</body></html>
`;
}

const GROUP_COLOURS = ['#1f5fa8', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#9c755f', '#edc948'];

/** One group's bands (an arm, a strategy, the run) for the series charts. */
export interface SeriesGroup {
  name: string;
  bands: SeriesBand[];
}

/** A polyline through the finite points, broken where a value is undefined. */
function linePath(xs: number[], ys: number[]): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i])) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${xs[i].toFixed(1)},${ys[i].toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Closed areas between low and high over each run of days where both are finite. */
function bandPath(xs: number[], lo: number[], hi: number[]): string {
  let d = '';
  let start = -1;
  const close = (end: number) => {
    if (start < 0) return;
    const idx = Array.from({ length: end - start }, (_, k) => start + k);
    d += `M${idx.map((i) => `${xs[i].toFixed(1)},${hi[i].toFixed(1)}`).join('L')}L${idx.reverse().map((i) => `${xs[i].toFixed(1)},${lo[i].toFixed(1)}`).join('L')}Z`;
    start = -1;
  };
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(lo[i]) && Number.isFinite(hi[i])) { if (start < 0) start = i; } else close(i);
  }
  close(xs.length);
  return d;
}

/**
 * Small multiples of the daily series: per metric (skipped when every group's median is 0 or
 * undefined, e.g. customers without a business block) each group's median line and, over two or
 * more runs, its 5th-95th percentile band.
 */
export function seriesCharts(groups: SeriesGroup[]): string {
  const metrics = groups[0]?.bands.map((b) => b.metric) ?? [];
  const W = 500, H = 210, L = 58, R = 12, T = 12, B = 28;
  const charts = metrics.flatMap((metric) => {
    const bands = groups.map((g) => g.bands.find((b) => b.metric === metric)).filter((b): b is SeriesBand => !!b);
    if (!bands.some((b) => b.median.some((v) => Number.isFinite(v) && v !== 0))) return [];
    const def = dailyMetric(metric);
    const days = bands.flatMap((b) => b.day);
    const d0 = Math.min(...days), d1 = Math.max(...days, d0 + 1);
    const ys = bands.flatMap((b) => [...b.low, ...b.high, ...b.median]).filter(Number.isFinite);
    const y0 = Math.min(0, ...ys);
    const y1 = Math.max(...ys, y0 + (def?.kind === 'share' ? 0.01 : 1));
    const X = (d: number) => L + ((d - d0) / (d1 - d0)) * (W - L - R);
    const Y = (v: number) => (Number.isFinite(v) ? H - B - ((v - y0) / (y1 - y0)) * (H - T - B) : NaN);
    const tick = (v: number) => (def?.kind === 'share' ? percent(v) : num(v));
    const yt = [0, 0.5, 1].map((f) => y0 + (y1 - y0) * f).map((v) => `<text x="${L - 5}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end" class="axis">${esc(tick(v))}</text><line x1="${L}" x2="${W - R}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#eee"/>`);
    const marks = bands.map((b, i) => {
      const colour = GROUP_COLOURS[i % GROUP_COLOURS.length];
      const xs = b.day.map(X);
      const area = b.runs > 1 ? `<path d="${bandPath(xs, b.low.map(Y), b.high.map(Y))}" fill="${colour}" fill-opacity=".18"/>` : '';
      return `${area}<path d="${linePath(xs, b.median.map(Y))}" fill="none" stroke="${colour}" stroke-width="1.6"><title>${esc(groups[i].name)}</title></path>`;
    });
    const better = def?.better === 'higher' ? 'higher is better' : def?.better === 'lower' ? 'lower is better' : 'neither direction is better';
    return [`<figure data-series="${metric}"><figcaption><b>${esc(metric)}</b> (${esc(def?.unit ?? '')}; ${better})<div class="def">${esc(def?.description ?? '')}</div></figcaption>
<svg role="img" aria-label="${esc(metric)} by day" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px">${yt.join('')}
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#999"/>${marks.join('')}
<text x="${L}" y="${H - 8}" class="axis">day ${d0}</text><text x="${W - R}" y="${H - 8}" text-anchor="end" class="axis">day ${d1}</text></svg></figure>`];
  });
  const runs = groups.map((g) => g.bands[0]?.runs ?? 0);
  const legend = groups.length > 1 ? `<p class="legend">${groups.map((g, i) => `<span style="color:${GROUP_COLOURS[i % GROUP_COLOURS.length]}">&#9632;</span> ${esc(g.name)}`).join(' &nbsp; ')}</p>` : '';
  const how = Math.max(...runs) > 1
    ? `Lines are the median over the replications (${[...new Set(runs)].join(', ')} runs a ${groups.length > 1 ? 'group' : 'chart'}); the shaded band holds the middle 90% of the runs (5th to 95th percentile) day by day.`
    : 'One run: the line is that run (more replications draw a band of the range runs end up in).';
  return `<p>${how}</p>${legend}<div class="charts">${charts.join('\n')}</div>`;
}

/** The metrics whose sentences a run's report gives (those undefined or always 0 in every run are left out). */
export const RUN_REPORT_METRICS: SummaryMetric[] = [
  'finalMembers', 'growthRate', 'meanActive', 'meanContributors', 'meanToxicShare', 'retentionD30', 'retentionD90',
  'answeredShare', 'medianResponseHours', 'newcomerRepliedShare', 'totalMentionsOutside', 'finalCustomers', 'totalConversions', 'nps', 'dead',
];

export interface RunReportInput {
  scenario: Scenario;
  /** Where the scenario came from: a preset name, a file, "defaults". */
  source: string;
  /** Each replication's summary, in seed order. */
  summaries: RunSummary[];
  seeds: number[];
  /** The main series over the replications (series-bands.ts). */
  bands: SeriesBand[];
  /** The events of the first replication. */
  events?: SimEvent[];
  command?: string;
}

/** The schema node at a dotted scenario path (undefined for a list's items or an unknown path). */
function schemaNode(path: string): z.ZodType | undefined {
  let node: z.ZodType | undefined = ScenarioSchema;
  for (const k of path.split('.')) {
    const shape: Record<string, z.ZodType> | null = node ? objectShape(node) : null;
    node = shape?.[k];
    if (!node) return undefined;
  }
  return node;
}

/** A field's definition (its description with unit and evidence, as `community-sim schema` gives it). */
function fieldDoc(path: string): { description: string; evidence: string[] } {
  const node = schemaNode(path);
  const meta = (node as unknown as { meta?: () => { evidence?: string } | undefined } | undefined)?.meta?.();
  const description = node?.description ?? '';
  if (meta?.evidence) return { description, evidence: [meta.evidence] };
  // a lever's description names its sources in passing: "(Joyce & Kraut 2006 ...)", "(seeds)"
  const cited = description.match(/[A-Z][\w-]+(?: et al\.| (?:&|and) [A-Z][\w-]+)? \(?(?:19|20)\d{2}\)?|\bseeds\b/g) ?? [];
  return { description, evidence: [...new Set(cited.map((c) => (c === 'seeds' ? 'seeds (the project\'s practitioner sources)' : c.replace(/[()]/g, ''))))] };
}

/** One plain sentence about one outcome of a run: value (mean and 95% interval over replications), unit, direction, definition. */
export function runSentence(metric: SummaryMetric, values: ArrayLike<number>): { text: string; mean: number; ciLow: number; ciHigh: number; n: number } {
  const def = summaryMetric(metric);
  const iv = meanInterval(values);
  const [ciLow, ciHigh] = clipInterval(def, iv.low, iv.high);
  const better = def?.better === 'higher' ? 'higher is better' : def?.better === 'lower' ? 'lower is better' : 'neither direction is better';
  const spread = iv.n === 0 ? 'undefined in every run' : iv.n === 1 ? `one run; ${better}` : `mean of ${iv.n} runs, 95% interval ${value(def, ciLow)} to ${value(def, ciHigh)}; ${better}`;
  const text = `${metric}: ${iv.n ? value(def, iv.mean) : 'NA'} (${spread}). ${def?.description ?? ''}`;
  return { text, mean: iv.mean, ciLow, ciHigh, n: iv.n };
}

/** The page of one scenario's run or replications (`community-sim run --report FILE.html`). */
export function runReport(input: RunReportInput): string {
  const { scenario, summaries, seeds } = input;
  const title = scenario.name ?? input.source;
  const diffs = scenarioDifferences(parseScenario({}), scenario).filter((d) => d.path !== 'seed');
  const setRows = diffs.map((d) => {
    const doc = fieldDoc(d.path);
    return `<tr><td><code>${esc(d.path)}</code></td><td class="n">${esc(JSON.stringify(d.b) ?? 'unset')}</td><td class="n">${esc(JSON.stringify(d.a) ?? 'unset')}</td><td class="def">${esc(doc.description)}</td></tr>`;
  });
  const evidence = new Map<string, string[]>();
  for (const d of diffs) {
    // a block set as a whole (schedule, shocks) has no evidence of its own; its fields' do
    for (const ev of fieldDoc(d.path).evidence) evidence.set(ev, [...(evidence.get(ev) ?? []), d.path]);
  }
  const metrics = RUN_REPORT_METRICS.filter((m) => summaries.some((s) => Number.isFinite(s[m]) && s[m] !== 0) || m === 'finalMembers' || m === 'meanToxicShare');
  const sentences = metrics.map((m) => {
    const r = runSentence(m, summaries.map((s) => s[m]));
    return `<li data-metric="${m}" data-mean="${r.mean}" data-ci-low="${r.ciLow}" data-ci-high="${r.ciHigh}" data-n="${r.n}">${esc(r.text)}</li>`;
  });
  const hourKeys = ['managerHoursUsed', ...HOURS_METRICS] as SummaryMetric[];
  const hours = Object.fromEntries(hourKeys.map((k) => [k, meanInterval(summaries.map((s) => s[k])).mean]));
  const split = HOURS_METRICS.filter((k) => hours[k] > 0.005).sort((a, b) => hours[b] - hours[a]).map((k) => `${num(hours[k], 2)} ${k.replace(/^hours/, '').toLowerCase()}`);
  const hoursText = `The manager used ${num(hours.managerHoursUsed, 2)} of the ${num(scenario.manager.hoursPerDay)} hours a day available on average${split.length ? `: ${split.join(', ')}` : ''}.`;
  const events = (input.events ?? []).slice(0, 40).map((e) => `<li>day ${e.day} (${esc(e.kind)}): ${esc(e.text)}</li>`);
  const more = (input.events?.length ?? 0) > 40 ? `<li>... and ${input.events!.length - 40} more (the run's JSON lists them all).</li>` : '';
  const reps = summaries.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Run: ${esc(title)}</title>
<style>${CSS}</style></head>
<body>
<h1>Run: ${esc(title)}</h1>
${scenario.description ? `<p>${esc(scenario.description)}</p>` : ''}
<h2>The scenario</h2>
<p>${esc(input.source)}: ${scenario.days} days from ${num(scenario.population.initialMembers)} members, a manager with ${num(scenario.manager.hoursPerDay)} hours a day; ${reps === 1 ? 'one run' : `${reps} replications (the same scenario with different seeds)`}.</p>
${setRows.length ? `<p>What it sets, against the defaults of every scenario:</p>
<table><thead><tr><th>field</th><th>here</th><th>default</th><th>definition, unit and evidence</th></tr></thead><tbody>
${setRows.join('\n')}
</tbody></table>` : '<p>Every field at its default.</p>'}
<h2>Outcomes</h2>
<p>${reps === 1 ? 'One run: no interval (run with --reps for one).' : `Mean over ${reps} runs with the 95% interval of the mean.`}</p>
<ul>${sentences.join('\n')}</ul>
<h2>Over time</h2>
${seriesCharts([{ name: title, bands: input.bands }])}
<h2>Where the manager's hours went</h2>
<p>${esc(hoursText)}</p>
${hoursChart([title], [hours])}
<h2>What it rests on</h2>
<p>The model's mechanisms and the published findings behind them are in MODEL.md; every coefficient's unit, range and evidence in <code>community-sim schema</code>. The fields this scenario sets rest on:</p>
<ul>${[...evidence].map(([ev, paths]) => `<li>${esc(ev)}: ${paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}</li>`).join('\n') || '<li>nothing beyond the defaults.</li>'}</ul>
${events.length ? `<h2>Events${reps > 1 ? ` of the first run (seed ${seeds[0]})` : ''}</h2>\n<ul>${events.join('\n')}${more}</ul>` : ''}
<h2>Reproduce</h2>
<ul><li>community-sim ${esc(VERSION)}, seed${reps === 1 ? '' : 's'} ${seeds.join(', ')}.</li>
${input.command ? `<li><code>${esc(input.command)}</code></li>` : ''}
<li>Metric definitions: <code>community-sim metrics</code>.</li></ul>
</body></html>
`;
}
