/**
 * Who may join the program and who may be associated, decided once here (pure): R-AMB-1 (real-name
 * verification; enterprises only from the rule set that allows them), R-ATTR-7 (customers the
 * vendor's own sales already reach), R-SAME-1 (the customer and the ambassador are the same
 * person). Services gather the facts; routes only map the answer.
 */
import type { RefusalCode } from './associations';
import type { RuleSet } from './rulesets';

export type AmbassadorKind = 'individual' | 'enterprise';

/** R-ATTR-7: customers the vendor's own sales already reach. */
export const NON_ASSOCIABLE_REASONS = {
  cloud_business_manager: 'served by a cloud business manager (云业务经理)',
  telesales: 'reached by telesales (电销)',
  distribution_partner: 'served by a distribution partner (分销伙伴)',
  ppl_reported: 'reported by a PPL partner (PPL报备)',
} as const;
export type NonAssociableReason = keyof typeof NON_ASSOCIABLE_REASONS;

export type JoinRefusalCode = 'not_real_name_verified' | 'enterprise_not_allowed';

/** R-AMB-1: why an account may not join under `ruleSet` (the rule set in force when it joins), or null. */
export function joinRefusal(
  applicant: { kind: AmbassadorKind; realNameVerified: boolean },
  ruleSet: RuleSet,
): { code: JoinRefusalCode; reason: string; details?: Record<string, unknown> } | null {
  if (!applicant.realNameVerified) {
    return { code: 'not_real_name_verified', reason: 'only real-name-verified (实名认证) accounts can join the ambassador program (R-AMB-1)' };
  }
  if (applicant.kind === 'enterprise' && !ruleSet.enterpriseAmbassadors) {
    return {
      code: 'enterprise_not_allowed',
      reason: `enterprise accounts cannot join under rule set ${ruleSet.version} (enterprises may join from 2024-06-01, R-AMB-1)`,
      details: { ruleSetVersion: ruleSet.version },
    };
  }
  return null;
}

/** What a click's refusal is judged on. `samePersonMatchedOn` is null until it is known (it is
 * only looked up when everything before it passed). */
export interface ClickFacts {
  usercode: string;
  ambassador: { kind: AmbassadorKind; realNameVerified: boolean } | null;
  nonAssociableReason: NonAssociableReason | null;
  samePersonMatchedOn?: readonly string[] | null;
}

/** Why a click associates no one (R-AMB-1, R-ATTR-7, R-SAME-1), or null. Refusals are checked in
 * this order, so the first reason that applies is the one given. */
export function clickRefusal(facts: ClickFacts, ruleSet: RuleSet): { code: RefusalCode; reason: string } | null {
  const { ambassador } = facts;
  if (!ambassador) return { code: 'UNKNOWN_AMBASSADOR', reason: `no ambassador has usercode ${facts.usercode}` };
  if (!ambassador.realNameVerified) return { code: 'AMBASSADOR_NOT_VERIFIED', reason: 'the ambassador is not real-name verified (实名认证) (R-AMB-1)' };
  if (ambassador.kind === 'enterprise' && !ruleSet.enterpriseAmbassadors) {
    return { code: 'ENTERPRISE_NOT_ALLOWED', reason: `enterprise ambassadors are not in rule set ${ruleSet.version} (R-AMB-1)` };
  }
  if (facts.nonAssociableReason) {
    return {
      code: 'NON_ASSOCIABLE',
      reason: `the customer is ${NON_ASSOCIABLE_REASONS[facts.nonAssociableReason]}: no association (关联) is created (R-ATTR-7)`,
    };
  }
  if (facts.samePersonMatchedOn?.length) {
    return {
      code: 'SAME_PERSON',
      reason: `the customer and the ambassador are the same person (同人), matched on ${facts.samePersonMatchedOn.join(', ')} (R-SAME-1, R-ATTR-7)`,
    };
  }
  return null;
}
