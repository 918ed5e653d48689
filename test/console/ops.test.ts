/**
 * The ops console in a real headless Chromium against the real app: sign in with the ops token,
 * see what needs attention (an ambassador's debt), find the walk-through's customer and read the
 * whole association timeline with its workflow in the Temporal UI, open the order (explanation,
 * timeline, ledger), record a cheating finding after a confirmation step, change a level; in
 * English and Chinese. Every page passes axe-core with no serious or critical violation.
 */
import type { Browser } from 'playwright-core';
import type { TestContext } from '../harness/context';
import type { Harness } from '../harness/association-fixtures';
import { joinAmbassador } from '../harness/association-fixtures';
import { clawback } from '../harness/ledger-fixtures';
import { useHarness } from '../harness/use-harness';
import { expectAccessible, launchBrowser, newPage, screenshot, serve } from './browser';
import { walkthrough, type Walkthrough } from './fixtures';

jest.setTimeout(180_000);

let ctx: TestContext;
let h: Harness;
let w: Walkthrough;
let browser: Browser;
let site: { base: string; close: () => Promise<void> };
useHarness((x) => ({ ctx, h } = x));

beforeAll(async () => {
  w = await walkthrough(ctx, h, { displayName: 'Li Lei' });
  site = await serve(h.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

test('ops: attention, the customer timeline with its workflow, the order, a confirmed finding and a level change, in English and Chinese', async () => {
  const debtor = await joinAmbassador(h, { displayName: 'Zhang Wei' });
  await clawback(ctx.sql, debtor.id, 'ops-console-order', 5_050);
  const { page, problems } = await newPage(browser);
  await page.goto(`${site.base}/console/ops`);
  await page.getByRole('heading', { name: 'Sign in to operations' }).waitFor();
  await page.getByLabel('Access token').fill(ctx.config.OPS_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Needs attention: the debt, in CNY and yunqi.
  await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
  const debts = page.getByRole('region', { name: 'Ambassadors with a debt' });
  await expect(debts.getByRole('row', { name: /Zhang Wei/ }).textContent()).resolves.toContain('CN¥50.50 (5,050 yunqi)');
  await expectAccessible(page, 'attention');
  await screenshot(page, 'ops-attention');

  // Find the customer, then the association timeline and the workflow link.
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByLabel('Customer id (or its beginning)').fill(w.customerId.slice(0, -2));
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: w.customerId }).click();
  await page.getByRole('heading', { name: `Customer ${w.customerId}` }).waitFor();
  const timeline = page.getByRole('table', { name: 'Timeline' });
  await expect(timeline.textContent()).resolves.toMatch(/2024-05-01 10:30 UTC\+8click/);
  await timeline.getByText('association created').waitFor();
  const wf = page.getByRole('link', { name: `Open customer:${w.customerId} in the Temporal UI` });
  await expect(wf.getAttribute('href')).resolves.toBe(`http://127.0.0.1:${ctx.config.TEMPORAL_UI_PORT}/namespaces/default/workflows/${encodeURIComponent(`customer:${w.customerId}`)}`);
  await expect(page.getByRole('table', { name: 'Associations' }).textContent()).resolves.toContain(w.amb.id);
  await expectAccessible(page, 'customer');
  await screenshot(page, 'ops-customer');

  // The order: explanation, timeline, ledger; then a cheating finding, confirmed.
  await page.getByRole('link', { name: 'Orders' }).click();
  await page.getByLabel('Order id').fill(w.orderId);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByRole('heading', { name: `Order ${w.orderId}` }).waitFor();
  await page.getByText('The per-customer reward cap bound this reward: CN¥3,000.00 of room was left.').waitFor();
  await expect(page.getByRole('table', { name: 'Ledger entries' }).textContent()).resolves.toContain('reward.credited');
  await expect(page.getByRole('table', { name: 'Timeline' }).textContent()).resolves.toContain('review period (审核期) passed');
  await expectAccessible(page, 'order');
  await page.getByLabel('Finding', { exact: true }).selectOption('cheating');
  await page.getByLabel('Note').fill('ops console test');
  await page.getByRole('button', { name: 'Record a finding' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`on order ${w.orderId}? The order becomes invalid`).waitFor();
  await expectAccessible(page, 'confirm finding');
  await screenshot(page, 'ops-confirm-finding');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('status').filter({ hasText: 'invalidated' }).waitFor();
  await page.getByRole('definition').filter({ hasText: 'invalidated — cheating order (作弊) (CHEATING)' }).waitFor();
  await screenshot(page, 'ops-order-invalidated');

  // 中文, then a level change with its confirmation.
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('link', { name: '大使' }).click();
  await page.getByLabel('大使 ID').fill(w.amb.id);
  await page.getByLabel('新等级').selectOption('L3');
  await page.getByLabel('原因').fill('季度评级');
  await page.getByRole('button', { name: '调整等级' }).click();
  await page.getByRole('dialog').getByText(`将大使 ${w.amb.id} 调整为 L3？`).waitFor();
  await page.getByRole('button', { name: '确认' }).click();
  await expect(page.getByRole('table', { name: '等级记录' }).textContent()).resolves.toMatch(/L1.*L3.*季度评级/);
  await expectAccessible(page, 'level zh');
  await screenshot(page, 'ops-level-zh');
  await page.getByRole('link', { name: '待处理' }).click();
  await page.getByRole('heading', { name: '有欠款的大使' }).waitFor();
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('heading', { name: '运营登录' }).waitFor();
  expect(problems).toEqual([]);
});
