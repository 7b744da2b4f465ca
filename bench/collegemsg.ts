/**
 * The CollegeMsg figures of the fit issue (README "A first fit of a real community",
 * bench/RESULTS.md): `observe` the SNAP log weekly, `fit` its first 120 days with the bench's
 * parameter set (the default one and bench/collegemsg-params.json), `forecast` the remaining 73,
 * all through the built CLI as a user runs them, then
 * - in sample: Pearson r of the weekly observed contributors, new contributors and messages
 *   with the fitted median (fit.csv);
 * - out of sample: the share of whole observed weeks after the fit inside the forecast's 90% and
 *   50% bands, and the mean absolute error of the forecast median against two naive forecasts
 *   (the last fitted week; the mean of the last four fitted weeks);
 * - the fit's wall time and runs (manifest.json), and its generations' tolerance and ESS.
 *
 * Run: `npm run build:cli && npx tsx bench/collegemsg.ts [--out DIR] [--workers N] [--particles N]
 * [--generations N] [--seed S] [--kernel olcm|global] [--distance log|relative]
 * [--params FILE|default] [--reuse]` (markdown on stdout; --reuse only recomputes the figures from
 * an earlier run's files in --out). Nothing here is tuned to the data: the fit uses the default
 * parameters and priors of experiments/fit.ts plus the spread of activity and two breaks of the
 * outside calendar placed anywhere in the window (bench/collegemsg-params.json; `--params default`
 * for the default set alone), the log distance and the global kernel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { correlation } from '../experiments/fit-report.js';
import { DEFAULT_FIT_PARAMS, firstDays, parseObservedCsv, simulatedPeriods } from '../experiments/fit.js';
import { parseScenario, runScenario } from '../engine/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : dflt;
};
const out = opt('--out', '/tmp/collegemsg-fit');
// The shared data beside the main checkout or beside a worktree's parent.
const log = opt('--log', [join(root, '../shared/data/collegemsg/CollegeMsg.txt'), join(root, '../../shared/data/collegemsg/CollegeMsg.txt')].find(existsSync) ?? 'CollegeMsg.txt');
const FIT_DAYS = 120;
const FORECAST_DAYS = 73;

function cli(...argv: string[]): number {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bin/community-sim.js'), ...argv], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`community-sim ${argv.join(' ')}: exit ${r.status}`);
  return (Date.now() - t0) / 1000;
}

type Row = Record<string, string>;
const csv = (path: string): Row[] => {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const h = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [h[i], v])));
};

// --reuse: only the figures, from the files of an earlier run in --out.
const reuse = args.includes('--reuse');
mkdirSync(out, { recursive: true });
const observed = join(out, 'observed.csv');
if (!reuse) cli('observe', log, '--format', 'snap', '--period', 'week', '--out', observed);
// Messages: every SNAP line is a post, so `contributions` (posts + replies) on both sides.
// The bench's own parameters: the default set (experiments/fit.ts) and those of
// bench/collegemsg-params.json, the spread of activity (messages per contributor) and the outside
// calendar, a long break and a short one, each with a uniform prior on its start over the whole
// fitted window, on its length, and a log-uniform prior on its depth: the fit places them,
// nothing tells it where term ends. --params FILE: another FIT.json "params" object (alone);
// --params default: the default set alone (the figures before the calendar).
const paramsFile = opt('--params', '');
const params = paramsFile === 'default' ? {} : { params: paramsFile ? JSON.parse(readFileSync(paramsFile, 'utf8')) : { ...DEFAULT_FIT_PARAMS, ...JSON.parse(readFileSync(join(root, 'bench/collegemsg-params.json'), 'utf8')) } };
// The log distance (a launch's weeks span magnitudes: every week should count, and a community
// that never starts should be far) and the global kernel (steadier with seven parameters).
const spec = { ...params, columns: { contributors: 1, newContributors: 1, contributions: 1 }, days: FIT_DAYS, kernel: opt('--kernel', 'global'), distance: opt('--distance', 'log') };
if (!reuse) writeFileSync(join(out, 'fit.json'), JSON.stringify(spec));
const dir = join(out, 'fit');
const fitSeconds = reuse ? NaN : cli('fit', observed, '--params', join(out, 'fit.json'), '--out', dir, '--workers', opt('--workers', '2'), '--seed', opt('--seed', '1'),
  '--particles', opt('--particles', '200'), '--generations', opt('--generations', '6'));
const forecastSeconds = reuse ? NaN : cli('forecast', dir, '--days', String(FORECAST_DAYS), '--runs', '100', '--workers', opt('--workers', '2'));

const obs = csv(observed);
const fitRows = csv(join(dir, 'fit.csv'));
const fc = csv(join(dir, 'forecast.csv'));
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
// The forecast covers the data's days plus FORECAST_DAYS; its last period may be cut short.
const forecastEnd = manifest.observedPeriods.days + FORECAST_DAYS;
const value = (r: Row, c: string) => (c === 'contributions' ? Number(r.posts) + Number(r.replies) : Number(r[c]));
const names: Record<string, string> = { contributors: 'weekly contributors', newContributors: 'new contributors', contributions: 'messages' };

console.log(`fit: ${manifest.runs} runs (${manifest.stoppedEarly} stopped early), ${fitSeconds.toFixed(0)} s wall (manifest ${manifest.seconds.toFixed(0)} s); forecast ${forecastSeconds.toFixed(0)} s`);
console.log(`generations: ${manifest.generations.map((g: { tolerance: number | null; ess: number; acceptance: number }) => `tol ${g.tolerance === null ? 'prior' : g.tolerance.toFixed(3)} ESS ${g.ess.toFixed(0)} acc ${(g.acceptance * 100).toFixed(0)}%`).join('; ')}`);
console.log(`posterior medians: ${Object.entries(manifest.median as Record<string, number>).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(', ')}\n`);
// Single runs at the posterior median (fitted.json), as against the pointwise median of the
// predictive runs: is the band's median a poor summary of runs whose peaks fall on other weeks?
const fittedObs = firstDays(parseObservedCsv(readFileSync(observed, 'utf8')), manifest.observedPeriods.days);
const fittedScenario = parseScenario(JSON.parse(readFileSync(join(dir, 'fitted.json'), 'utf8')));
const SINGLE = 10;
const singles = Array.from({ length: SINGLE }, (_, k) => runScenario(fittedScenario, { seed: 1000 + k }).series);
const singleR = (c: string) => singles.map((s) => correlation(fittedObs.columns[c], simulatedPeriods(s, c, fittedObs))).filter(Number.isFinite);
// The bands' width beside their coverage: a band wide enough holds every week and says little.
console.log('| column | in-sample r | r of single runs at the posterior median (mean, min-max of 10) | weeks in 90% band | in 50% band | 90% band held out (median lo - hi) | MAE forecast median | MAE last week | MAE mean of last 4 |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const c of Object.keys(spec.columns)) {
  const fr = fitRows.filter((r) => r.column === c);
  const r = correlation(fr.map((x) => Number(x.observed)), fr.map((x) => Number(x.median)));
  // Whole weeks after the fit that the forecast covers whole (the log's last week is cut short too).
  const held = fc.filter((x) => x.column === c && Number(x.day) + 7 <= forecastEnd);
  const truth = held.map((x) => value(obs[Number(x.day) / 7], c));
  const inside = (lo: string, hi: string) => held.filter((x, i) => truth[i] >= Number(x[lo]) && truth[i] <= Number(x[hi])).length;
  const fitted = fr.map((x) => Number(x.observed));
  const last = fitted[fitted.length - 1];
  const mean4 = fitted.slice(-4).reduce((s, v) => s + v, 0) / 4;
  const mae = (f: (i: number) => number) => truth.reduce((s, t, i) => s + Math.abs(f(i) - t), 0) / truth.length;
  const rs = singleR(c);
  const single = rs.length ? `${(rs.reduce((a, b) => a + b, 0) / rs.length).toFixed(2)} (${Math.min(...rs).toFixed(2)} to ${Math.max(...rs).toFixed(2)})` : 'undefined';
  const mid = (k: string) => held.map((x) => Number(x[k])).sort((a, b) => a - b)[Math.floor(held.length / 2)];
  console.log(`| ${names[c]} | ${r.toFixed(2)} | ${single} | ${inside('lo90', 'hi90')}/${held.length} | ${inside('lo50', 'hi50')}/${held.length} | ${mid('lo90').toFixed(0)} - ${mid('hi90').toFixed(0)} | ${mae((i) => Number(held[i].median)).toFixed(0)} | ${mae(() => last).toFixed(0)} | ${mae(() => mean4).toFixed(0)} |`);
}
