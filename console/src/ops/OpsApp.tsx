/** The ops console: sign in with the ops token, then what needs attention, customers, orders, ambassadors. */
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { opsApi } from '../api/client';
import { Layout } from '../components/Layout';
import { SignIn } from '../components/SignIn';
import { useToken } from '../session';
import { Ambassadors } from './Ambassadors';
import { Attention } from './Attention';
import { CustomerSearch, CustomerTimeline } from './Customers';
import { OpsOrder, OrderLookup } from './Order';

const check = async (token: string) => (await opsApi.fetch.GET('/v1/ops/console-settings', { headers: { Authorization: `Bearer ${token}` } })).response.ok;

export function OpsApp() {
  const { t } = useTranslation();
  const token = useToken('ops');
  if (!token) {
    return (
      <Layout role="ops" nav={[]}>
        <SignIn role="ops" check={check} />
      </Layout>
    );
  }
  const nav = [
    { to: '/ops', label: t('nav.attention'), end: true },
    { to: '/ops/customers', label: t('nav.opsCustomers') },
    { to: '/ops/orders', label: t('nav.opsOrders') },
    { to: '/ops/ambassadors', label: t('nav.opsAmbassadors') },
  ];
  return (
    <Layout role="ops" nav={nav}>
      <Routes>
        <Route index element={<Attention />} />
        <Route path="customers" element={<CustomerSearch />} />
        <Route path="customers/:customerId" element={<CustomerTimeline />} />
        <Route path="orders" element={<OrderLookup />} />
        <Route path="orders/:orderId" element={<OpsOrder />} />
        <Route path="ambassadors" element={<Ambassadors />} />
        <Route path="ambassadors/:ambassadorId" element={<Ambassadors />} />
        <Route path="*" element={<Navigate to="/ops" replace />} />
      </Routes>
    </Layout>
  );
}
