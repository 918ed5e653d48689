/**
 * Read-only endpoints of the ops console (ops token): what needs attention, a customer search by
 * the start of the id, and where the Temporal UI is (the answers carry workflow IDs).
 */
import { z } from 'zod';
import type { Deps } from '../../../services/deps';
import { attentionList, searchCustomers } from '../../../services/console/attention';
import type { ApiRegistry } from '../../registry';
import { Money, money } from '../../schemas';

const Attention = z.object({
  asOf: z.string(),
  thresholds: z.object({ orderOverdueMinutes: z.number(), withdrawalStuckMinutes: z.number() }),
  orders: z.array(
    z.object({
      orderId: z.string(),
      customerId: z.string(),
      ambassadorId: z.string().nullable(),
      state: z.string(),
      reasonCode: z.string().nullable(),
      why: z.enum(['failed', 'overdue']).describe('failed: could not be settled; overdue: its next step is long past due'),
      placedAt: z.string(),
      nextDueAt: z.string().nullable(),
      error: z.string().nullable(),
      workflowId: z.string(),
    }),
  ),
  withdrawals: z.array(
    z.object({
      withdrawalId: z.string(),
      ambassadorId: z.string(),
      status: z.enum(['reserved', 'processing']),
      gross: Money,
      requestedAt: z.string(),
      payoutAttempts: z.number().int(),
      lastPayoutError: z.string().nullable(),
      workflowId: z.string(),
    }),
  ),
  debts: z.array(z.object({ ambassadorId: z.string(), usercode: z.string(), displayName: z.string(), debt: Money.describe('what a clawback took beyond the available balance (R-REV-2)') })),
});

export function opsConsoleRoutes(api: ApiRegistry, deps: Deps): void {
  const { config } = deps;

  api.add({
    method: 'get',
    path: '/v1/ops/attention',
    summary: 'What needs attention: orders failed or long overdue, withdrawals reserved or processing for long, ambassadors with a debt',
    tags: ['ops'],
    auth: 'ops',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50).describe('at most this many of each list') }),
    responses: { 200: { description: 'the lists', schema: Attention } },
    handler: async ({ query }) => {
      const a = await attentionList(deps, query.limit);
      const body: z.infer<typeof Attention> = {
        ...a,
        withdrawals: a.withdrawals.map(({ grossYunqi, ...w }) => ({ ...w, gross: money(grossYunqi) })),
        debts: a.debts.map(({ debtYunqi, ...d }) => ({ ...d, debt: money(debtYunqi) })),
      };
      return { status: 200, body };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/ops/customers',
    summary: 'Customers whose id starts with `prefix` (a record, an association or an order knows them)',
    tags: ['ops'],
    auth: 'ops',
    query: z.object({
      prefix: z.string().trim().min(2, 'at least 2 characters').max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":", "-"'),
      limit: z.coerce.number().int().min(1).max(50).default(20),
    }),
    responses: {
      200: { description: 'matches in id order', schema: z.object({ items: z.array(z.object({ customerId: z.string(), knownFrom: z.enum(['customer', 'association', 'order']) })) }) },
      400: { description: 'prefix missing, too short or not an id' },
    },
    handler: async ({ query }) => ({ status: 200, body: { items: await searchCustomers(deps, query.prefix, query.limit) } }),
  });

  api.add({
    method: 'get',
    path: '/v1/ops/console-settings',
    summary: 'Where the Temporal Web UI is, for links to the workflows named in the answers (null when Temporal is external)',
    tags: ['ops'],
    auth: 'ops',
    responses: { 200: { description: 'settings', schema: z.object({ temporalUiUrl: z.string().nullable(), namespace: z.string() }) } },
    handler: async () => ({
      status: 200,
      body: { temporalUiUrl: config.TEMPORAL_ADDRESS ? null : `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`, namespace: config.TEMPORAL_NAMESPACE },
    }),
  });
}
