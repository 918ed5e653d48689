/**
 * The named checks of the reconciliation sweep that watch money and durability: the ledger's
 * invariants, cap usage against its reservations, credited installments against their ledger
 * steps, and open withdrawals against their workflows. Each answers its findings (none when
 * sound); services/reconciliation.ts runs them and records what they found.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import * as repo from '../db/repositories/reconciliation';
import type { Deps } from './deps';

export interface ReconciliationCheck {
  name: string;
  description: string;
  run: (deps: Pick<Deps, 'sql' | 'client'>) => Promise<unknown[]>;
}

/** Open withdrawals looked at per run (oldest first). */
const WITHDRAWALS_PER_RUN = 1000;

async function withdrawalsWithoutWorkflow(deps: Pick<Deps, 'sql' | 'client'>): Promise<unknown[]> {
  const findings: unknown[] = [];
  for (const w of await repo.openWithdrawals(deps.sql, WITHDRAWALS_PER_RUN)) {
    try {
      const d = await deps.client.workflow.getHandle(w.workflow_id).describe();
      if (d.status.name !== 'RUNNING') findings.push({ withdrawalId: w.id, status: w.status, workflowId: w.workflow_id, workflow: d.status.name, requestedAt: w.requested_at });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      findings.push({ withdrawalId: w.id, status: w.status, workflowId: w.workflow_id, workflow: 'NOT_FOUND', requestedAt: w.requested_at });
    }
  }
  return findings;
}

export const MONEY_CHECKS: readonly ReconciliationCheck[] = [
  { name: 'ledger_balances', description: 'cached balances equal the sums of their postings, and all postings sum to zero (ledger_inconsistencies())', run: (d) => repo.ledgerBalances(d.sql) },
  { name: 'ledger_entries', description: 'every entry balances, touches only its ambassador, names one who exists (ledger_entry_problems())', run: (d) => repo.ledgerEntries(d.sql) },
  { name: 'cap_usage', description: "each association's cap usage equals the sum of its orders' reservations (R-ORD-6)", run: (d) => repo.capUsage(d.sql) },
  { name: 'credited_installments', description: 'every installment an order shows credited has its reward.credited entry (R-PAY-1, R-PAY-2)', run: (d) => repo.creditedInstallments(d.sql) },
  { name: 'open_withdrawals_have_workflows', description: 'every reserved or processing withdrawal has its workflow running', run: withdrawalsWithoutWorkflow },
];
