/**
 * How the consoles write money, rates and instants. Money arrives as CNY decimal strings from the
 * API and is formatted from the string itself (Intl formats a decimal string exactly): the
 * browser never computes with money. Instants are shown in China time (Asia/Shanghai, UTC+8)
 * with the zone named, whatever the reader's own zone.
 */
import { useTranslation } from 'react-i18next';

const PARTS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "2024-05-02 10:00 UTC+8" in either language. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = Object.fromEntries(PARTS.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} UTC+8`;
}

/** The UTC+8 calendar month of an instant: "2024-06". */
export function monthOf(ms: number): string {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
}

/** Whole days from now until `iso` (0 once past); time, not money. */
export function daysLeft(iso: string, nowMs = Date.now()): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - nowMs) / 86_400_000));
}

type NumberInput = Parameters<Intl.NumberFormat['format']>[0];
/** Intl formats a decimal string exactly (ECMA-402 NumberFormat v3). */
const exact = (s: string) => s as unknown as NumberInput;

export function useFormat() {
  const { i18n, t } = useTranslation();
  const locale = i18n.language;
  const cnyFormat = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const intFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pctFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 });
  return {
    /** "24.75" → "¥24.75" (zh-CN) / "CN¥24.75" (en). */
    cny: (decimal: string | null | undefined) => (decimal == null ? t('app.none') : cnyFormat.format(exact(decimal))),
    /** 2475 → "2,475 云气" / "2,475 yunqi" (integers only). */
    yunqi: (n: number | null | undefined) => (n == null ? t('app.none') : `${intFormat.format(n)} ${locale === 'zh-CN' ? '云气' : 'yunqi'}`),
    /** "0.25" → "25%". */
    pct: (rate: string | null | undefined) => (rate == null ? t('app.none') : pctFormat.format(exact(rate))),
    instant,
  };
}

/** A yunqi amount as the CNY decimal string the API would write (2475 → "24.75"), for amounts the
 * API gives only in yunqi (explanations); integer digits only, no arithmetic on floats. */
export function yunqiToCny(n: number): string {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** The CNY amounts the API accepts: digits, at most two decimals (domain/money.ts CNY_PATTERN). */
export const CNY_INPUT = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;
