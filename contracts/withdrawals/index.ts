/**
 * The withdrawals contract: one workflow per withdrawal (`withdrawal:<withdrawalId>`), its stage
 * query and its result. Workflow-safe; the typed client is `contracts/withdrawals/client.ts`.
 */
import { defineQuery } from '@temporalio/workflow';
import { FailureType } from '../errors';

export { withdrawalWorkflowId } from '../ids';

/** The workflow type name. */
export const WITHDRAWAL_WORKFLOW = 'withdrawalWorkflow';

/** Failure types of the payout activity that are not retried. */
export const PAYOUT_NON_RETRYABLE: string[] = [FailureType.payoutRejected, FailureType.withdrawalClosed];

export interface WithdrawalWorkflowInput {
  withdrawalId: string;
}

export interface WithdrawalWorkflowResult {
  withdrawalId: string;
  status: 'paid' | 'failed';
  providerRef: string | null;
  failureReason: string | null;
}

export type WithdrawalWorkflowStage = 'paying' | 'confirming' | 'settling' | 'releasing' | 'paid' | 'failed';

export const withdrawalStageQuery = defineQuery<WithdrawalWorkflowStage>('withdrawalStage');
