/** The ambassador's associations (关联): start, end, days left and state, newest first. */
import { useTranslation } from 'react-i18next';
import { ambassadorApi } from '../api/client';
import { daysLeft, instant } from '../format';
import { DataTable } from '../components/DataTable';
import { ErrorNote, Loading } from '../components/Status';
import { usePages } from '../components/pages';

export function Customers() {
  const { t } = useTranslation();
  const pages = usePages(ambassadorApi.fetch, '/v1/ambassadors/me/customers');
  if (pages.error) return <ErrorNote error={pages.error} />;
  if (!pages.items) return <Loading />;
  const headers = [t('customers.customer'), t('customers.started'), t('customers.ends'), t('customers.daysLeft'), t('customers.state'), t('customers.ended')];
  const rows = pages.items.map((c) => ({
    key: c.associationId,
    cells: [c.customerId, instant(c.startedAt), instant(c.endsAt), c.status === 'active' ? t('customers.days', { count: daysLeft(c.endsAt) }) : t('app.none'), t(`customers.state_${c.status}`), instant(c.endedAt)],
  }));
  return (
    <>
      <h1>{t('customers.title')}</h1>
      {rows.length === 0 ? <p>{t('customers.empty')}</p> : <DataTable headers={headers} rows={rows} />}
      {pages.more}
    </>
  );
}
