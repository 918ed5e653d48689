/**
 * A deployment's own rule table (RULESET_FILE), validated on load: here the defaults with the
 * per-customer caps applied per order, the reading of the seed's example 2 (R-ORD-6, R-ORD-10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { type Harness } from './harness/association-fixtures';
import { associatedCustomer, balances, expectLedgerSound, opsOrder, orderMessage, placed, settled } from './harness/order-fixtures';
import { DEFAULT_RULE_SETS } from '../domain';
import { loadRuleBook } from '../config/rules';

let ctx: TestContext;
let h: Harness;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
const rulesFile = path.join(dir, 'rules.json');
fs.writeFileSync(rulesFile, JSON.stringify(DEFAULT_RULE_SETS.map((rs) => ({ ...rs, capScope: 'order' }))));

useHarness((x) => ({ ctx, h } = x), { env: { RULESET_FILE: rulesFile } });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cst = (wall: string) => new Date(`${wall}+08:00`).toISOString();

test('R-ORD-10 R-ORD-6 seed example 2 with per-order caps: the 50,000.00 order is capped at 20,000.00 x 15% = 3,000.00', async () => {
  const { amb, customerId } = await associatedCustomer(h, { clickAt: Date.parse('2024-05-01T10:00:00+08:00') });
  const first = orderMessage(customerId, { paidAmount: '99.00', placedAt: cst('2024-05-02T10:00:00') });
  const big = orderMessage(customerId, { paidAmount: '50000.00', placedAt: cst('2024-05-03T10:00:00') });
  await placed(h, first);
  await settled(ctx, first.orderId);
  await placed(h, big);
  await settled(ctx, big.orderId);
  const o = await opsOrder(h, big.orderId);
  expect(o.reward).toEqual({ yunqi: 300_000, cny: '3000.00' });
  expect(o.explanation?.caps.filter((c) => c.bound).map((c) => c.cap)).toEqual(['perCustomerPaid']);
  expect(await balances(ctx, amb.id)).toMatchObject({ available: 2_475 + 300_000 });
  await expectLedgerSound(ctx);
});

test('R-ORD-9 a rule table that does not validate is refused on load with the reason', () => {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify([{ ...DEFAULT_RULE_SETS[0], reviewPeriodDays: -1 }]));
  expect(() => loadRuleBook({ RULESET_FILE: bad })).toThrow(/invalid rule table/);
  expect(() => loadRuleBook({ RULESET_FILE: path.join(dir, 'missing.json') })).toThrow(/RULESET_FILE/);
});
