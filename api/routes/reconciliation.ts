/**
 * GET /v1/ops/reconciliation (ops token): the latest run of the reconciliation sweep and its
 * findings (services/reconciliation.ts). Read-only; the sweep itself runs on its schedule.
 */
import { z } from 'zod';
import { latestReconciliationRun } from '../../services/reconciliation';
import type { Deps } from '../../services/deps';
import type { ApiRegistry } from '../registry';

const Finding = z.object({
  check: z.string(),
  severity: z.enum(['info', 'warning', 'alert']),
  subject: z.string(),
  action: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

const Run = z.object({
  workflowId: z.string().describe('the sweep run in the Temporal UI'),
  runId: z.string(),
  checks: z.array(z.string()).describe('the named checks that ran'),
  startedAt: z.string(),
  finishedAt: z.string(),
  findings: z.array(Finding),
});

export function reconciliationRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ops/reconciliation',
    summary: 'The latest reconciliation sweep: its checks and findings (withdrawals resumed, released, late payouts, stale ones)',
    tags: ['ops'],
    auth: 'ops',
    responses: { 200: { description: 'the latest run, or null before the first', schema: z.object({ latest: Run.nullable() }) } },
    handler: async () => {
      const r = await latestReconciliationRun(deps.sql);
      const latest = r
        ? { workflowId: r.workflow_id, runId: r.run_id, checks: r.checks, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at.toISOString(), findings: r.findings }
        : null;
      return { status: 200, body: { latest } };
    },
  });
}
