import fc from 'fast-check';
import { DomainError, cnyToYunqi, yunqiToCny, YUNQI_PER_CNY } from '../../domain';
import { codeOf } from './fixtures';

describe('money', () => {
  test('R-WD-2 100 yunqi = 1 CNY: CNY strings convert to whole yunqi', () => {
    expect(YUNQI_PER_CNY).toBe(100);
    expect(cnyToYunqi('1')).toBe(100);
    expect(cnyToYunqi('99')).toBe(9900);
    expect(cnyToYunqi('99.5')).toBe(9950);
    expect(cnyToYunqi('99.00')).toBe(9900);
    expect(cnyToYunqi('24.75')).toBe(2475);
    expect(cnyToYunqi('0.01')).toBe(1);
    expect(cnyToYunqi('0')).toBe(0);
    expect(cnyToYunqi('100000.00')).toBe(10_000_000);
    // 0.1 + 0.2 style traps: no float arithmetic
    expect(cnyToYunqi('1.13')).toBe(113);
    expect(cnyToYunqi('4.35')).toBe(435);
  });

  test('R-WD-2 yunqi render as CNY with exactly two decimals', () => {
    expect(yunqiToCny(2475)).toBe('24.75');
    expect(yunqiToCny(1485)).toBe('14.85');
    expect(yunqiToCny(300000)).toBe('3000.00');
    expect(yunqiToCny(0)).toBe('0.00');
    expect(yunqiToCny(5)).toBe('0.05');
    expect(yunqiToCny(-2475)).toBe('-24.75');
    expect(yunqiToCny(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  test('bad CNY strings are refused with a DomainError code', () => {
    expect(codeOf(() => cnyToYunqi('-1'))).toBe('money_negative');
    expect(codeOf(() => cnyToYunqi('-0.01'))).toBe('money_negative');
    expect(codeOf(() => cnyToYunqi('1.234'))).toBe('money_precision');
    expect(codeOf(() => cnyToYunqi('1.000'))).toBe('money_precision');
    for (const s of ['', 'abc', '1e3', '.5', '1.', ' 1', '1,000', 'NaN', 'Infinity', '+1', '0x10']) {
      expect(codeOf(() => cnyToYunqi(s))).toBe('money_format');
    }
    expect(codeOf(() => cnyToYunqi('90071992547409.92'))).toBe('money_range');
    expect(() => cnyToYunqi('x')).toThrow(DomainError);
    expect(codeOf(() => yunqiToCny(1.5))).toBe('money_range');
  });

  test('R-WD-2 property: CNY string ↔ yunqi round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (y) => {
        expect(cnyToYunqi(yunqiToCny(y))).toBe(y);
      }),
    );
  });
});
