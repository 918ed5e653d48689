/**
 * Activities are built by a factory that takes their dependencies (database, Temporal client,
 * config, rule book), so tests pass the real ones. Every activity is idempotent: a retry must
 * not credit, reserve or record twice.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Sql } from '../db/client';
import type { RuleBook } from '../domain/rulesets';
import type { PayoutProvider } from '../payouts/provider';
import { createAssociationActivities } from './association';
import { createOrderActivities } from './order';
import { createWithdrawalActivities } from './withdrawal';

export interface ActivityDeps {
  sql: Sql;
  client: Client;
  config: Config;
  logger: Logger;
  ruleBook: RuleBook;
  /** Where withdrawals are paid out; default: the LocalPayoutProvider over `sql`. */
  payoutProvider?: PayoutProvider;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAssociationActivities(deps),
    ...createOrderActivities(deps),
    ...createWithdrawalActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
