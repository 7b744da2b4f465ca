// forecast.html: the observed points and the fit's bands, then the forecast's bands past the
// data, on one page a real Chromium opens from disk with no request leaving the file and no
// console error. Bands are built by hand (no runs): the page is what is tested here; the
// forecast command writing it is tested in test/cli/fit.test.ts.
import { describe, expect, it } from 'vitest';
import { forecastReportHtml } from '../../experiments/fit-report.js';
import { parseFitCsv, type FitBand } from '../../experiments/fit.js';
import { scratchDir } from '../cli/scratch.js';
import { hasChromium, openStaticPage } from './static-page.js';

const band = (day: number, column: string, v: number, observed = NaN): FitBand => ({ day, column, observed, median: v, lo50: v - 2, hi50: v + 2, lo90: v - 5, hi90: v + 5 });
// Six observed weeks (one with an empty observed cell), three forecast weeks, two columns.
const fitted = ['posts', 'contributors'].flatMap((c) => [0, 7, 14, 21, 28, 35].map((d) => band(d, c, 20 + d, d === 14 && c === 'posts' ? NaN : 19 + d)));
const forecast = ['posts', 'contributors'].flatMap((c) => [42, 49, 56].map((d) => band(d, c, 60 + d)));
const html = forecastReportHtml(fitted, forecast, { title: 'Forecast of <forum>', runs: 40, dataDays: 42, days: 21 });

describe('forecast.html', () => {
  it('is self-contained, escapes the title, one section per column', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/https?:|<script|<link|<img|src=|@import|url\(/);
    expect(html).toContain('<title>Forecast of &#60;forum&#62;</title>');
    expect(html.match(/<section data-column=/g)!.length).toBe(2);
    expect(html).toContain('21 days past the 42 observed days: 40 runs');
  });

  it('reads fit.csv back as fitCsv writes it', () => {
    expect(parseFitCsv('day,column,observed,median,lo50,hi50,lo90,hi90\n0,posts,3,4,3,5,2,6\n7,posts,,4,3,5,2,6\n')).toEqual([
      { day: 0, column: 'posts', observed: 3, median: 4, lo50: 3, hi50: 5, lo90: 2, hi90: 6 },
      { day: 7, column: 'posts', observed: NaN, median: 4, lo50: 3, hi50: 5, lo90: 2, hi90: 6 },
    ]);
    expect(() => parseFitCsv('day,column\n', 'x/fit.csv')).toThrow('x/fit.csv: expected the header day,column,observed,median,lo50,hi50,lo90,hi90, got "day,column"');
  });
});

describe.skipIf(!hasChromium)('forecast.html in Chromium', () => {
  const scratch = scratchDir('forecast-html');

  it('opens from disk with no request and no error; the forecast bands start after the last observed point', async () => {
    const file = scratch.write('forecast.html', html);
    await openStaticPage(file, async (page) => {
      for (const [column, points] of [['posts', 5], ['contributors', 6]] as const) {
        const s = page.locator(`section[data-column="${column}"]`);
        expect(await s.locator('circle').count()).toBe(points);
        for (const part of ['90', '50', 'median', 'f90', 'f50', 'fmedian']) expect(await s.locator(`[data-part="${part}"]`).count()).toBe(1);
        // Rendered boxes: the fit's bands span the observed points, the forecast's lie right of them.
        const box = async (sel: string) => (await s.locator(sel).first().boundingBox())!;
        const circles = await s.locator('circle').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
        const fit90 = await box('[data-part="90"]');
        const f90 = await box('[data-part="f90"]');
        expect(f90.width).toBeGreaterThan(0);
        expect(f90.x).toBeGreaterThan(Math.max(...circles));
        expect(fit90.x + fit90.width).toBeLessThan(f90.x);
      }
    });
  }, 60_000);
});
