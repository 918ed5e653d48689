/** The orders of the ambassador's customers: state, paid amount, reward, credited, the reason
 * when it earns nothing or less; each opens its detail. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ambassadorApi } from '../api/client';
import { instant, useFormat } from '../format';
import { ErrorNote, Loading } from '../components/Status';
import { usePages } from '../components/pages';

export function Orders() {
  const { t } = useTranslation();
  const f = useFormat();
  const pages = usePages(ambassadorApi.fetch, '/v1/ambassadors/me/orders');
  if (pages.error) return <ErrorNote error={pages.error} />;
  if (!pages.items) return <Loading />;
  return (
    <>
      <h1>{t('orders.title')}</h1>
      {pages.items.length === 0 ? (
        <p>{t('orders.empty')}</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('orders.order')}</th>
                <th scope="col">{t('orders.placed')}</th>
                <th scope="col">{t('orders.paid')}</th>
                <th scope="col">{t('orders.reward')}</th>
                <th scope="col">{t('orders.credited')}</th>
                <th scope="col">{t('orders.state')}</th>
                <th scope="col">{t('orders.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((o) => (
                <tr key={o.orderId}>
                  <th scope="row">
                    <Link to={`/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</Link>
                  </th>
                  <td>{instant(o.placedAt)}</td>
                  <td>{f.cny(o.paid.cny)}</td>
                  <td>{f.cny(o.reward.cny)}</td>
                  <td>{f.cny(o.credited.cny)}</td>
                  <td>{t(`state.${o.state}`)}</td>
                  <td>{o.reasonCode ? t(`reasonCode.${o.reasonCode}`) : t('app.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.more}
    </>
  );
}
