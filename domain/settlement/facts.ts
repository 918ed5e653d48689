/**
 * The facts one customer's settlement is judged on, each with its business instant (epoch ms).
 * Nothing here says when a fact arrived: the outcome is a function of these facts and of `now`
 * alone (docs/settlement.md).
 */
import type { CustomerFacts, Billing, OrderType, ProductCategory } from '../classify';
import type { IdentityRow } from '../identity';
import type { AmbassadorKind } from '../refusals';
import type { Level } from '../rulesets';

export interface PlacedOrder {
  orderId: string;
  placedAtMs: number;
  paidYunqi: number;
  billing: Billing;
  productCode: string;
  productCategory: ProductCategory;
  orderType: OrderType;
  cartId: string | null;
  excludedChannel: boolean;
}

/** A refund of an order, at refundedAt (R-REV-1 judges "inside the review" by it). */
export interface RefundFact {
  refundId: string;
  orderId: string;
  /** What this refund gives back; a full refund gives back what is left. */
  amountYunqi: number;
  full: boolean;
  atMs: number;
}

/** A same-person (同人) or cheating (作弊) finding about an order, at foundAt. */
export interface FindingFact {
  findingId: string;
  orderId: string;
  reason: 'same_person' | 'cheating';
  atMs: number;
}

/** An association (关联) as the customer's interval history has it (R-ATTR-2..6). */
export interface AssociationSpan {
  associationId: string;
  ambassadorId: string;
  startedAtMs: number;
  /** Exclusive: the switch (R-ATTR-4) or the end of the window (R-ATTR-2). */
  endsAtMs: number;
}

export interface AmbassadorFacts {
  id: string;
  accountId: string;
  kind: AmbassadorKind;
  /** Level history (R-AMB-3), oldest first. */
  levels: { level: Level; effectiveAtMs: number }[];
}

export interface CustomerSettlementFacts {
  customerId: string;
  /** What the identity system reported about the customer (not what orders show: those are derived here). */
  reported: Required<CustomerFacts> & { firstPaygUseAt: number | null };
  orders: PlacedOrder[];
  refunds: RefundFact[];
  findings: FindingFact[];
  associations: AssociationSpan[];
  ambassadors: ReadonlyMap<string, AmbassadorFacts>;
  /** Identity rows of the customer and of every ambassador it is associated with (current and past). */
  identity: IdentityRow[];
}
