/**
 * Replay of stored histories (test/histories/*.json, recorded from real runs) against the current
 * workflow bundle: proves that running executions, asleep for months, can continue on new code.
 * The second test proves the check can fail: a changed workflow does not replay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { HISTORIES_DIR } from './harness/histories';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // installed by an earlier file in this worker
}

function stored() {
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8'))) }));
}

async function replayAll(workflowBundle: { codePath: string } | { code: string }) {
  const results: { id: string; error?: unknown }[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: 'stored-histories' }, stored())) {
    results.push({ id: r.workflowId, error: r.error });
  }
  return results;
}

test('every stored history (orders, associations, withdrawals, reconciliation) replays on the current workflow code', async () => {
  const histories = stored();
  expect(histories.length).toBeGreaterThanOrEqual(3);
  const kinds = new Set(histories.map((h) => h.workflowId.split('-')[0]));
  expect([...kinds].sort()).toEqual(['customer', 'order', 'reconciliation', 'withdrawal']);
  const results = await replayAll({ codePath: process.env.TEST_WORKFLOW_BUNDLE! });
  expect(results.filter((r) => r.error)).toEqual([]);
  expect(results).toHaveLength(histories.length);
});

test('a workflow change that is not guarded by patched() fails the replay', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'fixtures', 'changed-order-workflow.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
  });
  const results = await replayAll({ code });
  const orders = results.filter((r) => r.id.startsWith('order-'));
  expect(orders.length).toBeGreaterThan(0);
  for (const r of orders) expect(r.error).toBeDefined();
});
