/**
 * Activities are built by a factory that takes their dependencies (database, Temporal client,
 * config, rule book), so tests pass the real ones. Every activity is idempotent: a retry must
 * not credit, reserve or record twice.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Sql } from '../db/client';

export interface ActivityDeps {
  sql: Sql;
  client: Client;
  config: Config;
  logger: Logger;
}

export function createActivities(_deps: ActivityDeps) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
