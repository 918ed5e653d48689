-- Payouts exactly once. A payout that shows up after its withdrawal was released (an abandoned
-- attempt that paid late, found by the provider lookup) is reconciled, not refused: the row turns
-- `paid` and keeps its failed_at, with paid_after_release_at saying when the late payout was
-- taken into the ledger (withdrawal.paid_after_release: available −G, tax_payable +T,
-- paid_out +N; available may go below zero, the debt, which later credits repay first).
DO $$
DECLARE c text;
BEGIN
  SELECT conname INTO c FROM pg_constraint
   WHERE conrelid = 'withdrawals'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%''failed''::text) = (failed_at IS NOT NULL)%';
  IF c IS NULL THEN RAISE EXCEPTION 'withdrawals: the failed_at check of 004 was not found'; END IF;
  EXECUTE format('ALTER TABLE withdrawals DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE withdrawals ADD COLUMN paid_after_release_at timestamptz;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_failed_at CHECK (
  CASE status
    WHEN 'failed' THEN failed_at IS NOT NULL AND paid_after_release_at IS NULL
    WHEN 'paid' THEN (failed_at IS NULL) = (paid_after_release_at IS NULL)
    ELSE failed_at IS NULL AND paid_after_release_at IS NULL
  END);
CREATE INDEX withdrawals_open ON withdrawals (requested_at) WHERE status IN ('reserved', 'processing');
CREATE INDEX withdrawals_failed ON withdrawals (failed_at) WHERE status = 'failed';

-- The local provider: 'hang' answers only after a delay (the call can be cancelled meanwhile,
-- and then pays nothing); hang_ms sets the delay of a fault.
DO $$
DECLARE c text;
BEGIN
  SELECT conname INTO c FROM pg_constraint
   WHERE conrelid = 'local_payout_faults'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%transient%';
  EXECUTE format('ALTER TABLE local_payout_faults DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE local_payout_faults ADD CONSTRAINT local_payout_faults_mode CHECK (mode IN ('transient', 'reject', 'timeout', 'hang'));
ALTER TABLE local_payout_faults ADD COLUMN hang_ms int CHECK (hang_ms IS NULL OR hang_ms >= 0);
