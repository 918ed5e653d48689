/** Helpers for the order-settlement tests: an associated customer, order messages, views. */
import request from 'supertest';
import type { TestContext } from './context';
import { joinAmbassador, opsAssociation, postClick, uniq, waitFor, type Harness, type JoinedAmbassador } from './association-fixtures';
import { orderWorkflowId, type OrderPlaced, type OrderStatus } from '../../contracts/orders';
import { ambassadorBalances } from '../../ledger';
import { expectLedgerSound as expectLedgerSoundSql } from './ledger-fixtures';

export const DAY = 86_400_000;

/** A new customer associated with the ambassador (joined if not given) by a click at `clickAt`. */
export async function associatedCustomer(
  h: Harness,
  opts: { clickAt: number; level?: string; ambassador?: JoinedAmbassador; customer?: Record<string, unknown> },
): Promise<{ amb: JoinedAmbassador; customerId: string }> {
  const amb = opts.ambassador ?? (await joinAmbassador(h, { level: opts.level ?? 'L1', joinedAt: new Date(opts.clickAt - DAY).toISOString() }));
  const customerId = uniq('cust');
  const put = await h.service(request(h.app).put(`/v1/customers/${customerId}`)).send(opts.customer ?? {});
  if (put.status !== 200) throw new Error(`customer upsert failed: ${put.status} ${JSON.stringify(put.body)}`);
  const click = await postClick(h, { customerId, usercode: amb.usercode, occurredAt: opts.clickAt });
  if (click.status >= 300) throw new Error(`click failed: ${click.status} ${JSON.stringify(click.body)}`);
  const view = await opsAssociation(h, customerId, 2);
  if (!view.timeline.some((e) => e.kind === 'created')) throw new Error(`no association created: ${JSON.stringify(view.timeline)}`);
  return { amb, customerId };
}

export function orderMessage(customerId: string, over: Partial<OrderPlaced> & { placedAt: string }): OrderPlaced {
  return {
    orderId: uniq('ord'),
    customerId,
    productCode: 'ecs.g7.large',
    productCategory: 'core',
    paidAmount: '99.00',
    billing: 'prepaid',
    orderType: 'new',
    ...over,
  };
}

export function postOrder(h: Harness, order: OrderPlaced) {
  return h.service(request(h.app).post('/v1/orders')).send(order);
}

/** Places the order through REST and expects it accepted. */
export async function placed(h: Harness, order: OrderPlaced): Promise<OrderPlaced> {
  const res = await postOrder(h, order);
  if (res.status !== 202) throw new Error(`order refused: ${res.status} ${JSON.stringify(res.body)}`);
  return order;
}

/** Runs the order's workflow to its end (time skips automatically) and returns its final status. */
export function settled(ctx: TestContext, orderId: string): Promise<OrderStatus> {
  return ctx.client.workflow.getHandle(orderWorkflowId(orderId)).result() as Promise<OrderStatus>;
}

export function status(ctx: TestContext, orderId: string): Promise<OrderStatus> {
  return ctx.client.workflow.getHandle(orderWorkflowId(orderId)).query<OrderStatus>('status');
}

export interface OpsOrder {
  orderId: string;
  state: string;
  reasonCode: string | null;
  ambassadorId: string | null;
  associationId: string | null;
  ruleSetVersion: string | null;
  reward: { yunqi: number; cny: string };
  credited: { yunqi: number; cny: string };
  reviewEndsAt: string | null;
  installments: { n: number; amount: { yunqi: number; cny: string }; dueAt: string; credited: boolean }[];
  explanation: { rate: string; summary: string; caps: { cap: string; bound: boolean }[] } | null;
  workflow: { workflowId: string; runId: string | null };
  timeline: { at: string; kind: string; summary: string; detail: Record<string, unknown> }[];
  ledger: { entryId: number; kind: string; installment: number | null; postings: { account: string; amount: { yunqi: number } }[] }[];
}

export async function opsOrder(h: Harness, orderId: string, until: (o: OpsOrder) => boolean = () => true): Promise<OpsOrder> {
  const res = await waitFor(
    () => h.ops(request(h.app).get(`/v1/ops/orders/${orderId}`)),
    (r) => r.status === 200 && until(r.body as OpsOrder),
    `order ${orderId}`,
  );
  return res.body as OpsOrder;
}

export const notReceived = (o: OpsOrder) => o.state !== 'received';

export async function balances(ctx: TestContext, ambassadorId: string) {
  return ambassadorBalances(ctx.sql, ambassadorId);
}

export async function expectLedgerSound(ctx: TestContext): Promise<void> {
  await expectLedgerSoundSql(ctx.sql);
}
