/**
 * Money (R-WD-2). Every boundary carries integer yunqi as a JS `number` (1 yunqi = 0.01 CNY =
 * 1 fen, always a safe integer) or a CNY decimal string such as "24.75". Arithmetic on money
 * goes through decimal.js, never through binary floating point.
 */
import Decimal from 'decimal.js';
import { DomainError } from './errors';

/** Yunqi per CNY (R-WD-2: 100 yunqi = 1 CNY). */
export const YUNQI_PER_CNY = 100;

const CNY_PATTERN = /^\d+(\.\d+)?$/;

/** "99" | "99.5" | "99.00" → 9900 | 9950 | 9900. Rejects negatives, more than 2 decimals,
 * anything that is not a plain decimal numeral, and amounts beyond a safe integer of yunqi. */
export function cnyToYunqi(s: string): number {
  if (typeof s !== 'string') throw new DomainError('MONEY_FORMAT', `CNY amount must be a string, got ${typeof s}`);
  const t = s;
  if (t.startsWith('-')) throw new DomainError('MONEY_NEGATIVE', `CNY amount must not be negative: "${s}"`);
  if (!CNY_PATTERN.test(t)) throw new DomainError('MONEY_FORMAT', `not a CNY amount: "${s}"`);
  const decimals = t.includes('.') ? t.length - t.indexOf('.') - 1 : 0;
  if (decimals > 2) throw new DomainError('MONEY_PRECISION', `CNY amount has more than 2 decimals: "${s}"`);
  const yunqi = new Decimal(t).times(YUNQI_PER_CNY);
  if (yunqi.greaterThan(Number.MAX_SAFE_INTEGER)) throw new DomainError('MONEY_RANGE', `CNY amount too large: "${s}"`);
  return yunqi.toNumber();
}

/** 2475 → "24.75"; always two decimals; negative amounts (clawbacks) keep their sign. */
export function yunqiToCny(n: number): string {
  if (!Number.isSafeInteger(n)) throw new DomainError('MONEY_RANGE', `yunqi must be a safe integer, got ${String(n)}`);
  // Only exact integer operations: the remainder, and a division that leaves no remainder.
  const neg = n < 0;
  const abs = neg ? -n : n;
  const fen = abs % 100;
  return `${neg ? '-' : ''}${(abs - fen) / 100}.${fen < 10 ? '0' : ''}${fen}`;
}
