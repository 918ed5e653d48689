/**
 * The reconciliation sweep (docs/operations.md "Reconciliation"): a list of named checks, each run
 * on its own (an activity each: one that throws is recorded as an error and the others still run),
 * its findings counted and the first of them kept for people; a run's totals feed the metrics and
 * GET /v1/ops/reconciliation. A Temporal Schedule runs it nightly; ops run it on demand.
 */
import { foldCounters } from '../db/repositories/ops-metrics';
import * as repo from '../db/repositories/reconciliation';
import type { Deps } from './deps';
import { MONEY_CHECKS, type ReconciliationCheck } from './reconciliation-checks';

export type { ReconciliationCheck } from './reconciliation-checks';

/** Every named check, in the order a run takes them. Further checks join this list. */
export const RECONCILIATION_CHECKS: readonly ReconciliationCheck[] = [...MONEY_CHECKS];

const SAMPLE = 20;

/** Starts (or finds) the run of a workflow; answers its id and the checks to run. */
export async function startRun(deps: Pick<Deps, 'sql'>, input: { workflowId: string; trigger: 'schedule' | 'manual' }): Promise<{ runId: number; checks: string[] }> {
  const run = await repo.startRun(deps.sql, input.workflowId, input.trigger);
  return { runId: run.id, checks: RECONCILIATION_CHECKS.map((c) => c.name) };
}

/** Runs one check and records it; an unknown name or a check that throws is recorded as an error. */
export async function runCheck(deps: Pick<Deps, 'sql' | 'client'>, input: { runId: number; check: string }): Promise<{ check: string; status: repo.ResultRow['status']; findings: number }> {
  const check = RECONCILIATION_CHECKS.find((c) => c.name === input.check);
  const started = Date.now();
  let result: Omit<repo.ResultRow, 'checked_at'>;
  try {
    if (!check) throw new Error(`no check named ${input.check}`);
    const findings = await check.run(deps);
    result = { run_id: input.runId, check_name: input.check, status: findings.length ? 'findings' : 'ok', findings: findings.length, sample: findings.slice(0, SAMPLE), error: null, duration_ms: Date.now() - started };
  } catch (err) {
    result = { run_id: input.runId, check_name: input.check, status: 'error', findings: 0, sample: [], error: (err as Error).message, duration_ms: Date.now() - started };
  }
  await repo.saveResult(deps.sql, result);
  return { check: input.check, status: result.status, findings: result.findings };
}

/** Closes the run (and folds the metric counters of backends that are gone: housekeeping). */
export async function finishRun(deps: Pick<Deps, 'sql'>, runId: number): Promise<{ runId: number; findings: number }> {
  await foldCounters(deps.sql);
  const run = await repo.finishRun(deps.sql, runId);
  return { runId, findings: run.findings ?? 0 };
}

/** A run as ops see it (the latest finished one when `id` is absent), each check with its description. */
export async function reconciliationView(deps: Pick<Deps, 'sql'>, id?: number) {
  const found = await repo.runWithResults(deps.sql, id);
  if (!found) return null;
  const { run, results } = found;
  return {
    runId: run.id,
    trigger: run.trigger,
    workflowId: run.workflow_id,
    startedAt: run.started_at.toISOString(),
    finishedAt: run.finished_at?.toISOString() ?? null,
    findings: run.findings,
    checks: results.map((r) => ({
      name: r.check_name,
      description: RECONCILIATION_CHECKS.find((c) => c.name === r.check_name)?.description ?? null,
      status: r.status,
      findings: r.findings,
      sample: r.sample,
      error: r.error,
      durationMs: r.duration_ms,
      checkedAt: r.checked_at.toISOString(),
    })),
  };
}
