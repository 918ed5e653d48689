/**
 * Migration 034 on the reconciliation runs of 012 (recorded once at their end, findings inline):
 * each run keeps its findings, moved to one result row per check it took (a check that failed
 * becomes an error), and the reshaped tables take new runs.
 */
import type { Sql } from '../db/client';
import { useDatabaseBefore } from './harness/database-before';
import { migrate } from '../db/migrate';
import * as repo from '../db/repositories/reconciliation';

const db = useDatabaseBefore(13, { name: 'recon_migration', max: 2 });
let sql: Sql;
const before034 = db.migrationsUpTo();
beforeAll(() => {
  sql = db.sql();
});

const finding = (check: string, subject: string, action: string) => ({ check, severity: 'warning', subject, action, message: `${check} ${action}`, details: {} });

test('migration 034 moves the findings of 012-shaped runs to result rows, and new runs record per check', async () => {
  await migrate(sql, before034);
  const checks = ['withdrawals_without_workflow', 'late_payouts', 'stale_withdrawals'];
  await sql`INSERT INTO reconciliation_runs (run_id, workflow_id, checks, findings, started_at, finished_at)
            VALUES ('run-old-1', 'reconciliation:sweep-2026-01-01T00:00:00Z', ${sql.array(checks)}, ${sql.json([
              finding('withdrawals_without_workflow', 'withdrawal:wd_1', 'resumed'),
              finding('withdrawals_without_workflow', 'withdrawal:wd_2', 'released'),
              { check: 'late_payouts', severity: 'alert', subject: 'sweep', action: 'failed', message: 'the check failed: provider down', details: {} },
            ] as never)}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z'),
                   ('run-old-2', 'reconciliation:sweep-2026-01-01T00:05:00Z', ${sql.array(checks)}, '[]', '2026-01-01T00:05:00Z', '2026-01-01T00:05:01Z')`;
  await migrate(sql);

  const old = await repo.runWithResults(sql, 'run-old-1');
  expect(old?.run).toMatchObject({ trigger: 'schedule', checks, findings: 2 });
  expect(old?.results.map((r) => [r.check_name, r.status, r.findings, r.sample.length, r.error])).toEqual([
    ['late_payouts', 'error', 0, 0, 'the check failed: provider down'],
    ['stale_withdrawals', 'ok', 0, 0, null],
    ['withdrawals_without_workflow', 'findings', 2, 2, null],
  ]);
  expect((await repo.runWithResults(sql))?.run.run_id).toBe('run-old-2');

  await repo.startRun(sql, { runId: 'run-new', workflowId: 'reconciliation:manual-1', trigger: 'manual', checks: ['cap_usage'] });
  expect((await repo.runWithResults(sql, 'run-new'))?.run.finished_at).toBeNull();
  await repo.saveResult(sql, { run_id: 'run-new', check_name: 'cap_usage', status: 'ok', findings: 0, sample: [], error: null, duration_ms: 3 });
  expect(await repo.finishRun(sql, 'run-new')).toMatchObject({ findings: 0, trigger: 'manual' });
  expect((await repo.latestResults(sql, ['cap_usage', 'late_payouts'])).map((r) => [r.check_name, r.run_id])).toEqual([
    ['cap_usage', 'run-new'],
    ['late_payouts', 'run-old-2'],
  ]);
});
