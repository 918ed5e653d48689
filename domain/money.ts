/**
 * Money (R-WD-2). Every boundary carries integer yunqi as a JS `number` (1 yunqi = 0.01 CNY =
 * 1 fen, always a safe integer) or a CNY decimal string such as "24.75". Arithmetic on money
 * goes through decimal.js, never through binary floating point.
 *
 * CNY_PATTERN is the one definition of a CNY amount string: every schema at the edges uses it
 * (CnyAmountSchema, domain/money-schema.ts: not here, since workflow code imports this module and
 * zod is not to be evaluated in every workflow) and cnyToYunqi accepts exactly its language.
 */
import Decimal from 'decimal.js';
import { DomainError } from './errors';

/** Yunqi per CNY (R-WD-2: 100 yunqi = 1 CNY). */
export const YUNQI_PER_CNY = 100;

/** A CNY amount: digits without a sign or leading zeros, at most 13 before the point and 2
 * after ("0", "99", "99.5", "24.75"); at most 9,999,999,999,999.99 CNY, a safe integer of yunqi. */
export const CNY_PATTERN = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

/** Why a string is not a CNY amount (null when it is one). */
function cnyProblem(s: string): { code: string; message: string } | null {
  if (CNY_PATTERN.test(s)) return null;
  if (s.startsWith('-')) return { code: 'money_negative', message: `CNY amount must not be negative: "${s}"` };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (m && (m[2]?.length ?? 0) > 2) return { code: 'money_precision', message: `CNY amount has more than 2 decimals: "${s}"` };
  if (m && !/^0\d/.test(m[1]!)) return { code: 'money_range', message: `CNY amount too large: "${s}"` };
  return { code: 'money_format', message: `not a CNY amount: "${s}"` };
}

/** "99" | "99.5" | "99.00" → 9900 | 9950 | 9900. Refuses (DomainError) whatever CNY_PATTERN
 * refuses: money_negative, money_precision (more than 2 decimals), money_range, money_format. */
export function cnyToYunqi(s: string): number {
  if (typeof s !== 'string') throw new DomainError('money_format', `CNY amount must be a string, got ${typeof s}`);
  const problem = cnyProblem(s);
  if (problem) throw new DomainError(problem.code, problem.message);
  return new Decimal(s).times(YUNQI_PER_CNY).toNumber();
}

/** 2475 → "24.75"; always two decimals; negative amounts (clawbacks) keep their sign. */
export function yunqiToCny(n: number): string {
  if (!Number.isSafeInteger(n)) throw new DomainError('money_range', `yunqi must be a safe integer, got ${String(n)}`);
  // Only exact integer operations: the remainder, and a division that leaves no remainder.
  const neg = n < 0;
  const abs = neg ? -n : n;
  const fen = abs % 100;
  return `${neg ? '-' : ''}${(abs - fen) / 100}.${fen < 10 ? '0' : ''}${fen}`;
}
