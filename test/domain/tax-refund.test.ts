import { LABOUR_REMUNERATION_TAX as T, monthTaxYunqi, splitTaxRefund } from '../../domain';

const CNY = 100;

test('R-WD-4 the month owes the tax on its remaining total; the excess returns newest first, never beyond what each kept', () => {
  expect(monthTaxYunqi(30_000 * CNY, T)).toBe(5200 * CNY);
  expect(monthTaxYunqi(0, T)).toBe(0);
  // 3,000 (440) then 30,000 (5,480); the 3,000 failed: 5,480 kept, 5,200 owed.
  expect(splitTaxRefund([{ id: 'big', keptYunqi: 5480 * CNY }], 5200 * CNY)).toEqual([{ id: 'big', refundYunqi: 280 * CNY }]);
  expect(splitTaxRefund([{ id: 'new', keptYunqi: 100 }, { id: 'old', keptYunqi: 500 }], 200)).toEqual([
    { id: 'new', refundYunqi: 100 },
    { id: 'old', refundYunqi: 300 },
  ]);
});

test('R-WD-4 a month that kept less than it owes gets no refund (its next withdrawal withholds the rest)', () => {
  // 800 (0), 3,200 (640), 3,200 (512); the middle one fails: 4,000 owes 640, 512 kept.
  expect(monthTaxYunqi(4000 * CNY, T)).toBe(640 * CNY);
  expect(splitTaxRefund([{ id: 'c', keptYunqi: 512 * CNY }, { id: 'a', keptYunqi: 0 }], 640 * CNY)).toEqual([]);
});
