/** GET /v1/rulesets/current: the rule set in force now (R-ORD-9), as the consoles show it. Public:
 * the program's rules are published. */
import { z } from 'zod';
import { DomainError } from '../../../domain/errors';
import { nowOf, type Deps } from '../../../services/deps';
import { ruleSetInForce } from '../../../services/console/rulesets';
import { unprocessable } from '../../errors';
import type { ApiRegistry } from '../../registry';
import { InstantSchema, LevelSchema, Money, money, msOf } from '../../schemas';

const Rate = z.string().describe('decimal string, e.g. "0.25"');
const RuleSetView = z.object({
  version: z.string(),
  effectiveFrom: z.string(),
  associationWindowDays: z.number().describe('R-ATTR-2'),
  levels: z.array(z.object({ level: LevelSchema, firstPurchaseRate: Rate, laterPurchaseRate: Rate, perOrderPaidCap: Money.nullable().describe('R-ORD-7; null: no cap') })),
  strategicRate: Rate.nullable().describe('R-ORD-5; null: no strategic products in this rule set'),
  perCustomerPaidCap: Money.describe('R-ORD-6'),
  perCustomerRewardCap: Money.describe('R-ORD-6'),
  capScope: z.enum(['association', 'order']),
  reviewPeriodDays: z.number().describe('R-REV-1 (审核期)'),
  installmentThreshold: Money.describe('R-PAY-1'),
  creditDelayDays: z.number(),
  installmentPeriodDays: z.number(),
  withdrawalMax: Money.describe('R-WD-3'),
  taxTable: z.string().describe('R-WD-4'),
  renewalsCount: z.boolean(),
  dormantCustomers: z.boolean(),
  enterpriseAmbassadors: z.boolean(),
});

export function ruleSetRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/rulesets/current',
    summary: 'The rule set in force now (or at `at`): rates by level, caps, periods, the tax table (R-ORD-9)',
    tags: ['rulesets'],
    auth: 'none',
    query: z.object({ at: InstantSchema.optional().describe('an instant; defaults to now') }),
    responses: { 200: { description: 'the rule set', schema: RuleSetView }, 422: { description: 'no rule set in force at that instant' } },
    handler: async ({ query }) => {
      let rs;
      try {
        rs = ruleSetInForce(deps.ruleBook, msOf(query.at) ?? nowOf(deps));
      } catch (err) {
        if (err instanceof DomainError && err.code === 'no_rule_set') throw unprocessable(err.code, err.message);
        throw err;
      }
      const { levels, perCustomerPaidCapYunqi, perCustomerRewardCapYunqi, installmentThresholdYunqi, withdrawalMaxYunqi, ...rest } = rs;
      const body: z.infer<typeof RuleSetView> = {
        ...rest,
        levels: levels.map(({ perOrderPaidCapYunqi, ...l }) => ({ ...l, perOrderPaidCap: perOrderPaidCapYunqi === null ? null : money(perOrderPaidCapYunqi) })),
        perCustomerPaidCap: money(perCustomerPaidCapYunqi),
        perCustomerRewardCap: money(perCustomerRewardCapYunqi),
        installmentThreshold: money(installmentThresholdYunqi),
        withdrawalMax: money(withdrawalMaxYunqi),
      };
      return { status: 200, body };
    },
  });
}
