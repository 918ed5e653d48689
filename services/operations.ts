/**
 * What a process starts for operations when it comes up (npm start, worker.ts): the webhook
 * delivery workflow (signal-with-start: running already is fine) and the reconciliation Schedule
 * (created, or brought to the settings). A failure is logged, never fatal: the rest of
 * the system works without them, and the next start tries again.
 */
import type { Logger } from 'pino';
import { ensureDeliveries } from '../contracts/deliveries/client';
import { ensureReconciliationSchedule } from '../contracts/reconciliation/client';
import { RECONCILIATION_SCHEDULE_ID } from '../contracts/reconciliation';
import type { Deps } from './deps';

export async function startOperations(deps: Pick<Deps, 'client' | 'config'> & { logger: Logger }): Promise<void> {
  const { client, config, logger } = deps;
  try {
    await ensureDeliveries(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, idleMaxMs: config.WEBHOOK_IDLE_MAX_SECONDS * 1000 });
  } catch (err) {
    logger.error({ err }, 'could not start the webhook delivery workflow');
  }
  try {
    const done = await ensureReconciliationSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, everySeconds: config.RECONCILIATION_EVERY_SECONDS });
    logger.info(
      { schedule: RECONCILIATION_SCHEDULE_ID, everySeconds: config.RECONCILIATION_EVERY_SECONDS, nightlyHour: config.RECONCILIATION_HOUR, done },
      `reconciliation sweep scheduled every ${config.RECONCILIATION_EVERY_SECONDS} s, its nightly checks after ${config.RECONCILIATION_HOUR}:00 China Standard Time (schedule ${RECONCILIATION_SCHEDULE_ID})`,
    );
  } catch (err) {
    logger.error({ err }, 'could not register the reconciliation schedule');
  }
}
