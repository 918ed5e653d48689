/**
 * `node --import tsx worker.ts`, the worker alone as the cluster and docker-compose run it, started
 * while neither Temporal nor its database can be reached yet (a service restarting, Postgres
 * crashed and coming back): it waits, saying why, and works once they are there; SIGTERM stops it
 * with exit code 0. A worker that exits instead leaves its queue to its supervisor's restarts.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerExecutable } from '../config/binaries';
import { createSql } from '../db/client';
import { placeOrder } from '../contracts/orders/client';
import { orderWorkflowId } from '../contracts/orders';
import type { OrderStatus } from '../contracts/orders';
import { freePort } from './harness/ports';
import { startNodeScript, type RunningScript } from './harness/node-script';
import { stopChild } from '../lib/child-process';

jest.setTimeout(180_000);

type Running = RunningScript;
const startWorker = (env: Record<string, string>): Running => startNodeScript('worker.ts', env);

/** Waits until the worker has printed `text`; fails at once, with what it printed, if it exited. */
async function printed(w: Running, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!w.output().includes(text)) {
    if (w.child.exitCode !== null) throw new Error(`the worker exited (${w.child.exitCode}) before printing "${text}"; it printed:\n${w.output().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the worker did not print "${text}"; it printed:\n${w.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let worker: Running | undefined;
let env: TestWorkflowEnvironment | undefined;
const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const database = `t_worker_process_${process.pid}`;

afterAll(async () => {
  if (worker) await stopChild(worker.child);
  await env?.teardown();
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
});

test('a worker started before Temporal and Postgres are reachable waits for them, then settles orders; SIGTERM stops it cleanly', async () => {
  const port = await freePort();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${database}`;
  const taskQueue = `worker-process-${process.pid}`;
  worker = startWorker({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, DATABASE_URL: dbUrl.toString(), TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_SEARCH_ATTRIBUTES: 'false' });

  // No Temporal server yet: the worker says so and keeps trying.
  await printed(worker, `connecting the worker to Temporal at 127.0.0.1:${port} failed; trying again`);
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), port, log: { format: 'pretty', level: 'error' } } });

  // Temporal is there; its database is not (yet): the worker says so and keeps trying.
  await printed(worker, 'loading the rule book from Postgres failed; trying again');
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${database} TEMPLATE ${process.env.TEST_PG_TEMPLATE!}`).finally(() => admin.end());
  await printed(worker, 'worker running');

  // It works: an order of a customer nobody referred is settled as not attributed.
  const orderId = `wp-${process.pid}`;
  await placeOrder(
    env.client,
    { orderId, customerId: `wp-cust-${process.pid}`, productCode: 'ecs.g7.large', productCategory: 'core', paidAmount: '99.00', billing: 'prepaid', orderType: 'new', placedAt: new Date().toISOString() },
    { taskQueue },
  );
  const final = (await env.client.workflow.getHandle(orderWorkflowId(orderId)).result()) as OrderStatus;
  expect(final.state).toBe('not_attributed');

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  worker = undefined;
});
