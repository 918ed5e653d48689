/**
 * Prometheus metrics of a process (GET /metrics on the API, METRICS_PORT on a worker): the Node
 * process's own (prom-client defaults), the program's (read from Postgres at each scrape, so
 * every process reports the same totals: aggregate them with max, not sum), and the Temporal Core
 * runtime's (workflow-task latency, polls, slots), appended from its exporter on
 * TEMPORAL_METRICS_PORT when this process runs one.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Deps } from '../deps';
import { counters, withdrawalsByStatus } from '../../db/repositories/ops-metrics';
import { reconciliationMetrics } from '../reconciliation';
import { deliveryStats } from '../../db/repositories/outbox';
import { LiveRuleBook } from '../rulesets/book';

export interface Metrics {
  registry: Registry;
  contentType: string;
  render: () => Promise<string>;
}

type MetricsDeps = Pick<Deps, 'sql' | 'config' | 'ruleBook'>;

function program(registry: Registry) {
  const registers = [registry];
  return {
    orders: new Gauge({ name: 'settlement_orders', help: 'Orders in each state now, by reason code ("" when none)', labelNames: ['state', 'reason'], registers }),
    entered: new Counter({ name: 'settlement_order_transitions_total', help: 'Times an order entered a state (with its reason code)', labelNames: ['state', 'reason'], registers }),
    entries: new Counter({ name: 'settlement_ledger_entries_total', help: 'Ledger entries written, by kind (reward.granted, reward.credited, reward.voided, reward.clawback, withdrawal.*)', labelNames: ['kind'], registers }),
    yunqi: new Counter({ name: 'settlement_ledger_yunqi_total', help: 'Yunqi moved by ledger entries of each kind (the positive side of their postings): granted, credited, voided, clawed back, withdrawn', labelNames: ['kind'], registers }),
    withdrawals: new Gauge({ name: 'settlement_withdrawals', help: 'Withdrawals by status', labelNames: ['status'], registers }),
    payoutRetrying: new Gauge({ name: 'settlement_payouts_retrying', help: 'Open withdrawals whose last payout attempt failed (being retried)', registers }),
    payoutFailures: new Gauge({ name: 'settlement_payout_failures', help: 'Withdrawals whose payout failed definitively (reservation released)', registers }),
    bookAge: new Gauge({ name: 'settlement_rule_book_age_seconds', help: 'Seconds since this process last read the rule-set table (alert above RULESET_PUBLISH_LEAD_SECONDS)', registers }),
    deliveries: new Gauge({ name: 'settlement_webhook_deliveries', help: 'Webhook deliveries by status (failed: every attempt failed; see GET /v1/ops/webhooks/{id}/deliveries)', labelNames: ['status'], registers }),
    oldestPending: new Gauge({ name: 'settlement_webhook_oldest_pending_seconds', help: 'Age of the oldest webhook delivery not yet delivered', registers }),
    findings: new Gauge({ name: 'settlement_reconciliation_findings', help: 'Findings of each named check in its latest reconciliation result (0 when sound)', labelNames: ['check'], registers }),
    checkErrors: new Gauge({ name: 'settlement_reconciliation_check_errors', help: 'Named checks whose latest reconciliation result is an error (the check could not run)', registers }),
    lastSweep: new Gauge({ name: 'settlement_reconciliation_last_run_timestamp_seconds', help: 'When the latest reconciliation run finished (alert when older than a few RECONCILIATION_EVERY_SECONDS)', registers }),
    coreUp: new Gauge({ name: 'settlement_temporal_core_metrics_up', help: '1 when the Temporal Core runtime metrics were appended to this scrape', registers }),
  };
}

export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m = program(registry);

  const refresh = async () => {
    const [rows, wd, dl, rc] = await Promise.all([counters(deps.sql), withdrawalsByStatus(deps.sql), deliveryStats(deps.sql), reconciliationMetrics(deps)]);
    for (const c of [m.orders, m.entered, m.entries, m.yunqi, m.withdrawals, m.deliveries, m.findings]) c.reset();
    for (const c of rc.checks) m.findings.set({ check: c.check }, c.findings);
    m.checkErrors.set(rc.checks.filter((c) => c.status === 'error').length);
    m.lastSweep.set(rc.finishedAt ? rc.finishedAt.getTime() / 1000 : 0);
    for (const d of dl.byStatus) m.deliveries.set({ status: d.status }, d.n);
    m.oldestPending.set(dl.oldestPendingSeconds);
    for (const r of rows) {
      if (r.metric === 'orders_current') m.orders.set({ state: r.label1, reason: r.label2 }, r.n);
      else if (r.metric === 'orders_entered') m.entered.inc({ state: r.label1, reason: r.label2 }, r.n);
      else if (r.metric === 'ledger') {
        m.entries.inc({ kind: r.label1 }, r.n);
        m.yunqi.inc({ kind: r.label1 }, r.yunqi);
      }
    }
    for (const w of wd) m.withdrawals.set({ status: w.status }, w.n);
    m.payoutRetrying.set(wd.reduce((s, w) => s + w.retrying, 0));
    m.payoutFailures.set(wd.find((w) => w.status === 'failed')?.n ?? 0);
    if (deps.ruleBook instanceof LiveRuleBook) m.bookAge.set((Date.now() - deps.ruleBook.loadedAtMs) / 1000);
  };

  const core = async (): Promise<string> => {
    const port = deps.config.TEMPORAL_METRICS_PORT;
    if (!port) return '';
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return await res.text();
    } catch {
      return '';
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    render: async () => {
      const [, coreText] = await Promise.all([refresh(), core()]);
      m.coreUp.set(coreText ? 1 : 0);
      const own = await registry.metrics();
      return coreText ? `${own}\n# Temporal Core runtime\n${coreText}` : own;
    },
  };
}
