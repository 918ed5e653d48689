/**
 * The ambassador console in a real headless Chromium against the real app: the README
 * walk-through's ambassador signs in with the token, reads the link, QR code, rates and
 * balances, the credited order and why it earns 3,000.00 (the per-customer reward cap, R-ORD-6),
 * the customer's association, previews and requests a withdrawal with its tax (R-WD-4), downloads
 * the month's statement, switches to Chinese (remembered), and signs out; on a phone-width screen
 * too. Every page passes axe-core with no serious or critical violation.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { TestContext } from '../harness/context';
import type { Harness } from '../harness/association-fixtures';
import { waitFor } from '../harness/association-fixtures';
import { useHarness } from '../harness/use-harness';
import { expectAccessible, launchBrowser, newPage, screenshot, serve } from './browser';
import { walkthrough, type Walkthrough } from './fixtures';

jest.setTimeout(180_000);

let ctx: TestContext;
let h: Harness;
let w: Walkthrough;
let browser: Browser;
let site: { base: string; close: () => Promise<void> };
useHarness((x) => ({ ctx, h } = x), { env: { RATE_LIMIT_PER_MINUTE: '10000' } });

beforeAll(async () => {
  w = await walkthrough(ctx, h);
  site = await serve(h.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${site.base}/console/`);
  await page.getByRole('heading', { name: 'Sign in as an ambassador' }).waitFor();
  const token = page.getByLabel('Access token');
  await token.focus();
  await page.keyboard.type(w.amb.token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Welcome, Wang Fang' }).waitFor();
}

test('an ambassador signs in, reads the credited order and why, previews and requests a withdrawal, in English and Chinese', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${site.base}/console/`);
  await page.getByRole('heading', { name: 'Sign in as an ambassador' }).waitFor();
  await expectAccessible(page, 'sign in');
  await page.getByLabel('Access token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'This token was not accepted.' }).waitFor();
  await screenshot(page, 'ambassador-sign-in');
  await signIn(page);

  // Home: link, QR code, balances and the rates in force for L1.
  const link = page.getByRole('textbox', { name: 'Your promotion link' });
  await expect(link.inputValue()).resolves.toContain(w.amb.usercode);
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('Copied to the clipboard').waitFor();
  await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toContain(w.amb.usercode);
  await page.getByRole('img', { name: 'QR code of your promotion link' }).waitFor();
  const balances = page.getByRole('region', { name: 'Balances' });
  await expect(balances.getByText('Available to withdraw').locator('..').textContent()).resolves.toContain('CN¥3,000.00 (300,000 yunqi)');
  await expect(balances.getByText('Pending (in review or not yet credited)').locator('..').textContent()).resolves.toContain('CN¥0.00');
  const rates = page.getByRole('region', { name: 'Rates in force now' });
  await expect(rates.textContent()).resolves.toMatch(/First purchase\s*25%/);
  await expectAccessible(page, 'home');
  await screenshot(page, 'ambassador-home');

  // Orders: the credited order, then why this amount.
  await page.getByRole('link', { name: 'Orders' }).click();
  const row = page.getByRole('row', { name: new RegExp(w.orderId) });
  await expect(row.textContent()).resolves.toMatch(/2024-05-02 10:00 UTC\+8.*CN¥20,000\.00.*CN¥3,000\.00.*CN¥3,000\.00.*completed/);
  await expectAccessible(page, 'orders');
  await row.getByRole('link', { name: w.orderId }).click();
  await page.getByRole('heading', { name: `Order ${w.orderId}` }).waitFor();
  const why = page.getByRole('region', { name: 'Why this amount' });
  await expect(why.textContent()).resolves.toContain('25% (first-purchase rate of the level)');
  await why.getByText('The per-customer reward cap bound this reward: CN¥3,000.00 of room was left.').waitFor();
  await expect(why.getByRole('row', { name: /per-customer reward cap/ }).textContent()).resolves.toMatch(/R-ORD-6.*CN¥3,000\.00.*CN¥3,000\.00.*yes/);
  await expect(why.textContent()).resolves.toContain('2024-04-17');
  const installments = page.getByRole('table', { name: 'Installments' });
  await expect(installments.textContent()).resolves.toMatch(/1CN¥1,500\.00\d{4}-\d\d-\d\d \d\d:\d\d UTC\+8credited2CN¥1,500\.00.*credited/);
  await page.getByText('Review period passed with no refund or same-person finding').waitFor();
  await expectAccessible(page, 'order');
  await screenshot(page, 'ambassador-order');

  // Customers: the association with its start and end.
  await page.getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('row', { name: new RegExp(w.customerId) }).textContent()).resolves.toMatch(/2024-05-01 10:30 UTC\+8.*2024-05-31 10:30 UTC\+8.*expired/);
  await expectAccessible(page, 'customers');

  // Withdrawals: bad input, the live preview with its tax, the confirmation, the request.
  await page.getByRole('link', { name: 'Withdrawals' }).click();
  const amount = page.getByLabel('Amount in CNY');
  await amount.fill('1.001');
  await page.getByText('Enter an amount like 3000.00').waitFor();
  await amount.fill('3000.00');
  const preview = page.getByRole('region', { name: 'Preview' });
  await preview.getByText('CN¥2,560.00').waitFor();
  await expect(preview.textContent()).resolves.toMatch(/GrossCN¥3,000\.00Tax withheldCN¥440\.00You receiveCN¥2,560\.00/);
  await preview.getByText('Taxable: CN¥3,000.00 − CN¥800.00 = CN¥2,200.00').waitFor();
  await preview.getByText('Tax on the month: CN¥2,200.00 × 20% − CN¥0.00 = CN¥440.00').waitFor();
  await expectAccessible(page, 'withdrawals');
  await screenshot(page, 'ambassador-withdrawal-preview');
  await page.getByRole('button', { name: 'Withdraw CN¥3,000.00' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm the withdrawal' });
  await dialog.getByText('Withdraw CN¥3,000.00: CN¥440.00 tax is withheld and you receive CN¥2,560.00.').waitFor();
  await expectAccessible(page, 'confirm');
  await page.keyboard.press('Enter');
  await page.getByText(/Withdrawal wd_\w+ requested: reserved\./).waitFor();
  const [wd] = (await ctx.sql<{ id: string }[]>`SELECT id FROM withdrawals WHERE ambassador_id = ${w.amb.id}`) as { id: string }[];
  await ctx.client.workflow.getHandle(`withdrawal:${wd!.id}`).result();

  // 中文: the same pages in the program's words, remembered after a reload.
  await page.getByRole('button', { name: '中文' }).click();
  await page.reload();
  await page.getByRole('heading', { name: '提现', exact: true }).waitFor();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
  const history = page.getByRole('region', { name: '提现记录' });
  await expect(history.textContent()).resolves.toMatch(/¥3,000\.00¥440\.00¥2,560\.00已打款/);
  await page.getByLabel('提现金额（元）').fill('10');
  await page.getByText('金额超过可提现余额（¥0.00）。').waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载 CSV' }).click();
  const csv = fs.readFileSync((await (await download).path())!, 'utf8');
  expect(csv).toContain(',withdrawal.tax_withheld,');
  expect(csv).toContain(',440.00\r\n');
  await expectAccessible(page, 'withdrawals zh');
  await screenshot(page, 'ambassador-withdrawals-zh');
  await page.getByRole('link', { name: '订单' }).click();
  await page.getByRole('link', { name: w.orderId }).click();
  const whyZh = page.getByRole('region', { name: '奖励是怎样算出来的' });
  await whyZh.getByText('单客户奖励上限限制了本单奖励：剩余额度为 ¥3,000.00。').waitFor();
  await expect(page.getByRole('table', { name: '分期到账' }).textContent()).resolves.toContain('已到账');
  await page.getByText('审核期结束，无退款或同人认定').waitFor();
  await page.getByRole('link', { name: '首页' }).click();
  await expect(page.getByRole('region', { name: '余额' }).textContent()).resolves.toMatch(/已代扣个税¥440\.00/);
  await screenshot(page, 'ambassador-home-zh');
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('heading', { name: '大使登录' }).waitFor();
  expect(problems).toEqual([]);
});

test('the console on a phone-width screen: one column, nothing wider than the screen, usable by keyboard', async () => {
  const { page, problems } = await newPage(browser, { width: 375 });
  await signIn(page);
  for (const tab of ['Home', 'Orders', 'Withdrawals']) {
    await page.getByRole('link', { name: tab, exact: true }).click();
    await waitFor(() => page.evaluate<string>("document.querySelector('main')?.textContent ?? ''"), (t) => !t.includes('Loading'), `${tab} loaded`);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect([tab, width]).toEqual([tab, 375]);
    await screenshot(page, `ambassador-phone-${tab.toLowerCase()}`);
  }
  // The skip link is the first stop of the keyboard and moves to the content.
  await page.reload();
  await page.getByRole('heading', { name: 'Your withdrawals' }).waitFor();
  await page.keyboard.press('Tab');
  await expect(page.evaluate<string | undefined>('document.activeElement?.textContent')).resolves.toBe('Skip to content');
  expect(problems).toEqual([]);
});
