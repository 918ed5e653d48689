/**
 * Rate limits counted in Postgres, so every API replica shares them and a restart keeps them:
 * express-rate-limit with a store over db/repositories/rate-limits.ts (a fixed window per key,
 * one atomic upsert per request). Answers carry the IETF draft's RateLimit-Policy and RateLimit
 * headers (express-rate-limit's draft-8); a request over the limit is 429 with Retry-After.
 */
import { rateLimit, type Options, type Store } from 'express-rate-limit';
import type { RequestHandler, Response } from 'express';
import type { Sql } from '../db/client';
import * as counters from '../db/repositories/rate-limits';
import { HttpError } from './errors';

/** express-rate-limit's store interface over the Postgres counters. */
export class PostgresRateLimitStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;

  constructor(
    private readonly sql: Sql,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string) {
    const c = await counters.current(this.sql, this.prefix + key, this.windowMs);
    return c && { totalHits: c.hits, resetTime: c.resetAt };
  }

  async increment(key: string) {
    const c = await counters.hit(this.sql, this.prefix + key, this.windowMs);
    if (Math.random() < 0.01) void counters.deleteOldWindows(this.sql).catch(() => undefined);
    return { totalHits: c.hits, resetTime: c.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await counters.unhit(this.sql, this.prefix + key, this.windowMs);
  }

  async resetKey(key: string): Promise<void> {
    await counters.forget(this.sql, this.prefix + key);
  }
}

/** `limit` requests per minute per key (the key comes from the authenticated caller). */
export function perMinuteLimit(opts: { sql: Sql; name: string; limit: number; what: string; key: (res: Response) => string }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: opts.name,
    store: new PostgresRateLimitStore(opts.sql, `${opts.name}:`),
    keyGenerator: (_req, res) => opts.key(res),
    handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited', `at most ${opts.limit} ${opts.what} per minute; try again later (see Retry-After)`)),
  });
}
