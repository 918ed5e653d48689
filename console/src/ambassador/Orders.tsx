/** The orders of the ambassador's customers: state, paid amount, reward, credited, the reason
 * when it earns nothing or less; each opens its detail. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ambassadorApi } from '../api/client';
import { instant, useFormat } from '../format';
import { DataTable } from '../components/DataTable';
import { ErrorNote, Loading } from '../components/Status';
import { usePages } from '../components/pages';

export function Orders() {
  const { t } = useTranslation();
  const f = useFormat();
  const pages = usePages(ambassadorApi.fetch, '/v1/ambassadors/me/orders');
  if (pages.error) return <ErrorNote error={pages.error} />;
  if (!pages.items) return <Loading />;
  const headers = [t('orders.order'), t('orders.placed'), t('orders.paid'), t('orders.reward'), t('orders.credited'), t('orders.state'), t('orders.reason')];
  const rows = pages.items.map((o) => ({
    key: o.orderId,
    cells: [
      <Link to={`/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</Link>,
      instant(o.placedAt),
      f.cny(o.paid.cny),
      f.cny(o.reward.cny),
      f.cny(o.credited.cny),
      t(`state.${o.state}`),
      o.reasonCode ? t(`reasonCode.${o.reasonCode}`) : t('app.none'),
    ],
  }));
  return (
    <>
      <h1>{t('orders.title')}</h1>
      {rows.length === 0 ? <p>{t('orders.empty')}</p> : <DataTable headers={headers} rows={rows} />}
      {pages.more}
    </>
  );
}
