/**
 * Orders settled through the order activities themselves (the same settlement steps the order
 * workflow runs), for ledger tests that must not write reward entries by hand: a customer
 * associated with the ambassador (its projection row, as the customer workflow leaves it), the
 * order's placement, and the steps that follow (time, refunds, findings).
 */
import crypto from 'node:crypto';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config';
import type { Sql } from '../../db/client';
import { projectAssociationChange } from '../../db/repositories/associations';
import { defaultRuleBook, type RuleBook } from '../../domain/rulesets';
import { createOrderActivities } from '../../activities/orders';
import type { OrderFactInput, OrderSnapshot } from '../../contracts/orders';
import { customerWorkflowId, orderWorkflowId } from '../../contracts/ids';

const DAY = 86_400_000;
let seq = 0;
const uniq = (p: string) => `${p}-${process.pid}-${++seq}-${crypto.randomBytes(2).toString('hex')}`;

export function orderSteps(sql: Sql, ruleBook: RuleBook = defaultRuleBook()) {
  const acts = createOrderActivities({ sql, client: null as unknown as Client, config: loadConfig({ LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }), ruleBook });
  return {
    /** A new customer of the ambassador (associated an hour before `atMs`) places an order at `atMs`,
     * received at `nowMs` (by default at once). */
    async place(ambassadorId: string, paidAmount: string, atMs: number, nowMs = atMs): Promise<{ orderId: string; snapshot: OrderSnapshot }> {
      const customerId = uniq('cust');
      const orderId = uniq('ord');
      await projectAssociationChange(sql, {
        customerId,
        workflowId: customerWorkflowId(customerId),
        events: [],
        intervals: [{ associationId: `${customerId}:1`, ambassadorId, usercode: 'fixture', startedAt: atMs - 3_600_000, endsAt: atMs + 60 * DAY, lastClickAt: atMs - 3_600_000, ruleSetVersion: '2024-06-01', endedAt: null, endReason: null, lastSeq: 1 }],
      });
      const order = { orderId, customerId, productCode: 'ecs', productCategory: 'core' as const, paidAmount, billing: 'prepaid' as const, orderType: 'new' as const, placedAt: new Date(atMs).toISOString() };
      const r = await acts.settleOrder({ orderId, nowMs, placement: { order, bodyHash: uniq('h'), workflowId: orderWorkflowId(orderId), runId: 'fixture' } });
      return { orderId, snapshot: r.snapshot };
    },
    /** The order's settlement step at `nowMs`, with the facts that arrive then. */
    async settle(orderId: string, nowMs: number, facts: OrderFactInput[] = []): Promise<OrderSnapshot> {
      return (await acts.settleOrder({ orderId, nowMs, facts })).snapshot;
    },
  };
}
