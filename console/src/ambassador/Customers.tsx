/** The ambassador's associations (关联): start, end, days left and state, newest first. */
import { useTranslation } from 'react-i18next';
import { ambassadorApi } from '../api/client';
import { daysLeft, instant } from '../format';
import { ErrorNote, Loading } from '../components/Status';
import { usePages } from '../components/pages';

export function Customers() {
  const { t } = useTranslation();
  const pages = usePages(ambassadorApi.fetch, '/v1/ambassadors/me/customers');
  if (pages.error) return <ErrorNote error={pages.error} />;
  if (!pages.items) return <Loading />;
  return (
    <>
      <h1>{t('customers.title')}</h1>
      {pages.items.length === 0 ? (
        <p>{t('customers.empty')}</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('customers.customer')}</th>
                <th scope="col">{t('customers.started')}</th>
                <th scope="col">{t('customers.ends')}</th>
                <th scope="col">{t('customers.daysLeft')}</th>
                <th scope="col">{t('customers.state')}</th>
                <th scope="col">{t('customers.ended')}</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((c) => (
                <tr key={c.associationId}>
                  <th scope="row">{c.customerId}</th>
                  <td>{instant(c.startedAt)}</td>
                  <td>{instant(c.endsAt)}</td>
                  <td>{c.status === 'active' ? t('customers.days', { count: daysLeft(c.endsAt) }) : t('app.none')}</td>
                  <td>{t(`customers.state_${c.status}`)}</td>
                  <td>{instant(c.endedAt)}</td>
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
