/**
 * A step retried until it works, with a growing pause between tries: for what a long-running
 * process needs from a service that can be briefly away (Temporal restarting, Postgres crashed and
 * coming back). Each failure is logged with its reason; an error the caller calls permanent (bad
 * settings) ends the retrying at once, and so does the signal (the process is asked to stop).
 */
import type { Logger } from 'pino';

export interface RetryOptions {
  logger: Pick<Logger, 'warn'>;
  signal: AbortSignal;
  /** Errors no retry can cure (default: none). */
  permanent?: (err: unknown) => boolean;
  /** The first pause, doubled after each failure up to maxDelayMs (defaults 500 ms and 10 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** Thrown when the signal stops the retrying before the step worked. */
export class RetryStopped extends Error {
  constructor(what: string) {
    super(`stopped before ${what} worked`);
  }
}

/** Runs `step` until it resolves; answers its value. */
export async function retryUntilDone<T>(what: string, step: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const maxDelayMs = opts.maxDelayMs ?? 10_000;
  let delayMs = opts.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) throw new RetryStopped(what);
    try {
      return await step();
    } catch (err) {
      if (opts.permanent?.(err) || opts.signal.aborted) throw err;
      opts.logger.warn({ err, attempt, retryInMs: delayMs }, `${what} failed; trying again in ${delayMs} ms`);
    }
    await pause(delayMs, opts.signal);
    delayMs = Math.min(maxDelayMs, delayMs * 2);
  }
}

/** Waits `ms`, or less when the signal comes first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
