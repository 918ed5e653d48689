/**
 * The worker (`worker.ts`) and the API (`scripts/cluster/api.ts`) alone, as the cluster and
 * docker-compose run them, started while Temporal or their database cannot be reached yet (a
 * service restarting, Postgres crashed and coming back): each waits, saying why, and works once
 * they are there; SIGTERM stops it with exit code 0. A process that exits instead leaves its work
 * to its supervisor's restarts.
 */
import path from 'node:path';
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

/** Waits until the process has printed `text`; fails at once, with what it printed, if it exited. */
async function printed(w: Running, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!w.output().includes(text)) {
    if (w.child.exitCode !== null) throw new Error(`the process exited (${w.child.exitCode}) before printing "${text}"; it printed:\n${w.output().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the process did not print "${text}"; it printed:\n${w.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let worker: Running | undefined;
let api: Running | undefined;
let env: TestWorkflowEnvironment | undefined;
let apiEnv: TestWorkflowEnvironment | undefined;
const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const database = `t_worker_process_${process.pid}`;
const apiDatabase = `t_api_process_${process.pid}`;

async function admin(statement: string): Promise<void> {
  const a = createSql(adminUrl, { max: 1 });
  await a.unsafe(statement).finally(() => a.end());
}

const urlOf = (name: string): string => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

afterAll(async () => {
  for (const p of [worker, api]) if (p) await stopChild(p.child);
  await env?.teardown();
  await apiEnv?.teardown();
  for (const name of [database, apiDatabase]) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

test('a worker started before Temporal and Postgres are reachable waits for them, then settles orders; SIGTERM stops it cleanly', async () => {
  const port = await freePort();
  const taskQueue = `worker-process-${process.pid}`;
  worker = startWorker({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, DATABASE_URL: urlOf(database), TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_SEARCH_ATTRIBUTES: 'false' });

  // No Temporal server yet: the worker says so and keeps trying.
  await printed(worker, `connecting the worker to Temporal at 127.0.0.1:${port} failed; trying again`);
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), port, log: { format: 'pretty', level: 'error' } } });

  // Temporal is there; its database is not (yet): the worker says so and keeps trying.
  await printed(worker, 'loading the rule book from Postgres failed; trying again');
  await admin(`CREATE DATABASE ${database} TEMPLATE ${process.env.TEST_PG_TEMPLATE!}`);
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

test('the API started before its database and Temporal are reachable waits for them, then answers ready; SIGTERM stops it cleanly', async () => {
  const [temporalPort, apiPort] = [await freePort(), await freePort()];
  api = startNodeScript(path.join('scripts', 'cluster', 'api.ts'), { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, DATABASE_URL: urlOf(apiDatabase), API_PORT: String(apiPort), API_HOST: '127.0.0.1' });

  await printed(api, 'loading the rule book from Postgres failed; trying again');
  await admin(`CREATE DATABASE ${apiDatabase} TEMPLATE ${process.env.TEST_PG_TEMPLATE!}`);
  await printed(api, `connecting to Temporal at 127.0.0.1:${temporalPort} failed; trying again`);
  apiEnv = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), port: temporalPort, log: { format: 'pretty', level: 'error' } } });
  await printed(api, 'api listening');
  const ready = await fetch(`http://127.0.0.1:${apiPort}/readyz`);
  expect(ready.status).toBe(200);

  api.child.kill('SIGTERM');
  expect(await api.exited).toBe(0);
  api = undefined;
});
