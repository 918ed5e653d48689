/**
 * Stored workflow histories for replay tests. Tests that run a scenario call `keepHistory`; with
 * RECORD_HISTORIES=1 the history is written to test/histories/<name>.json (commit it). The replay
 * test then runs every stored history against the current workflow code: a change that running
 * executions could not replay fails it (guard such changes with `patched`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');
/** Histories of the operations workflows (deliveries, simulations, reconciliation); test/replay.test.ts replays them (and test/tracing.test.ts, with tracing on and off). */
export const OPS_HISTORIES_DIR = path.join(HISTORIES_DIR, 'ops');

export async function keepHistory(handle: WorkflowHandle, name: string, dir = HISTORIES_DIR): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), historyToJSON(history));
}
