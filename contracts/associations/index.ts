/**
 * The associations contract: the customer association workflow (`customer:<customerId>`), its
 * click signal and queries, and the attribution answer the order code builds on. Workflow-safe;
 * the typed client is `contracts/associations/client.ts`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AssociationInterval, AssociationState, Click, TimelineEvent } from '../../domain/associations';
import type { Level } from '../../domain/rulesets';

export { customerWorkflowId } from '../ids';
export type { AssociationInterval, AssociationState, Click, RefusalCode, TimelineEvent } from '../../domain/associations';

/** The workflow type name. */
export const CUSTOMER_WORKFLOW = 'customerAssociationWorkflow';

/** A click as a signal (fire and forget; the first API's way). */
export const clickSignal = defineSignal<[Click]>('click');

/** What a click did to the customer's associations (its answer as an Update). */
export interface ClickOutcome {
  clickId: string;
  outcome: 'created' | 'extended' | 'switched' | 'reopened' | 'refused' | 'reordered' | 'late_click_ignored' | 'duplicate';
  associationId: string | null;
  ambassadorId: string | null;
  endsAtMs: number | null;
}

/** A click as an Update: answered once it is applied and projected, so an order placed right
 * after it is judged with it. */
export const clickUpdate = defineUpdate<ClickOutcome, [Click]>('recordClick');

/** The interval containing the instant (null if none) and how many intervals exist. */
export interface AssociationAtResult {
  interval: AssociationInterval | null;
  intervalCount: number;
}
export const associationAtQuery = defineQuery<AssociationAtResult, [number]>('associationAt');

export interface AssociationView {
  customerId: string;
  current: AssociationInterval | null;
  intervals: AssociationInterval[];
  /** The most recent events (the whole timeline is in Postgres). */
  timeline: TimelineEvent[];
  pendingClicks: number;
}
export const associationStateQuery = defineQuery<AssociationView>('associationState');

export interface CustomerAssociationInput {
  customerId: string;
  /** State carried across continue-as-new. */
  state?: AssociationState;
  /** Also continue as new once the history is this long (tests use a small number). */
  continueAsNewAfterEvents?: number;
}

/** One batch of association changes, mirrored into Postgres by the projection activity. */
export interface ProjectionInput {
  customerId: string;
  workflowId: string;
  events: TimelineEvent[];
  intervals: AssociationInterval[];
  /** Associations a late click made obsolete. */
  superseded?: string[];
  /** Orders placed from this instant on may be attributed differently now: they are settled again. */
  changedFromMs?: number | null;
  /** The workflow's clock, for that settlement. */
  nowMs?: number;
}

/** R-ATTR-5 answer for an order placed at an instant. */
export type Attribution =
  | {
      associated: true;
      ambassadorId: string;
      associationId: string;
      associationStartedAt: number;
      associationEndsAt: number;
      level: Level;
      ambassadorKind: 'individual' | 'enterprise';
      workflowId: string;
    }
  | { associated: false; reasonCode: 'NO_ASSOCIATION' | 'NOT_ASSOCIATED_AT_PLACEMENT'; reason: string };
