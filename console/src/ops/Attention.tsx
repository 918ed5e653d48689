/** What needs attention: orders failed or overdue, withdrawals stuck, ambassadors with a debt. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { opsApi } from '../api/client';
import { instant, useFormat } from '../format';
import { ErrorNote, Loading } from '../components/Status';
import { WorkflowLink } from './temporal';

export function Attention() {
  const { t } = useTranslation();
  const f = useFormat();
  const q = opsApi.query.useQuery('get', '/v1/ops/attention', {});
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading />;
  const a = q.data;
  return (
    <>
      <h1>{t('ops.attention')}</h1>
      <p className="help">{t('ops.asOf', { at: instant(a.asOf) })}</p>
      <section className="card" aria-labelledby="att-orders">
        <h2 id="att-orders">{t('ops.stuckOrders', { minutes: a.thresholds.orderOverdueMinutes })}</h2>
        {a.orders.length === 0 ? (
          <p>{t('ops.nothing')}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('orders.order')}</th>
                  <th scope="col">{t('ops.why')}</th>
                  <th scope="col">{t('orders.state')}</th>
                  <th scope="col">{t('ops.nextDue')}</th>
                  <th scope="col">{t('ops.error')}</th>
                  <th scope="col">{t('ops.workflow')}</th>
                </tr>
              </thead>
              <tbody>
                {a.orders.map((o) => (
                  <tr key={o.orderId}>
                    <th scope="row">
                      <Link to={`/ops/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</Link>
                    </th>
                    <td>{t(`ops.why_${o.why}`)}</td>
                    <td>{t(`state.${o.state}`, { defaultValue: o.state })}</td>
                    <td>{instant(o.nextDueAt)}</td>
                    <td>{o.error ?? t('app.none')}</td>
                    <td>
                      <WorkflowLink workflowId={o.workflowId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="att-wd">
        <h2 id="att-wd">{t('ops.stuckWithdrawals', { minutes: a.thresholds.withdrawalStuckMinutes })}</h2>
        {a.withdrawals.length === 0 ? (
          <p>{t('ops.nothing')}</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('ops.workflow')}</th>
                  <th scope="col">{t('ops.ambassador')}</th>
                  <th scope="col">{t('withdrawals.status')}</th>
                  <th scope="col">{t('withdrawals.gross')}</th>
                  <th scope="col">{t('withdrawals.requestedAt')}</th>
                  <th scope="col">{t('ops.attempts')}</th>
                  <th scope="col">{t('ops.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {a.withdrawals.map((w) => (
                  <tr key={w.withdrawalId}>
                    <th scope="row">
                      <WorkflowLink workflowId={w.workflowId} />
                    </th>
                    <td>
                      <Link to={`/ops/ambassadors/${encodeURIComponent(w.ambassadorId)}`}>{w.ambassadorId}</Link>
                    </td>
                    <td>{t(`withdrawals.status_${w.status}`)}</td>
                    <td>{f.cny(w.gross.cny)}</td>
                    <td>{instant(w.requestedAt)}</td>
                    <td>{w.payoutAttempts}</td>
                    <td>{w.lastPayoutError ?? t('app.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="att-debts">
        <h2 id="att-debts">{t('ops.debts')}</h2>
        {a.debts.length === 0 ? (
          <p>{t('ops.nothing')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ops.ambassador')}</th>
                <th scope="col">{t('home.usercode')}</th>
                <th scope="col">{t('ops.debt')}</th>
              </tr>
            </thead>
            <tbody>
              {a.debts.map((d) => (
                <tr key={d.ambassadorId}>
                  <th scope="row">
                    <Link to={`/ops/ambassadors/${encodeURIComponent(d.ambassadorId)}`}>{d.displayName}</Link> <code>{d.ambassadorId}</code>
                  </th>
                  <td>{d.usercode}</td>
                  <td>
                    {f.cny(d.debt.cny)} ({f.yunqi(d.debt.yunqi)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
