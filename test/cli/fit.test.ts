// `community-sim fit` through the built binary on the worker pool: the four files, a fitted
// scenario that validates, the same files from the same seed, and bad input (exit 2, one line each).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from './run-cli.js';
import { scratchDir } from './scratch.js';

const scratch = scratchDir('fit');
beforeAll(() => ensureBuilt());

// Weekly joins and members of a community with no members on day 0 (a run with 8 newcomers a day).
const OBSERVED = `date,day,joins,members
2024-01-01,0,56,53
2024-01-08,7,60,96
2024-01-15,14,54,128
2024-01-22,21,54,153
2024-01-29,28,51,172
2024-02-05,35,52,200
`;
const SPEC = { params: { 'population.organicPerDay': { min: 0.5, max: 50, scale: 'log' } }, particles: 12, generations: 1, predictive: 10 };

describe('community-sim fit', () => {
  it('writes posterior.csv, fitted.json, fit.csv and manifest.json; the same seed, the same files', () => {
    const observed = scratch.write('observed.csv', OBSERVED);
    const spec = scratch.write('fit.json', SPEC);
    const outs = ['a', 'b'].map((name) => {
      const out = join(scratch.path, name);
      const r = cli(['fit', observed, '--params', spec, '--out', out, '--workers', '2', '--seed', '5']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^generation 0: tolerance none \(prior\), 12 runs, acceptance 100.0%, ESS 12\ngeneration 1: tolerance /);
      return out;
    });
    const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
    const posterior = read(outs[0], 'posterior.csv').trim().split('\n');
    expect(posterior[0]).toBe('particle,weight,distance,population.organicPerDay');
    expect(posterior.length).toBe(13);
    const fit = read(outs[0], 'fit.csv').trim().split('\n');
    expect(fit[0]).toBe('day,column,observed,median,lo50,hi50,lo90,hi90');
    expect(fit.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '0,joins,56', '7,joins,60', '14,joins,54', '21,joins,54', '28,joins,51', '35,joins,52',
      '0,members,53', '7,members,96', '14,members,128', '21,members,153', '28,members,172', '35,members,200',
    ]);
    const manifest = JSON.parse(read(outs[0], 'manifest.json'));
    expect(manifest.seed).toBe(5);
    expect(manifest.generations.map((g: { generation: number }) => g.generation)).toEqual([0, 1]);
    expect(manifest.files).toEqual(['posterior.csv', 'fitted.json', 'fit.csv', 'report.html', 'generations.json', 'manifest.json']);
    const report = read(outs[0], 'report.html');
    expect(report).toMatch(/^<!doctype html>/);
    expect(report).not.toMatch(/<script|https?:\/\//); // self-contained
    expect(report).toContain('<h3>joins</h3>');
    expect(report).toContain('<h3>population.organicPerDay</h3>');
    const fitted = JSON.parse(read(outs[0], 'fitted.json'));
    expect(fitted.days).toBe(42);
    expect(fitted.population.initialMembers).toBe(0);
    expect(fitted.population.organicPerDay).toBeCloseTo(manifest.median['population.organicPerDay'], 12);
    expect(cli(['validate', join(outs[0], 'fitted.json')]).code).toBe(0);
    for (const f of ['posterior.csv', 'fit.csv', 'fitted.json']) expect(read(outs[1], f)).toBe(read(outs[0], f));

    // forecast: the weeks after the data, the same file from the same fit.
    for (const out of outs) {
      const f = cli(['forecast', out, '--days', '14', '--runs', '10', '--workers', '2']);
      expect(f.stderr).toBe(`10 runs: days 42 to 55 -> ${join(out, 'forecast.csv')}, forecast.html\n`);
    }
    const forecast = read(outs[0], 'forecast.csv').trim().split('\n');
    expect(forecast[0]).toBe('day,column,median,lo50,hi50,lo90,hi90');
    expect(forecast.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['42,joins', '49,joins', '42,members', '49,members']);
    for (const l of forecast.slice(1)) {
      const [, , median, lo50, hi50, lo90, hi90] = l.split(',').map(Number);
      expect(lo90).toBeLessThanOrEqual(lo50);
      expect(lo50).toBeLessThanOrEqual(median);
      expect(median).toBeLessThanOrEqual(hi50);
      expect(hi50).toBeLessThanOrEqual(hi90);
    }
    expect(read(outs[1], 'forecast.csv')).toBe(read(outs[0], 'forecast.csv'));
    // forecast.html: both columns, the observed points of fit.csv, the forecast's bands.
    const page = read(outs[0], 'forecast.html');
    expect(page).not.toMatch(/<script|https?:\/\//);
    expect(page.match(/<section data-column="(joins|members)">/g)!.length).toBe(2);
    expect(page.match(/<circle /g)!.length).toBe(12);
    expect(page.match(/data-part="f90"/g)!.length).toBe(2);
    expect(read(outs[1], 'forecast.html').replaceAll('Forecast of b', 'Forecast of a')).toBe(page);
    expect(cli(['forecast', scratch.path, '--days', '7']).stderr).toMatch(/expected the folder of a finished fit \(no fitted.json there\)/);
  });

  it('--resume goes on from generations.json: one generation, then resumed to two, equals two at once', () => {
    const observed = scratch.write('r-observed.csv', OBSERVED);
    const run = (name: string, generations: number, resume = false) => {
      const out = join(scratch.path, name);
      const r = cli(['fit', observed, '--params', scratch.write('r-fit.json', SPEC), '--out', out, '--workers', '2', '--generations', String(generations), ...(resume ? ['--resume'] : [])]);
      expect(r.code).toBe(0);
      return { out, stderr: r.stderr };
    };
    const whole = run('whole', 2);
    run('parts', 1);
    const resumed = run('parts', 2, true);
    expect(resumed.stderr).toMatch(/^resuming after generation 1\ngeneration 2: /);
    const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
    for (const f of ['posterior.csv', 'fit.csv', 'fitted.json', 'generations.json']) expect(read(resumed.out, f)).toBe(read(whole.out, f));
    const other = cli(['fit', observed, '--params', scratch.write('r-fit.json', SPEC), '--out', resumed.out, '--seed', '9', '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/generations\.json: was written by a fit with other inputs \(seed 1 then, 9 now\); use another --out or start over/);
    // a changed setting is named with its values then and now (a fit begun under one distance is not resumed under another)
    const log = cli(['fit', observed, '--params', scratch.write('r-fit-log.json', { ...SPEC, distance: 'log' }), '--out', resumed.out, '--resume']);
    expect(log.code).toBe(2);
    expect(log.stderr).toMatch(/other inputs \(distance "relative" then, "log" now\)/);
    const fewer = cli(['fit', scratch.write('r-observed-2.csv', OBSERVED.split('\n').slice(0, -3).join('\n') + '\n'), '--params', scratch.write('r-fit.json', SPEC), '--out', resumed.out, '--resume']);
    // fewer observed days: the series, and the base run that long
    expect(fewer.stderr).toMatch(/other inputs \(the observed series; the base scenario\)/);
    expect(cli(['fit', observed, '--out', join(scratch.path, 'none'), '--resume']).stderr).toMatch(/^--resume: expected an interrupted fit in /);
  });

  it('bad input exits 2 naming the field, before any run', () => {
    const observed = scratch.write('o.csv', OBSERVED);
    const bad = cli(['fit', observed, '--params', scratch.write('bad.json', { params: { 'behaviour.churnBase': { min: 0.5, max: 3 } }, columns: { posts: 1 } }), '--out', join(scratch.path, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')).toEqual([
      expect.stringMatching(/bad\.json: params\.behaviour\.churnBase: expected a number in \[0, 1\], got 3$/),
      expect.stringMatching(/bad\.json: columns\.posts: not a column of the observed series \(joins, members\)$/),
      '',
    ]);
    expect(cli(['fit', scratch.write('nod.csv', 'date,joins\nx,1\n'), '--out', join(scratch.path, 'y')]).stderr).toMatch(/nod\.csv: expected a "day" column/);
    expect(cli(['fit', observed]).code).toBe(2); // --out is required
  });
});
