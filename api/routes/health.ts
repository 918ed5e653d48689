/** Liveness (process up) and readiness (Temporal and Postgres reachable). */
import { z } from 'zod';
import type { Deps } from '../../services/deps';
import type { ApiRegistry } from '../registry';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

export function healthRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tags: ['health'],
    auth: 'none',
    responses: { 200: { description: 'up', schema: Health } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  });

  api.add({
    method: 'get',
    path: '/readyz',
    summary: 'Temporal and Postgres are reachable',
    tags: ['health'],
    auth: 'none',
    responses: { 200: { description: 'ready', schema: Health }, 503: { description: 'not ready', schema: Health } },
    handler: async () => {
      const withTimeout = <T>(p: Promise<T>) =>
        Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000))]);
      const checks: Record<string, string> = {};
      await Promise.all([
        withTimeout(deps.sql`SELECT 1`).then(
          () => (checks.postgres = 'ok'),
          (e: Error) => (checks.postgres = `unreachable: ${e.message}`),
        ),
        withTimeout(deps.client.workflowService.getSystemInfo({})).then(
          () => (checks.temporal = 'ok'),
          (e: Error) => (checks.temporal = `unreachable: ${e.message}`),
        ),
      ]);
      const ok = Object.values(checks).every((v) => v === 'ok');
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', checks } };
    },
  });
}
