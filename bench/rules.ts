/**
 * Benchmark of the pure rules engine on one core: `npx tsx bench/rules.ts` (or `npm run bench:rules`).
 * Prints commissions and tax computations per second over varied inputs, next to a baseline
 * measured in the same process (one bare decimal.js multiply-and-round per input), and the ratio.
 * Goal: ≥ 100,000 commissions/s. Runs in about 10 s. Inputs come from a seeded generator, so
 * every run measures the same work.
 */
import Decimal from 'decimal.js';
import {
  LEVELS,
  classifyCustomer,
  computeCommission,
  creditingPlan,
  defaultRuleBook,
  orderEligibility,
  withholdingTax,
  type CommissionInput,
  type WithholdingInput,
} from '../domain';
import { machineLine } from './harness/machine';
import { Summary } from './harness/report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const GOAL = 100_000;

/** Deterministic PRNG (mulberry32), so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const book = defaultRuleBook();
const rand = rng(20240601);
const int = (max: number) => Math.floor(rand() * (max + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length - 1)] as T;
const scopes = book.all().flatMap((rs) => [rs, { ...rs, capScope: 'order' as const }]);

const N = 10_000;
const commissionInputs: CommissionInput[] = Array.from({ length: N }, () => {
  const ruleSet = pick(scopes);
  return {
    ruleSet,
    level: pick(LEVELS),
    kind: pick(['first_purchase', 'later_purchase'] as const),
    productCategory: ruleSet.strategicRate !== null && rand() < 0.3 ? 'strategic' : 'core',
    // mostly small orders, some above every cap
    paidYunqi: rand() < 0.8 ? int(2_000_000) : int(20_000_000),
    usage: { paidUsedYunqi: int(2_500_000), rewardUsedYunqi: int(350_000) },
  };
});
const taxInputs: WithholdingInput[] = Array.from({ length: N }, () => {
  const before = rand() < 0.5 ? 0 : int(5_000_000);
  return { monthGrossBeforeYunqi: before, taxWithheldBeforeYunqi: Math.floor(before / 5), grossYunqi: 1 + int(rand() < 0.7 ? 500_000 : 10_000_000) };
});
const taxTable = book.at(Date.parse('2024-06-01T00:00:00Z')).tax;
const rates = commissionInputs.map((i) => new Decimal(i.ruleSet.levels[i.level].firstPurchaseRate));

let sink = 0;

/** Runs `op(i)` over the inputs in a loop for about SECONDS; returns operations per second. */
function measure(op: (i: number) => number): number {
  for (let i = 0; i < N; i++) sink += op(i); // warm-up
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < N; i++) sink += op(i);
    ops += N;
    elapsed = process.hrtime.bigint() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

const baseline = measure((i) => new Decimal((commissionInputs[i] as CommissionInput).paidYunqi).times(rates[i] as Decimal).toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber());
const commission = measure((i) => computeCommission(commissionInputs[i] as CommissionInput).rewardYunqi);
const tax = measure((i) => withholdingTax(taxInputs[i] as WithholdingInput, taxTable).taxYunqi);
const order = measure((i) => {
  // a whole order: rule set lookup, classification, eligibility, commission, crediting plan
  const c = commissionInputs[i] as CommissionInput;
  const at = Date.parse('2024-01-01T00:00:00Z') + (i % 365) * 86_400_000;
  const rs = book.at(at);
  const customer = classifyCustomer({ firstPaidPurchaseAt: i % 3 ? null : at - 400 * 86_400_000 }, at, rs);
  const e = orderEligibility({ billing: 'prepaid', productCategory: 'core', orderType: 'new' }, { customerType: customer.type, isFirstPurchase: true }, rs);
  if (!e.eligible) return 0;
  const r = computeCommission({ ...c, ruleSet: rs, productCategory: 'core', kind: e.kind });
  return creditingPlan(rs, r.rewardYunqi, r.rewardYunqi + c.usage.rewardUsedYunqi).length;
});

const row = (label: string, perSecond: number) =>
  console.log(`  ${label.padEnd(58)}${Math.round(perSecond).toLocaleString('en-US').padStart(11)} /s   ×${(perSecond / baseline).toFixed(3)} of baseline`);
console.log(`bench:rules — the rules engine on one core, ${SECONDS} s per measurement, ${N.toLocaleString('en-US')} varied inputs`);
console.log(`  ${machineLine()}`);
row('baseline: Decimal multiply + ROUND_DOWN', baseline);
row('computeCommission (caps, rate, explanation)', commission);
row('withholdingTax', tax);
row('whole order (lookup, classify, eligibility, commission, plan)', order);
const summary = new Summary();
summary.add({ what: 'commissions/s (computeCommission)', value: Math.round(commission).toLocaleString('en-US'), goal: `≥ ${GOAL.toLocaleString('en-US')}/s`, pass: commission >= GOAL });
summary.add({ what: '  ÷ baseline (one Decimal multiply)', value: `${(commission / baseline).toFixed(3)}×` });
summary.print();
if (sink === -1) console.log('(unreachable, keeps the work alive)');
