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
 */
import { VERSION, summaryMetric, type MetricDef, type Scenario, type SummaryMetric } from '../engine/index.js';
import type { Arm, CompareResult, CompareRow } from './compare.js';
import { HOURS_METRICS } from './schema.js';

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
svg text{font:12px system-ui,sans-serif}svg .axis{fill:#666}code{background:#f4f4f4;padding:0 .2em}li{margin:.3em 0}`;

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
<h2>Outcomes</h2>
<p>Changes are in percentage points (pp) for shares and rates and relative (%) for counts and hours; the 95% interval is that of the paired difference.</p>
<ul>${sentences.join('\n')}</ul>
<h2>Details</h2>
${tables.join('\n')}
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
