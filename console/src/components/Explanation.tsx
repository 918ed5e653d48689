/** Why an order earns what it earns: the rule set, level, purchase, rate, the amount counted
 * after the paid caps, and every cap with its limit, the room left before the order and whether
 * it bound the reward (the commission explanation the settlement recorded). */
import { useTranslation } from 'react-i18next';
import type { Answer } from '../api/client';
import { useFormat, yunqiToCny } from '../format';

export type CommissionExplanation = NonNullable<Answer<'/v1/ambassadors/me/orders/{orderId}'>['explanation']>;
type Assessment = Answer<'/v1/ambassadors/me/orders/{orderId}'>['assessment'];

/** The ops order view documents its explanation loosely (unknown): accept it when it has the shape. */
export function isExplanation(x: unknown): x is CommissionExplanation {
  const e = x as Partial<CommissionExplanation> | null;
  return !!e && typeof e.rate === 'string' && Array.isArray(e.caps) && typeof e.rewardYunqi === 'number';
}

export function Explanation({ explanation: e, assessment }: { explanation: CommissionExplanation; assessment?: Assessment }) {
  const { t } = useTranslation();
  const f = useFormat();
  const money = (y: number | null) => (y === null ? t('orders.unlimited') : f.cny(yunqiToCny(y)));
  const bound = e.caps.filter((c) => c.bound);
  return (
    <section aria-labelledby="why-title" className="card">
      <h2 id="why-title">{t('orders.why')}</h2>
      <dl className="facts">
        <dt>{t('orders.ruleSet')}</dt>
        <dd>{e.ruleSetVersion}</dd>
        <dt>{t('orders.level')}</dt>
        <dd>{e.level}</dd>
        <dt>{t('orders.purchaseKind')}</dt>
        <dd>{t(`purchaseKind.${e.kind}`)}</dd>
        {assessment?.customerType && (
          <>
            <dt>{t('orders.customerType')}</dt>
            <dd>{t(`customerType.${assessment.customerType}`)}</dd>
          </>
        )}
        <dt>{t('orders.rate')}</dt>
        <dd>
          {f.pct(e.rate)} ({t(`rateSource.${e.rateSource}`)})
        </dd>
        <dt>{t('orders.paid')}</dt>
        <dd>{money(e.paidYunqi)}</dd>
        <dt>{t('orders.base')}</dt>
        <dd>{money(e.cappedBaseYunqi)}</dd>
        <dt>{t('orders.uncapped')}</dt>
        <dd>
          {money(e.uncappedRewardYunqi)} ({t('orders.rounding')})
        </dd>
        <dt>{t('orders.reward')}</dt>
        <dd>
          <strong>{money(e.rewardYunqi)}</strong> = {f.yunqi(e.rewardYunqi)}
        </dd>
      </dl>
      <p className="bound">
        {bound.length
          ? bound.map((c) => t('orders.boundBy', { cap: t(`cap.${c.cap}`), room: money(c.roomBeforeYunqi) })).join(' ')
          : t('orders.noneBound')}
      </p>
      <table>
        <caption>{t('orders.caps')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('orders.cap')}</th>
            <th scope="col">{t('orders.rule')}</th>
            <th scope="col">{t('orders.limit')}</th>
            <th scope="col">{t('orders.roomBefore')}</th>
            <th scope="col">{t('orders.bound')}</th>
          </tr>
        </thead>
        <tbody>
          {e.caps.map((c) => (
            <tr key={c.cap} className={c.bound ? 'bound' : undefined}>
              <th scope="row">{t(`cap.${c.cap}`)}</th>
              <td>{c.rule}</td>
              <td>{money(c.limitYunqi)}</td>
              <td>{money(c.roomBeforeYunqi)}</td>
              <td>{c.bound ? t('app.yes') : t('app.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Installment = Answer<'/v1/ambassadors/me/orders/{orderId}'>['installments'][number];

export function Installments({ items }: { items: Installment[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!items.length) return null;
  return (
    <table>
      <caption>{t('orders.installments')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('orders.installment')}</th>
          <th scope="col">{t('orders.amount')}</th>
          <th scope="col">{t('orders.due')}</th>
          <th scope="col">{t('orders.status')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.n}>
            <th scope="row">{i.n}</th>
            <td>{f.cny(i.amount.cny)}</td>
            <td>{f.instant(i.dueAt)}</td>
            <td>{t(`installment.${i.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
