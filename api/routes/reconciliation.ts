/**
 * The reconciliation sweep for operations (ops token; services/reconciliation.ts): every named
 * check with its latest result and the latest run; one run (also while it goes on); a run now.
 */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { nowOf } from '../../services/deps';
import { startReconciliation } from '../../contracts/reconciliation/client';
import { reconciliationChecksView, reconciliationRunView } from '../../services/reconciliation';
import { notFound } from '../errors';
import type { ApiRegistry } from '../registry';
import { IdSchema } from '../schemas';

const Finding = z.object({
  check: z.string(),
  severity: z.enum(['info', 'warning', 'alert']),
  subject: z.string().describe('what it is about, e.g. withdrawal:wd_…, association:…, order:…'),
  action: z.string().describe('what the check did: resumed, released, settled, taken_into_ledger, reported'),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

const Result = z.object({
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(['ok', 'findings', 'error']),
  findings: z.number().describe('how many it found'),
  sample: z.array(Finding).describe('the findings (at most 200)'),
  error: z.string().nullable().describe('why the check could not run (status error)'),
  durationMs: z.number(),
  checkedAt: z.string(),
  runId: z.string(),
});

const Run = z.object({
  runId: z.string().describe('the Temporal run ID of the sweep'),
  workflowId: z.string().describe('the sweep in the Temporal UI'),
  trigger: z.enum(['schedule', 'manual']),
  checks: z.array(z.string()).describe('the named checks this run takes (a scheduled run: those due)'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  findings: z.number().nullable(),
  results: z.array(Result),
});

const Check = z.object({
  name: z.string(),
  description: z.string(),
  cadence: z.enum(['every_run', 'nightly']),
  latest: Result.nullable().describe('its latest result, whatever run took it (null before it first ran)'),
});

export function reconciliationRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ops/reconciliation',
    summary: 'The reconciliation sweep: every named check with its latest result, and the latest finished run',
    tags: ['ops', 'reconciliation'],
    auth: 'ops',
    responses: { 200: { description: 'the checks, and the latest run (null before the first)', schema: z.object({ latest: Run.nullable(), checks: z.array(Check) }) } },
    handler: async () => {
      const [latest, checks] = await Promise.all([reconciliationRunView(deps), reconciliationChecksView(deps)]);
      return { status: 200, body: { latest, checks } };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/reconciliation/runs/:runId',
    summary: 'One reconciliation run (also while it runs: the checks done so far)',
    tags: ['ops', 'reconciliation'],
    auth: 'ops',
    params: z.object({ runId: IdSchema.describe('the Temporal run ID of the sweep') }),
    responses: { 200: { description: 'the run', schema: Run }, 404: { description: 'no such run' } },
    handler: async ({ params }) => {
      const run = await reconciliationRunView(deps, params.runId);
      if (!run) throw notFound(`reconciliation run ${params.runId}`);
      return { status: 200, body: run };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/ops/reconciliation/runs',
    summary: 'Run the reconciliation sweep now, every check (the same workflow the Schedule starts)',
    tags: ['ops', 'reconciliation'],
    auth: 'ops',
    responses: { 202: { description: 'started; GET /v1/ops/reconciliation shows it when it finishes', schema: z.object({ workflowId: z.string() }) } },
    handler: async () => ({ status: 202, body: { workflowId: await startReconciliation(deps.client, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, nowMs: nowOf(deps) }) } }),
  });
}
