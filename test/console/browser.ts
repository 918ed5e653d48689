/**
 * The browser side of the console tests: the real app (test harness: its database, Temporal test
 * server and worker) served with the built console on a free port, a real headless Chromium
 * driven by playwright-core, axe-core for accessibility, and screenshots kept under
 * test-artifacts/console/ (git-ignored).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { PROJECT_ROOT } from '../../config';
import { findChromium } from '../../config/binaries';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'console');

/** Flags that keep Chromium quiet on a machine without internet (no background connections). */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: set CHROMIUM_PATH, put chromium on PATH, or run scripts/ensure-tools.sh --browser (installs Debian chromium as root)');
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'console', 'dist', 'index.html'))) throw new Error('console/dist is missing: run npm run build:console');
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}

export async function serve(app: Express): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** axe-core over the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A page that records the browser's console errors and failed requests, so a test can assert none. */
export async function newPage(browser: Browser, opts: { width?: number; lang?: string } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, locale: opts.lang ?? 'en-US', timezoneId: 'America/New_York', permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A query the page no longer needs is aborted on purpose (ERR_ABORTED); anything else is a problem.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return { page, problems };
}
