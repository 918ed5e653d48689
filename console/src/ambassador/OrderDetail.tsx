/** One order: its money, why this amount (rule set, rate, the cap that bound it and the room
 * left), the installments with their dates and status, and what happened (refunds, findings,
 * voids with their reasons), each line in the reader's language. */
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ambassadorApi, type Answer } from '../api/client';
import { instant, useFormat, yunqiToCny } from '../format';
import { Explanation, Installments } from '../components/Explanation';
import { ErrorNote, Loading } from '../components/Status';

type Line = Answer<'/v1/ambassadors/me/orders/{orderId}'>['timeline'][number];

function useEventText() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  return (e: Line): string => {
    const d = e.detail;
    const amount = (y: unknown) => (typeof y === 'number' ? f.cny(yunqiToCny(y)) : '');
    const reason = typeof d.reasonCode === 'string' ? t(`reasonCode.${d.reasonCode}`) : '';
    switch (e.kind) {
      case 'credited':
        return t('event.credited', { installment: d.installment, amount: amount(d.yunqi) });
      case 'refund':
        return t('event.refund', { amount: amount(d.amountYunqi), full: d.full ? t('event.refundFull') : '' });
      case 'finding':
        return t('event.finding', { reason: typeof d.reason === 'string' ? t(`finding.${d.reason}`) : '' });
      case 'voided':
        return t('event.voided', { reason: d.subject ? `${reason}, ${t(`event.subject_${d.subject}`)}` : reason });
      case 'ineligible':
        return t('event.ineligible', { reason });
      case 'review_started':
        return t('event.review_started', { reviewEndsAt: instant(typeof d.reviewEndsAt === 'string' ? d.reviewEndsAt : null) });
      case 'attributed':
        return t('event.attributed', { level: d.level });
      case 'reassessed':
        return t('event.reassessed', { state: typeof d.state === 'string' ? t(`state.${d.state}`) : '' });
      default:
        return i18n.exists(`event.${e.kind}`) ? t(`event.${e.kind}`) : t('event.other', { kind: e.kind });
    }
  };
}

export function OrderDetail() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const text = useEventText();
  const q = ambassadorApi.query.useQuery('get', '/v1/ambassadors/me/orders/{orderId}', { params: { path: { orderId } } });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading />;
  const o = q.data;
  return (
    <>
      <p>
        <Link to="/orders">← {t('nav.orders')}</Link>
      </p>
      <h1 id="order-facts">{t('orders.detail', { id: o.orderId })}</h1>
      <section className="card" aria-labelledby="order-facts">
        <dl className="facts">
          <dt>{t('orders.state')}</dt>
          <dd>
            <strong>{t(`state.${o.state}`)}</strong>
            {o.reasonCode && ` — ${t(`reasonCode.${o.reasonCode}`)}`}
          </dd>
          <dt>{t('orders.product')}</dt>
          <dd>
            {o.productCode} ({o.productCategory})
          </dd>
          <dt>{t('orders.customer')}</dt>
          <dd>{o.customerId}</dd>
          <dt>{t('orders.placed')}</dt>
          <dd>{instant(o.placedAt)}</dd>
          <dt>{t('orders.paid')}</dt>
          <dd>{f.cny(o.paid.cny)}</dd>
          {o.refunded.yunqi > 0 && (
            <>
              <dt>{t('orders.refunded')}</dt>
              <dd>{f.cny(o.refunded.cny)}</dd>
            </>
          )}
          <dt>{t('orders.reward')}</dt>
          <dd>
            {f.cny(o.reward.cny)} ({f.yunqi(o.reward.yunqi)})
          </dd>
          <dt>{t('orders.credited')}</dt>
          <dd>{f.cny(o.credited.cny)}</dd>
          {o.clawedBack.yunqi > 0 && (
            <>
              <dt>{t('orders.clawedBack')}</dt>
              <dd>{f.cny(o.clawedBack.cny)}</dd>
            </>
          )}
          <dt>{t('orders.reviewEnds')}</dt>
          <dd>{instant(o.reviewEndsAt)}</dd>
        </dl>
      </section>
      {o.explanation ? <Explanation explanation={o.explanation} assessment={o.assessment} /> : <p>{t('orders.noExplanation')}</p>}
      <Installments items={o.installments} />
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('orders.timeline')}</h2>
        <ol className="timeline">
          {o.timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{instant(e.at)}</time> {text(e)}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
