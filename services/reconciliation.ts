/**
 * The reconciliation sweep's checks. Each check has a name and returns findings (what it found and
 * what it did); the scheduled workflow (workflows/reconciliation.ts) runs every check of
 * RECONCILIATION_CHECKS as its own activity and records the findings of the run, which
 * GET /v1/ops/reconciliation shows. To add a check, add an entry to the list: the workflow asks
 * the list from an activity, so its code (and its stored histories) does not change.
 *
 * Checks of the withdrawals area:
 *  - withdrawals_without_workflow: reserved longer than RECONCILIATION_GRACE_SECONDS and no
 *    running workflow (the API died between commit and start, or the workflow was terminated):
 *    a missing workflow is started (it pays or releases as usual); for one that ended, the
 *    provider is asked: its payout is posted, or the reservation is released.
 *  - stale_withdrawals: still open after RECONCILIATION_STALE_SECONDS: reported.
 *  - late_payouts: released in the last RECONCILIATION_LATE_PAYOUT_DAYS, but the provider shows a
 *    payout (an abandoned attempt paid late): taken into the ledger (services/late-payouts.ts)
 *    and reported as an alert.
 */
import { startWithdrawalWorkflow, withdrawalWorkflowState } from '../contracts/withdrawals/client';
import type { ReconciliationFinding } from '../contracts/reconciliation';
import * as runs from '../db/repositories/reconciliation';
import type { WithdrawalRow } from '../db/repositories/withdrawals';
import { yunqiToCny } from '../domain/money';
import type { PayoutProvider } from '../payouts/provider';
import { nowOf, type Deps } from './deps';
import { releaseWithdrawal, settleWithdrawal } from './withdrawals';

export interface ReconciliationDeps extends Deps {
  payoutProvider: PayoutProvider;
}

export interface ReconciliationCheck {
  name: string;
  description: string;
  run: (deps: ReconciliationDeps) => Promise<ReconciliationFinding[]>;
}

/** At most this many withdrawals per check and run; the next run takes the rest. */
const BATCH = 200;

const about = (w: WithdrawalRow) => ({
  subject: `withdrawal:${w.id}`,
  details: { withdrawalId: w.id, ambassadorId: w.ambassador_id, gross: yunqiToCny(w.gross_yunqi), status: w.status, requestedAt: w.requested_at.toISOString() },
});

/** Asks the provider, then posts its payout or releases the reservation. */
async function payOrRelease(deps: ReconciliationDeps, w: WithdrawalRow, why: string): Promise<{ action: string; providerRef: string | null }> {
  const found = await deps.payoutProvider.find(w.id);
  const nowMs = nowOf(deps);
  if (found) {
    await settleWithdrawal(deps.sql, { withdrawalId: w.id, providerRef: found.providerRef, nowMs, ruleBook: deps.ruleBook });
    return { action: 'settled', providerRef: found.providerRef };
  }
  await releaseWithdrawal(deps.sql, { withdrawalId: w.id, reason: `reconciliation: ${why}; the provider shows no payout`, nowMs, ruleBook: deps.ruleBook });
  return { action: 'released', providerRef: null };
}

const withdrawalsWithoutWorkflow: ReconciliationCheck = {
  name: 'withdrawals_without_workflow',
  description: 'withdrawals reserved without a running workflow are resumed (workflow started) or, when their workflow ended, settled or released',
  async run(deps) {
    const before = new Date(nowOf(deps) - deps.config.RECONCILIATION_GRACE_SECONDS * 1000);
    const findings: ReconciliationFinding[] = [];
    for (const w of await runs.openWithdrawalsBefore(deps.sql, before, BATCH)) {
      const wf = await withdrawalWorkflowState(deps.client, w.id);
      if (wf.state === 'running') continue;
      if (wf.state === 'missing') {
        await startWithdrawalWorkflow(deps.client, w.id, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE });
        findings.push({ check: this.name, severity: 'info', action: 'resumed', message: `withdrawal ${w.id} had no workflow; started it`, ...about(w) });
        continue;
      }
      const out = await payOrRelease(deps, w, `its workflow ended (${wf.status}) before the withdrawal did`);
      findings.push({
        check: this.name,
        severity: 'warning',
        action: out.action,
        message: `withdrawal ${w.id}: its workflow ended (${wf.status}) while it was ${w.status}; ${out.action === 'settled' ? 'the provider had paid it: posted' : 'nothing was paid: released'}`,
        ...about(w),
      });
    }
    return findings;
  },
};

const staleWithdrawals: ReconciliationCheck = {
  name: 'stale_withdrawals',
  description: 'withdrawals still reserved or being paid long after they were requested are reported',
  async run(deps) {
    const before = new Date(nowOf(deps) - deps.config.RECONCILIATION_STALE_SECONDS * 1000);
    return (await runs.openWithdrawalsBefore(deps.sql, before, BATCH)).map((w) => ({
      check: this.name,
      severity: 'warning' as const,
      action: 'reported',
      message: `withdrawal ${w.id} is still ${w.status} since ${w.requested_at.toISOString()} (${w.payout_attempts} payout attempts; last error: ${w.last_payout_error ?? 'none'})`,
      ...about(w),
    }));
  },
};

const latePayouts: ReconciliationCheck = {
  name: 'late_payouts',
  description: 'released withdrawals the provider paid after all are taken into the ledger and reported',
  async run(deps) {
    const since = new Date(nowOf(deps) - deps.config.RECONCILIATION_LATE_PAYOUT_DAYS * 86_400_000);
    const findings: ReconciliationFinding[] = [];
    for (const w of await runs.failedWithdrawalsSince(deps.sql, since, BATCH)) {
      const found = await deps.payoutProvider.find(w.id);
      if (!found) continue;
      await settleWithdrawal(deps.sql, { withdrawalId: w.id, providerRef: found.providerRef, nowMs: nowOf(deps), ruleBook: deps.ruleBook });
      const { subject, details } = about(w);
      findings.push({
        check: this.name,
        severity: 'alert',
        action: 'taken_into_ledger',
        message: `withdrawal ${w.id} was released, but the provider paid it (${found.providerRef}): the payout was taken back from available (a debt if it goes below zero)`,
        subject,
        details: { ...details, providerRef: found.providerRef },
      });
    }
    return findings;
  },
};

/** Every check of the sweep, in the order it runs them. */
export const RECONCILIATION_CHECKS: readonly ReconciliationCheck[] = [withdrawalsWithoutWorkflow, latePayouts, staleWithdrawals];

export function reconciliationCheckNames(): string[] {
  return RECONCILIATION_CHECKS.map((c) => c.name);
}

/** Runs one named check. */
export async function runReconciliationCheck(deps: ReconciliationDeps, name: string): Promise<ReconciliationFinding[]> {
  const check = RECONCILIATION_CHECKS.find((c) => c.name === name);
  if (!check) {
    return [{ check: name, severity: 'alert', subject: 'sweep', action: 'failed', message: `no reconciliation check is named ${name}`, details: {} }];
  }
  return check.run(deps);
}

export const recordReconciliationRun = runs.insertRun;
export const latestReconciliationRun = runs.latestRun;
