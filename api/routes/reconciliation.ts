/** The reconciliation sweep for operations (ops token): the latest run's findings per named check, one run, a run now. */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import { nowOf } from '../../services/deps';
import { startReconciliation } from '../../contracts/reconciliation/client';
import { reconciliationView } from '../../services/reconciliation';
import { notFound } from '../errors';
import type { ApiRegistry } from '../registry';

const Run = z.object({
  runId: z.number(),
  trigger: z.enum(['schedule', 'manual']),
  workflowId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  findings: z.number().nullable(),
  checks: z.array(z.object({ name: z.string(), description: z.string().nullable(), status: z.enum(['ok', 'findings', 'error']), findings: z.number(), sample: z.array(z.unknown()), error: z.string().nullable(), durationMs: z.number(), checkedAt: z.string() })),
});

export function reconciliationRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ops/reconciliation',
    summary: 'The latest finished reconciliation run: per named check, its status, how many findings and the first of them',
    tags: ['ops', 'reconciliation'],
    auth: 'ops',
    responses: { 200: { description: 'the latest run (null before the first)', schema: z.object({ run: Run.nullable() }) } },
    handler: async () => ({ status: 200, body: { run: await reconciliationView(deps) } }),
  });

  api.add({
    method: 'get',
    path: '/v1/ops/reconciliation/runs/:runId',
    summary: 'One reconciliation run (also while it runs: the checks done so far)',
    tags: ['ops', 'reconciliation'],
    auth: 'ops',
    params: z.object({ runId: z.coerce.number().int().positive() }),
    responses: { 200: { description: 'the run', schema: Run }, 404: { description: 'no such run' } },
    handler: async ({ params }) => {
      const run = await reconciliationView(deps, params.runId);
      if (!run) throw notFound(`reconciliation run ${params.runId}`);
      return { status: 200, body: run };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/ops/reconciliation/runs',
    summary: 'Run the reconciliation sweep now (the same workflow the nightly Schedule starts)',
    tags: ['ops', 'reconciliation'],
    auth: 'ops',
    responses: { 202: { description: 'started; its run appears at GET /v1/ops/reconciliation when it finishes', schema: z.object({ workflowId: z.string() }) } },
    handler: async () => ({ status: 202, body: { workflowId: await startReconciliation(deps.client, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, nowMs: nowOf(deps) }) } }),
  });
}
