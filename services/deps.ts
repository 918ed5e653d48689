/**
 * What services, activities and routes are built from: the database, the Temporal client, the
 * settings, a logger and the rule book; tests pass the real ones.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { customerTaskQueue, type Config } from '../config';
import type { Sql } from '../db/client';
import type { RuleBook } from '../domain/rulesets';

export interface Deps {
  sql: Sql;
  client: Client;
  config: Config;
  logger: Logger;
  ruleBook: RuleBook;
  /** The clock (epoch ms); Date.now when absent (tests align it with the time-skipping server). */
  now?: () => number;
}

export const nowOf = (deps: Pick<Deps, 'now'>): number => deps.now?.() ?? Date.now();

/** Options of the contract clients, from the settings. */
export const temporalOptions = (config: Config) => ({ taskQueue: config.TEMPORAL_TASK_QUEUE, searchAttributes: config.TEMPORAL_SEARCH_ATTRIBUTES });
/** The same for the customer workflows, on their own task queue (docs/performance.md). */
export const customerTemporalOptions = (config: Config) => ({ taskQueue: customerTaskQueue(config), searchAttributes: config.TEMPORAL_SEARCH_ATTRIBUTES });
