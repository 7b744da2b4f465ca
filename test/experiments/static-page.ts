/**
 * Opens a self-contained HTML report from disk in the real Debian Chromium and checks the two
 * things every report promises: no request leaves the file, no console or page error. The
 * caller inspects the page in `look` and the browser is closed afterwards whatever happens.
 */
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function openStaticPage(file: string, look: (page: Page) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${file}`);
    expect(requests).toEqual([`file://${file}`]);
    expect(errors).toEqual([]);
    await look(page);
  } finally {
    await browser.close();
  }
}
