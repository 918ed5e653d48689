/** Prometheus metrics of this process (ops token: scrape with `authorization: {credentials: <OPS_TOKEN>}`). */
import type { Deps } from '../../services/deps';
import { createMetrics } from '../../services/metrics';
import type { ApiRegistry } from '../registry';

export function metricsRoutes(api: ApiRegistry, deps: Deps): void {
  const metrics = createMetrics(deps);
  api.add({
    method: 'get',
    path: '/metrics',
    summary: "Prometheus text: the program's metrics (orders by state and reason, yunqi by entry kind, withdrawals, payouts, webhooks, reconciliation), the Node process's, and the Temporal Core runtime's when this process runs a worker",
    tags: ['ops', 'metrics'],
    auth: 'ops',
    responses: { 200: { description: 'Prometheus text exposition format (text/plain; version=0.0.4)' } },
    handler: async (_input, _req, res) => {
      const text = await metrics.render();
      res.status(200).type(metrics.contentType).send(text);
    },
  });
}
