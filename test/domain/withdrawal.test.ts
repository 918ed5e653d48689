import { withdrawalRefusal } from '../../domain';
import { JUNE } from './fixtures';

const ok = { amountYunqi: 10_000_000, ambassadorKind: 'individual' as const, completedValidOrders: 1 };

describe('withdrawal checks', () => {
  test('R-WD-1 a withdrawal needs at least one completed valid order', () => {
    expect(withdrawalRefusal(ok, JUNE)).toBeNull();
    expect(withdrawalRefusal({ ...ok, completedValidOrders: 0 }, JUNE)?.code).toBe('no_completed_valid_order');
  });

  test('R-WD-3 one withdrawal is at most 100,000.00 CNY; a larger one is refused with advice to split', () => {
    const r = withdrawalRefusal({ ...ok, amountYunqi: 10_000_001 }, JUNE);
    expect(r?.code).toBe('above_withdrawal_max');
    expect(r?.reason).toContain('split');
    expect(withdrawalRefusal({ ...ok, amountYunqi: 0 }, JUNE)?.code).toBe('invalid_amount');
  });

  test('R-WD-5 R-AMB-2 enterprise ambassadors cannot withdraw yet, with a clear reason', () => {
    const r = withdrawalRefusal({ ...ok, ambassadorKind: 'enterprise' }, JUNE);
    expect(r?.code).toBe('enterprise_cannot_withdraw');
    expect(r?.reason).toMatch(/cannot withdraw/);
  });
});
