import { addMonthsUtc8, classifyCustomer, orderEligibility, utc8, type OrderFacts } from '../../domain';
import { APR17, EARLIEST, JUN1, JUNE, RENEWALS, book } from './fixtures';

const at = utc8('2024-07-15T12:00'); // an association start under the 2024-06-01 rule set
const core: OrderFacts = { billing: 'prepaid', productCategory: 'core', orderType: 'new' };
const newCtx = { customerType: 'new' as const, isFirstPurchase: true };
const laterCtx = { customerType: 'new' as const, isFirstPurchase: false };

describe('customer classification', () => {
  test('R-CUST-1 no paid purchase on record is a new customer; registering is not enough to change that', () => {
    expect(classifyCustomer({}, at, JUNE)).toEqual({ type: 'new', reason: 'NO_PAID_HISTORY', detail: expect.any(String) });
    expect(classifyCustomer({ firstPaidPurchaseAt: null, lastConsumptionAt: null, sameEntityHasPaidHistory: false }, at, EARLIEST).type).toBe('new');
  });

  test('R-CUST-1 a same-person account with paid history makes the customer old', () => {
    const c = classifyCustomer({ sameEntityHasPaidHistory: true, lastConsumptionAt: at - 86_400_000 }, at, JUNE);
    expect(c).toMatchObject({ type: 'old', reason: 'SAME_ENTITY_PAID_HISTORY' });
  });

  test('R-CUST-1 purchases at or after the judging instant are not history (the first purchase in the association keeps the customer new)', () => {
    expect(classifyCustomer({ firstPaidPurchaseAt: at, lastConsumptionAt: at + 5 }, at, JUNE).type).toBe('new');
    expect(classifyCustomer({ firstPaidPurchaseAt: at - 1, lastConsumptionAt: at - 1 }, at, JUNE)).toMatchObject({ type: 'old', reason: 'PAID_HISTORY' });
  });

  test('R-CUST-2 dormant: paid history, no consumption in the last 12 months, exact at the millisecond', () => {
    const cutoff = addMonthsUtc8(at, -12);
    expect(cutoff).toBe(utc8('2023-07-15T12:00'));
    const facts = (last: number) => ({ firstPaidPurchaseAt: utc8('2020-01-01'), lastConsumptionAt: last });
    expect(classifyCustomer(facts(cutoff - 1), at, JUNE)).toMatchObject({ type: 'dormant', reason: 'NO_CONSUMPTION_IN_DORMANCY_PERIOD' });
    expect(classifyCustomer(facts(cutoff), at, JUNE)).toMatchObject({ type: 'old', reason: 'PAID_HISTORY' });
    // no consumption on record at all, purchase long ago: dormant
    expect(classifyCustomer({ firstPaidPurchaseAt: utc8('2020-01-01') }, at, JUNE).type).toBe('dormant');
    // a recent first purchase counts as consumption even when the caller has no consumption data
    expect(classifyCustomer({ firstPaidPurchaseAt: at - 86_400_000 }, at, JUNE).type).toBe('old');
    // 12 calendar months in UTC+8, clamped at month end: 2025-02-28 ← 2024-02-29
    expect(addMonthsUtc8(utc8('2024-02-29T23:59'), 12)).toBe(utc8('2025-02-28T23:59'));
  });

  test('R-CUST-2 dormant customers exist only from 2024-06-01: before, the same facts make an old customer', () => {
    const idle = { firstPaidPurchaseAt: utc8('2020-01-01'), lastConsumptionAt: utc8('2021-01-01') };
    expect(classifyCustomer(idle, JUN1 - 1, book.at(JUN1 - 1))).toMatchObject({ type: 'old', reason: 'DORMANT_NOT_IN_RULESET' });
    expect(classifyCustomer(idle, JUN1, book.at(JUN1))).toMatchObject({ type: 'dormant' });
    expect(orderEligibility(core, { customerType: 'dormant', isFirstPurchase: true }, book.at(JUN1))).toEqual({ eligible: true, kind: 'first_purchase' });
    expect(orderEligibility(core, { customerType: 'dormant', isFirstPurchase: true }, book.at(JUN1 - 1))).toMatchObject({
      eligible: false,
      reasonCode: 'DORMANT_NOT_IN_RULESET',
    });
  });

  test('R-CUST-3 a customer with paid history and recent consumption is old and earns nothing', () => {
    const c = classifyCustomer({ firstPaidPurchaseAt: utc8('2024-01-01'), lastConsumptionAt: utc8('2024-07-01') }, at, JUNE);
    expect(c).toMatchObject({ type: 'old', reason: 'PAID_HISTORY' });
    expect(orderEligibility(core, { customerType: c.type, isFirstPurchase: true }, JUNE)).toMatchObject({ eligible: false, reasonCode: 'OLD_CUSTOMER' });
  });

  test('R-CUST-4 a pay-as-you-go order before any first purchase makes the customer old', () => {
    const c = classifyCustomer({ payAsYouGoBeforeFirstPurchase: true }, at, JUNE);
    expect(c).toMatchObject({ type: 'old', reason: 'PAYG_BEFORE_FIRST_PURCHASE' });
    expect(orderEligibility(core, { customerType: c.type, isFirstPurchase: true }, JUNE)).toMatchObject({ eligible: false, reasonCode: 'OLD_CUSTOMER' });
  });

  test('R-CUST-4 after the first purchase a pay-as-you-go order alone earns nothing; the customer stays new', () => {
    const c = classifyCustomer({ firstPaidPurchaseAt: at + 1000, payAsYouGoBeforeFirstPurchase: false }, at, JUNE);
    expect(c.type).toBe('new');
    expect(orderEligibility({ ...core, billing: 'payg' }, laterCtx, JUNE)).toMatchObject({ eligible: false, reasonCode: 'PAYG_ORDER' });
    expect(orderEligibility(core, laterCtx, JUNE)).toEqual({ eligible: true, kind: 'later_purchase' });
  });
});

describe('order eligibility', () => {
  test('R-ORD-1 only prepaid orders of rebate products outside excluded channels earn', () => {
    expect(orderEligibility(core, newCtx, JUNE)).toEqual({ eligible: true, kind: 'first_purchase' });
    expect(orderEligibility({ ...core, billing: 'payg' }, newCtx, JUNE)).toMatchObject({ eligible: false, reasonCode: 'PAYG_ORDER' });
    expect(orderEligibility({ ...core, productCategory: 'none' }, newCtx, JUNE)).toMatchObject({ eligible: false, reasonCode: 'NON_REBATE_PRODUCT' });
    expect(orderEligibility({ ...core, excludedChannel: true }, newCtx, JUNE)).toMatchObject({ eligible: false, reasonCode: 'EXCLUDED_CHANNEL' });
    const r = orderEligibility({ ...core, billing: 'payg' }, newCtx, JUNE);
    expect(r.eligible === false && r.reason.length > 0).toBe(true);
  });

  test('R-ORD-1 the first failing check is the reason (payg before product before channel before customer)', () => {
    const worst: OrderFacts = { billing: 'payg', productCategory: 'none', orderType: 'renewal', excludedChannel: true };
    const old = { customerType: 'old' as const, isFirstPurchase: false };
    expect(orderEligibility(worst, old, EARLIEST)).toMatchObject({ reasonCode: 'PAYG_ORDER' });
    expect(orderEligibility({ ...worst, billing: 'prepaid' }, old, EARLIEST)).toMatchObject({ reasonCode: 'NON_REBATE_PRODUCT' });
    expect(orderEligibility({ ...worst, billing: 'prepaid', productCategory: 'core' }, old, EARLIEST)).toMatchObject({ reasonCode: 'EXCLUDED_CHANNEL' });
    expect(orderEligibility({ ...worst, billing: 'prepaid', productCategory: 'core', excludedChannel: false }, old, EARLIEST)).toMatchObject({ reasonCode: 'OLD_CUSTOMER' });
    expect(orderEligibility({ billing: 'prepaid', productCategory: 'core', orderType: 'renewal' }, laterCtx, EARLIEST)).toMatchObject({ reasonCode: 'RENEWAL_NOT_COUNTED' });
  });

  test('R-ORD-2 renewals after the first purchase count from 2024-04-17 0:00 UTC+8, exactly', () => {
    const renewal: OrderFacts = { ...core, orderType: 'renewal' };
    expect(orderEligibility(renewal, laterCtx, book.at(APR17 - 1))).toMatchObject({ eligible: false, reasonCode: 'RENEWAL_NOT_COUNTED' });
    expect(orderEligibility(renewal, laterCtx, book.at(APR17))).toEqual({ eligible: true, kind: 'later_purchase' });
    expect(book.at(APR17)).toBe(RENEWALS);
  });

  test('R-ORD-2 new purchases and upgrades after the first purchase are later purchases in every version', () => {
    for (const rs of book.all()) {
      expect(orderEligibility({ ...core, orderType: 'new' }, laterCtx, rs)).toEqual({ eligible: true, kind: 'later_purchase' });
      expect(orderEligibility({ ...core, orderType: 'upgrade' }, laterCtx, rs)).toEqual({ eligible: true, kind: 'later_purchase' });
    }
  });

  test('R-ORD-5 strategic products earn only from 2024-06-01', () => {
    const strategic: OrderFacts = { ...core, productCategory: 'strategic' };
    expect(orderEligibility(strategic, newCtx, book.at(JUN1 - 1))).toMatchObject({ eligible: false, reasonCode: 'STRATEGIC_NOT_IN_RULESET' });
    expect(orderEligibility(strategic, newCtx, book.at(JUN1))).toEqual({ eligible: true, kind: 'first_purchase' });
  });

  test('R-ORD-8 orders of one cart or batch payment by a new customer are all first purchases (the caller marks them)', () => {
    const cart: OrderFacts[] = [core, { ...core, productCategory: 'strategic' }, { ...core, orderType: 'upgrade' }];
    expect(cart.map((o) => orderEligibility(o, newCtx, JUNE))).toEqual(cart.map(() => ({ eligible: true, kind: 'first_purchase' })));
    // classified once at the association start, the cart's own purchase does not make the customer old
    expect(classifyCustomer({ firstPaidPurchaseAt: at + 60_000 }, at, JUNE).type).toBe('new');
  });
});
