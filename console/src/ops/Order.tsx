/** An order for operations: open it by id, then its state and money, the commission explanation,
 * installments, the readable timeline, its ledger entries, the workflow in the Temporal UI, and
 * the actions (refund, finding). */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { opsApi } from '../api/client';
import { instant, useFormat } from '../format';
import { Explanation, Installments, isExplanation } from '../components/Explanation';
import { DataTable } from '../components/DataTable';
import { ErrorNote, Loading } from '../components/Status';
import { OrderActions } from './OrderActions';
import { WorkflowLink } from './temporal';

export function OrderLookup() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (id.trim()) navigate(`/ops/orders/${encodeURIComponent(id.trim())}`);
  };
  return (
    <>
      <h1>{t('ops.findOrder')}</h1>
      <form onSubmit={submit} className="inline" role="search">
        <label htmlFor="order-id">{t('ops.orderId')}</label>
        <input id="order-id" required value={id} onChange={(e) => setId(e.target.value)} />
        <button type="submit" className="primary">
          {t('ops.open')}
        </button>
      </form>
    </>
  );
}

export function OpsOrder() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = opsApi.query.useQuery('get', '/v1/ops/orders/{orderId}', { params: { path: { orderId } } });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading />;
  const o = q.data;
  return (
    <>
      <p>
        <Link to="/ops/orders">← {t('ops.findOrder')}</Link>
      </p>
      <h1 id="ops-order-facts">{t('ops.orderTitle', { id: o.orderId })}</h1>
      <section className="card" aria-labelledby="ops-order-facts">
        <dl className="facts">
          <dt>{t('orders.state')}</dt>
          <dd>
            <strong>{t(`state.${o.state}`)}</strong>
            {o.reasonCode && ` — ${t(`reasonCode.${o.reasonCode}`)} (${o.reasonCode})`}
          </dd>
          <dt>{t('orders.customer')}</dt>
          <dd>
            <Link to={`/ops/customers/${encodeURIComponent(o.customerId)}`}>{o.customerId}</Link>
          </dd>
          <dt>{t('ops.ambassador')}</dt>
          <dd>{o.ambassadorId ? <Link to={`/ops/ambassadors/${encodeURIComponent(o.ambassadorId)}`}>{o.ambassadorId}</Link> : t('app.none')}</dd>
          <dt>{t('orders.placed')}</dt>
          <dd>{instant(o.placedAt)}</dd>
          <dt>{t('orders.paid')}</dt>
          <dd>{f.cny(o.paid.cny)}</dd>
          <dt>{t('orders.refunded')}</dt>
          <dd>{f.cny(o.refunded.cny)}</dd>
          <dt>{t('orders.reward')}</dt>
          <dd>{f.cny(o.reward.cny)}</dd>
          <dt>{t('orders.credited')}</dt>
          <dd>{f.cny(o.credited.cny)}</dd>
          <dt>{t('orders.clawedBack')}</dt>
          <dd>{f.cny(o.clawedBack.cny)}</dd>
          <dt>{t('ops.workflow')}</dt>
          <dd>
            <WorkflowLink workflowId={o.workflow.workflowId} runId={o.workflow.runId} />
          </dd>
          {o.failure && (
            <>
              <dt>{t('ops.error')}</dt>
              <dd>
                {o.failure.error} ({instant(o.failure.at)})
              </dd>
            </>
          )}
        </dl>
      </section>
      {isExplanation(o.explanation) ? <Explanation explanation={o.explanation} /> : <p>{t('orders.noExplanation')}</p>}
      <Installments items={o.installments} />
      <DataTable
        caption={t('ops.timeline')}
        headers={[t('ops.at'), t('ops.kind'), t('ops.summary'), t('ops.recordedAt')]}
        rows={o.timeline.map((e, i) => ({ key: i, cells: [instant(e.at), e.kind, <span lang="en">{e.summary}</span>, instant(e.recordedAt)] }))}
      />
      <DataTable
        caption={t('ops.ledger')}
        headers={[t('ops.entry'), t('ops.at'), t('ops.kind'), t('orders.installment'), t('ops.account')]}
        rows={o.ledger.map((e) => ({
          key: e.entryId,
          cells: [
            e.entryId,
            instant(e.at),
            e.kind,
            e.installment ?? t('app.none'),
            <ul className="postings">
              {e.postings.map((p, i) => (
                <li key={i}>
                  <code>{p.account}</code> {f.cny(p.amount.cny)}
                </li>
              ))}
            </ul>,
          ],
        }))}
      />
      <OrderActions orderId={o.orderId} />
    </>
  );
}
