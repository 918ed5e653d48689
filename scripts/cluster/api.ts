/**
 * The HTTP API alone, as one process of the production topology (`npm run start:cluster` runs
 * it; so can any machine behind a load balancer). It builds the same app as scripts/start.ts from
 * the same parts, against an existing Postgres (DATABASE_URL, migrated by `npm run migrate`) and
 * Temporal (TEMPORAL_ADDRESS), waiting for them when they are away at its start. SIGINT/SIGTERM
 * stop it: no new connections, open requests finish.
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { ConfigError, loadConfig } from '../../config';
import { temporalConnectionOptions } from '../../config/temporal';
import { createSql } from '../../db/client';
import { createLogger } from '../../lib/logger';
import { RetryStopped, retryUntilDone } from '../../lib/retry';
import { openConfiguredRuleBook } from '../../services/rulesets/book';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError('DATABASE_URL and TEMPORAL_ADDRESS must be set to run the API alone (npm start runs everything in one process)');
  }
  const logger = createLogger(config, 'api');
  const sql = createSql(config.DATABASE_URL);
  // Postgres or Temporal away at the start (restarting, crashed): wait for them, saying why; a
  // signal meanwhile stops the waiting (exit 0).
  const starting = new AbortController();
  const abortStart = () => starting.abort();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, abortStart);
  const retry = <T>(what: string, step: () => Promise<T>) => retryUntilDone(what, step, { logger, signal: starting.signal, permanent: (err) => err instanceof ConfigError });
  let ruleBook: Awaited<ReturnType<typeof openConfiguredRuleBook>>;
  let connection: Connection;
  try {
    ruleBook = await retry('loading the rule book from Postgres', () => openConfiguredRuleBook(sql, config, logger));
    connection = await retry(`connecting to Temporal at ${config.TEMPORAL_ADDRESS}`, () => Connection.connect(temporalConnectionOptions(config)));
  } catch (err) {
    if (!(err instanceof RetryStopped)) throw err;
    await sql.end({ timeout: 5 });
    process.exit(0);
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, abortStart);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ sql, client, config, logger, ruleBook });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.API_PORT, config.API_HOST, () => resolve(s));
    s.once('error', reject);
  });
  logger.info({ address: `http://${config.API_HOST}:${config.API_PORT}`, temporal: config.TEMPORAL_ADDRESS }, 'api listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1); // a second signal: stop now
    stopping = true;
    logger.info({ signal }, 'api stopping');
    await new Promise((r) => server.close(r));
    await ruleBook.close();
    await Promise.allSettled([sql.end({ timeout: 5 }), connection.close()]);
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void stop(sig));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
