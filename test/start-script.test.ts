/**
 * `npm start`'s script as a child process: the real Temporal dev server (with its UI), an embedded
 * Postgres, the worker and the API. Readiness turns 200, the UI lists the namespace, SIGTERM leaves
 * no child behind, and a second start finds the data of the first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from './harness/ports';
import { startNodeScript, type RunningScript } from './harness/node-script';

jest.setTimeout(240_000);

type Started = RunningScript;
const startScript = (env: Record<string, string>): Started => startNodeScript(path.join('scripts', 'start.ts'), env);

async function waitFor(fn: () => Promise<boolean>, timeoutMs: number, what: string, run?: Started): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    // A script that stopped will not turn ready: say so at once, with what it printed.
    if (run && run.child.exitCode !== null) throw new Error(`the script exited (${run.child.exitCode}) before ${what}; it printed:\n${run.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${run ? `; the script printed:\n${run.output().slice(-4000)}` : ''}`);
}

/** Requests from `workers` concurrent clients until stopped: orders (workflows and activities) and reads. */
function load(api: string, workers = 12) {
  const statuses: number[] = [];
  let running = true;
  const one = async (w: number, i: number) => {
    const order = { orderId: `load-${w}-${i}-${Date.now()}`, customerId: `load-cust-${w}`, productCode: 'ecs', productCategory: 'core', paidAmount: '99.00', billing: 'prepaid', orderType: 'new', placedAt: '2024-05-02T10:00:00+08:00' };
    const res = await fetch(`${api}/v1/orders`, { method: 'POST', headers: { authorization: 'Bearer dev-service-token-change-me', 'content-type': 'application/json' }, body: JSON.stringify(order) });
    statuses.push(res.status);
    if (res.status === 503) expect(res.headers.get('retry-after')).toBe('5');
    await res.arrayBuffer();
  };
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) await one(w, i).catch(() => statuses.push(0));
  });
  return { statuses, stop: async () => ((running = false), await Promise.all(loops)) };
}

function processGroups(text: string): { pid: number; pgid: number }[] {
  const ps = execFileSync('ps', ['-eo', 'pid,pgid,args'], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((l) => l.includes(text) && !l.includes('ps -eo'))
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, pgid]) => ({ pid: Number(pid), pgid: Number(pgid) }));
}

function processesMentioning(text: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-start-'));
  fs.chmodSync(dataDir, 0o755);
});
afterAll(() => {
  for (const line of processesMentioning(dataDir)) {
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (pid) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function ports() {
  return {
    API_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    PG_PORT: String(await freePort()),
  };
}

test('start script: /readyz turns 200, the UI lists the namespace, SIGTERM under load stops in order within 10 s, data survives a restart, a second signal forces', async () => {
  const p = await ports();
  const env = { ...p, DATA_DIR: dataDir };
  const first = startScript(env);
  const api = `http://127.0.0.1:${p.API_PORT}`;
  await waitFor(async () => (await fetch(`${api}/readyz`)).status === 200, 180_000, '/readyz 200', first);
  expect(first.output()).toContain(`http://127.0.0.1:${p.TEMPORAL_UI_PORT}`);
  const ns = await (await fetch(`http://127.0.0.1:${p.TEMPORAL_UI_PORT}/api/v1/namespaces`)).json();
  expect(JSON.stringify(ns)).toContain('"default"');
  expect((await fetch(`${api}/healthz`)).status).toBe(200);
  expect(processesMentioning(dataDir).length).toBeGreaterThan(0);
  // Postgres and Temporal run in process groups of their own: a terminal's Ctrl+C reaches only the script.
  const ownGroup = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(first.child.pid)], { encoding: 'utf8' }).trim());
  const children = processGroups(dataDir);
  expect(children.length).toBeGreaterThanOrEqual(2);
  for (const c of children) expect(c.pgid).not.toBe(ownGroup);

  const traffic = load(api);
  await new Promise((r) => setTimeout(r, 3_000));
  const signalled = Date.now();
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  const tookMs = Date.now() - signalled;
  await traffic.stop();
  expect(tookMs).toBeLessThan(10_000);
  expect(traffic.statuses.filter((x) => x === 202).length).toBeGreaterThan(0);
  expect(traffic.statuses.filter((x) => x >= 500 && x !== 503)).toEqual([]);
  // In order: intake, the worker, Temporal, Postgres.
  const order = ['stopped api', 'stopped worker', 'stopped temporal dev server', 'stopped postgres pool', 'stopped postgres"'].map((m) => first.output().indexOf(m));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  await waitFor(async () => processesMentioning(dataDir).length === 0, 15_000, 'children to exit');
  expect(processesMentioning(dataDir)).toEqual([]);

  const second = startScript(env);
  await waitFor(async () => (await fetch(`${api}/readyz`)).status === 200, 180_000, '/readyz 200 after restart', second);
  expect(second.output()).toContain('database schema up to date');
  // A second signal does not wait: what is left is killed.
  second.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(130);
  await waitFor(async () => processesMentioning(dataDir).length === 0, 15_000, 'children killed');
});

test('start script: a port already taken gives a clear message, not a stack trace', async () => {
  const p = await ports();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(Number(p.API_PORT), '127.0.0.1', () => r()));
  try {
    const run = startScript({ ...p, DATA_DIR: path.join(dataDir, 'unused') });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${p.API_PORT} (API_PORT) is already in use`);
    expect(run.output()).not.toMatch(/\n\s+at /);
  } finally {
    blocker.close();
  }
});

test('start script: a bad setting stops the process with a message naming the variable', async () => {
  const run = startScript({ API_PORT: 'not-a-port', DATA_DIR: path.join(dataDir, 'unused') });
  expect(await run.exited).toBe(2);
  expect(run.output()).toContain('API_PORT');
});

test('start script end to end: a click and an order through REST reach the ops timelines and the Temporal UI; the ambassador withdraws with tax withheld; a rule set published a minute ahead rules the order placed after its instant, and /metrics shows the orders', async () => {
  const p = await ports();
  const run = startScript({ ...p, DATA_DIR: path.join(dataDir, 'e2e') });
  const api = `http://127.0.0.1:${p.API_PORT}`;
  const ui = `http://127.0.0.1:${p.TEMPORAL_UI_PORT}/api/v1/namespaces/default/workflows`;
  try {
    await waitFor(async () => (await fetch(`${api}/readyz`)).status === 200, 180_000, '/readyz 200', run);
    const call = async (method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${api}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const service = 'dev-service-token-change-me';
    const ops = 'dev-ops-token-change-me';

    const joined = await call('POST', '/v1/ambassadors', service, { accountId: 'acct-e2e', kind: 'individual', displayName: 'E2E', realNameVerified: true, joinedAt: '2024-04-01T00:00:00+08:00' });
    expect(joined.status).toBe(201);
    const { token, ambassador } = joined.body;
    expect((await call('PUT', '/v1/customers/cust-e2e', service, {})).status).toBe(200);
    const click = await call('POST', '/v1/clicks', service, { customerId: 'cust-e2e', usercode: ambassador.usercode, clickId: 'click-e2e', occurredAt: '2024-05-01T10:30:00+08:00' });
    expect(click.status).toBe(202);
    let timeline: { kind: string }[] = [];
    await waitFor(async () => {
      timeline = (await call('GET', '/v1/ops/customers/cust-e2e/association', ops)).body.timeline ?? [];
      return timeline.some((e) => e.kind === 'created');
    }, 30_000, 'the click in the ops timeline');

    const order = { orderId: 'ord-e2e', customerId: 'cust-e2e', productCode: 'ecs', productCategory: 'core', paidAmount: '20000.00', billing: 'prepaid', orderType: 'new', placedAt: '2024-05-02T10:00:00+08:00' };
    expect((await call('POST', '/v1/orders', service, order)).status).toBe(202);
    let view: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    await waitFor(async () => {
      view = (await call('GET', '/v1/ops/orders/ord-e2e', ops)).body;
      return view.state === 'completed';
    }, 60_000, 'the order settled');
    expect(view.reward).toEqual({ yunqi: 300_000, cny: '3000.00' }); // 20,000 x 25% = 5,000 capped at 3,000
    expect(view.timeline.map((e: { kind: string }) => e.kind)).toContain('credited');

    // The Temporal UI lists both workflows, and the order can be found by its search attributes.
    const listed = async (query: string) => (await (await fetch(`${ui}?query=${encodeURIComponent(query)}`)).json()) as { executions?: { execution: { workflowId: string } }[] };
    await waitFor(async () => ((await listed(`WorkflowId="customer:cust-e2e"`)).executions ?? []).length === 1, 30_000, 'customer workflow in the UI');
    await waitFor(async () => ((await listed(`OrderState="completed" AND CustomerId="cust-e2e"`)).executions ?? []).some((e) => e.execution.workflowId === 'order:ord-e2e'), 30_000, 'order in the UI by search attributes');

    const wd = await call('POST', '/v1/ambassadors/me/withdrawals', token, { amount: '3000.00' }, { 'idempotency-key': 'wd-e2e-1' });
    expect(wd.status).toBe(201);
    expect(wd.body).toMatchObject({ gross: '3000.00', tax: '440.00', net: '2560.00' });
    let paid: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    await waitFor(async () => {
      paid = (await call('GET', `/v1/ambassadors/me/withdrawals/${wd.body.id}`, token)).body;
      return paid.status === 'paid';
    }, 30_000, 'the payout');
    const balance = (await call('GET', '/v1/ambassadors/me/balance', token)).body;
    expect(balance.available).toMatchObject({ yunqi: 0 });

    // The reconciliation sweep is a schedule npm start registered; triggered, its run's findings are on the ops endpoint.
    const connection = await Connection.connect({ address: `127.0.0.1:${p.TEMPORAL_PORT}` });
    try {
      const schedule = new Client({ connection }).schedule.getHandle('reconciliation-sweep');
      expect((await schedule.describe()).action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliationSweep' });
      await schedule.trigger();
      await waitFor(async () => (await call('GET', '/v1/ops/reconciliation', ops)).body.latest !== null, 30_000, 'a sweep run');
      // The first scheduled run takes every check (the nightly ones have never run): each has a result, none an error.
      const checks = (await call('GET', '/v1/ops/reconciliation', ops)).body.checks as { name: string; latest: { status: string } | null }[];
      expect(checks.map((c) => [c.name, c.latest !== null && c.latest.status !== 'error'])).toEqual(checks.map((c) => [c.name, true]));
    } finally {
      await connection.close();
    }
    // Issue 14: a rule set published to take effect a minute later changes the rate of an order
    // placed after that instant and not of one placed before it (an order system's clock may run
    // up to 5 minutes ahead, so both are placed now); /metrics shows them at once.
    const latest = (await call('GET', '/v1/ops/rulesets', ops)).body.versions.at(-1).ruleSet;
    const effectiveFrom = Date.now() + 60_000;
    const halfRate = { ...latest, version: 'e2e-half-rate', effectiveFrom: new Date(effectiveFrom).toISOString(), levels: { ...latest.levels, L1: { ...latest.levels.L1, firstPurchaseRate: '0.5' } } };
    expect((await call('POST', '/v1/ops/rulesets', ops, { ruleSet: halfRate, author: 'pm-e2e', reason: 'L1 first purchases at 50%' })).status).toBe(201);
    const ruled: Record<string, { ruleSetVersion: string; reward: { yunqi: number } }> = {};
    for (const [id, placedAt] of [['before', effectiveFrom - 1], ['after', effectiveFrom]] as const) {
      expect((await call('PUT', `/v1/customers/cust-e2e-${id}`, service, {})).status).toBe(200);
      expect((await call('POST', '/v1/clicks', service, { customerId: `cust-e2e-${id}`, usercode: ambassador.usercode, clickId: `click-e2e-${id}`, occurredAt: new Date().toISOString() })).status).toBe(202);
      await waitFor(async () => ((await call('GET', `/v1/ops/customers/cust-e2e-${id}/association`, ops)).body.timeline ?? []).some((e: { kind: string }) => e.kind === 'created'), 30_000, `the ${id} click`);
      const o = { ...order, orderId: `ord-e2e-${id}`, customerId: `cust-e2e-${id}`, paidAmount: '100.00', placedAt: new Date(placedAt).toISOString() };
      expect((await call('POST', '/v1/orders', service, o)).status).toBe(202);
      await waitFor(async () => {
        ruled[id] = (await call('GET', `/v1/ops/orders/ord-e2e-${id}`, ops)).body as (typeof ruled)[string] & { state: string };
        return (ruled[id] as unknown as { state: string }).state === 'in_review';
      }, 30_000, `the ${id} order assessed`);
    }
    expect([ruled.before!.ruleSetVersion, ruled.before!.reward.yunqi]).toEqual(['2024-06-01', 2_500]);
    expect([ruled.after!.ruleSetVersion, ruled.after!.reward.yunqi]).toEqual(['e2e-half-rate', 5_000]);
    const metrics = await (await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${ops}` } })).text();
    expect(metrics).toMatch(/^settlement_orders\{state="in_review",reason=""\} 2$/m);
    expect(metrics).toMatch(/^settlement_orders\{state="completed",reason=""\} 1$/m);

    // Promotion links use the address the API listens on.
    expect((await call('GET', '/v1/ambassadors/me/link', token)).body.url).toBe(`${api}/r/${ambassador.usercode}`);
  } finally {
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }
});
