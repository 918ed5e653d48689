/** The ambassador console: sign in with the ambassador's token, then home, customers, orders, withdrawals. */
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { ambassadorApi } from '../api/client';
import { Layout } from '../components/Layout';
import { SignIn } from '../components/SignIn';
import { useToken } from '../session';
import { Customers } from './Customers';
import { Home } from './Home';
import { OrderDetail } from './OrderDetail';
import { Orders } from './Orders';
import { Withdrawals } from './Withdrawals';

const check = async (token: string) => (await ambassadorApi.fetch.GET('/v1/ambassadors/me', { headers: { Authorization: `Bearer ${token}` } })).response.ok;

export function AmbassadorApp() {
  const { t } = useTranslation();
  const token = useToken('ambassador');
  if (!token) {
    return (
      <Layout role="ambassador" nav={[]}>
        <SignIn role="ambassador" check={check} />
      </Layout>
    );
  }
  const nav = [
    { to: '/', label: t('nav.home'), end: true },
    { to: '/customers', label: t('nav.customers') },
    { to: '/orders', label: t('nav.orders') },
    { to: '/withdrawals', label: t('nav.withdrawals') },
  ];
  return (
    <Layout role="ambassador" nav={nav}>
      <Routes>
        <Route index element={<Home />} />
        <Route path="customers" element={<Customers />} />
        <Route path="orders" element={<Orders />} />
        <Route path="orders/:orderId" element={<OrderDetail />} />
        <Route path="withdrawals" element={<Withdrawals />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Layout>
  );
}
