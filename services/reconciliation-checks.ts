/**
 * What a reconciliation check is, and the checks that watch money (run nightly: each reads a whole
 * table): the ledger's invariants, cap usage against its reservations, and credited installments
 * against their ledger steps. Each answers its findings (none when sound) and changes nothing:
 * a broken invariant is for people to look at (severity alert). The withdrawal checks, which act,
 * are in ./reconciliation-withdrawals.ts; ./reconciliation.ts runs them all.
 */
import type { ReconciliationFinding } from '../contracts/reconciliation';
import * as repo from '../db/repositories/reconciliation';
import type { PayoutProvider } from '../payouts/provider';
import type { Deps } from './deps';

export interface ReconciliationDeps extends Deps {
  payoutProvider: PayoutProvider;
}

/** every_run: each sweep (minutes apart); nightly: the first scheduled sweep after RECONCILIATION_HOUR each day, and every run on demand. */
export type CheckCadence = 'every_run' | 'nightly';

export interface ReconciliationCheck {
  name: string;
  description: string;
  cadence: CheckCadence;
  run: (deps: ReconciliationDeps) => Promise<ReconciliationFinding[]>;
}

const reported = (check: string, subject: string, message: string, details: Record<string, unknown>): ReconciliationFinding => ({
  check,
  severity: 'alert',
  subject,
  action: 'reported',
  message,
  details,
});

const ledgerBalances: ReconciliationCheck = {
  name: 'ledger_balances',
  description: 'cached balances equal the sums of their postings, and all postings sum to zero (ledger_inconsistencies())',
  cadence: 'nightly',
  run: async (d) =>
    (await repo.ledgerBalances(d.sql)).map((r) =>
      r.account_id === null
        ? reported('ledger_balances', 'ledger', `all postings sum to ${r.computed} yunqi, not zero`, { ...r })
        : reported('ledger_balances', `account:${r.account_id}`, `account ${r.account_id}: cached balance ${r.cached} yunqi, its postings sum to ${r.computed}`, { ...r }),
    ),
};

const ledgerEntries: ReconciliationCheck = {
  name: 'ledger_entries',
  description: 'every entry balances, touches only its ambassador, names one who exists (ledger_entry_problems())',
  cadence: 'nightly',
  run: async (d) => (await repo.ledgerEntries(d.sql)).map((r) => reported('ledger_entries', `entry:${r.entry_id}`, `ledger entry ${r.entry_id}: ${r.problem}`, { ...r })),
};

const capUsage: ReconciliationCheck = {
  name: 'cap_usage',
  description: "each association's cap usage equals the sum of its orders' reservations (R-ORD-6)",
  cadence: 'nightly',
  run: async (d) =>
    (await repo.capUsage(d.sql)).map((r) =>
      reported(
        'cap_usage',
        `association:${r.association_id}`,
        `association ${r.association_id}: cap usage ${r.paid_used_yunqi} paid / ${r.reward_used_yunqi} reward yunqi, its reservations sum to ${r.reserved_paid_yunqi} / ${r.reserved_reward_yunqi}`,
        { ...r },
      ),
    ),
};

const creditedInstallments: ReconciliationCheck = {
  name: 'credited_installments',
  description: 'every installment an order shows credited has its reward.credited entry (R-PAY-1, R-PAY-2)',
  cadence: 'nightly',
  run: async (d) =>
    (await repo.creditedInstallments(d.sql)).map((r) =>
      reported('credited_installments', `order:${r.order_id}`, `order ${r.order_id}: installment ${r.installment} (${r.yunqi} yunqi) shows credited, but no reward.credited entry credits it`, { ...r }),
    ),
};

export const MONEY_CHECKS: readonly ReconciliationCheck[] = [ledgerBalances, ledgerEntries, capUsage, creditedInstallments];
