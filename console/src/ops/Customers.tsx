/** Find a customer by the start of the id, then the whole association (关联) timeline: clicks,
 * refusals, switches, expiry, with the customer workflow in the Temporal UI. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { opsApi } from '../api/client';
import { instant } from '../format';
import { DataTable } from '../components/DataTable';
import { ErrorNote, Loading } from '../components/Status';
import { WorkflowLink } from './temporal';

export function CustomerSearch() {
  const { t } = useTranslation();
  const [prefix, setPrefix] = useState('');
  const [asked, setAsked] = useState('');
  const q = opsApi.query.useQuery('get', '/v1/ops/customers', { params: { query: { prefix: asked } } }, { enabled: asked.length >= 2 });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked(prefix.trim());
  };
  const items = q.data?.items;
  return (
    <>
      <h1>{t('ops.findCustomer')}</h1>
      <form onSubmit={submit} className="inline" role="search">
        <label htmlFor="prefix">{t('ops.customerPrefix')}</label>
        <input id="prefix" name="prefix" minLength={2} required value={prefix} onChange={(e) => setPrefix(e.target.value)} />
        <button type="submit" className="primary">
          {t('ops.search')}
        </button>
      </form>
      {q.error ? <ErrorNote error={q.error} /> : null}
      {items && (
        <section aria-labelledby="results-title" aria-live="polite">
          <h2 id="results-title">{t('ops.results')}</h2>
          {items.length === 0 ? (
            <p>{t('ops.noResults')}</p>
          ) : (
            <ul className="results">
              {items.map((c) => (
                <li key={c.customerId}>
                  <Link to={`/ops/customers/${encodeURIComponent(c.customerId)}`}>
                    {c.customerId}
                  </Link>{' '}
                  <span className="help">
                    ({t('ops.knownFrom')}: {t(`ops.knownFrom_${c.knownFrom}`)})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

export function CustomerTimeline() {
  const { customerId = '' } = useParams();
  const { t } = useTranslation();
  const q = opsApi.query.useQuery('get', '/v1/ops/customers/{id}/association', { params: { path: { id: customerId } } });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading />;
  const c = q.data;
  const detail = (d: Record<string, unknown>) =>
    Object.entries(d)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}: ${typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? instant(v) : String(v)}`)
      .join('; ');
  return (
    <>
      <p>
        <Link to="/ops/customers">← {t('ops.findCustomer')}</Link>
      </p>
      <h1>{t('ops.customerTitle', { id: c.customerId })}</h1>
      <p>
        {t('ops.workflow')}: <WorkflowLink workflowId={c.workflowId} />
      </p>
      {c.nonAssociableReason && <p className="warning">{t('ops.nonAssociable', { reason: c.nonAssociableReason.reason })}</p>}
      <section className="card" aria-labelledby="current-title">
        <h2 id="current-title">{t('ops.current')}</h2>
        {c.current ? (
          <dl className="facts">
            <dt>{t('ops.ambassador')}</dt>
            <dd>
              <Link to={`/ops/ambassadors/${encodeURIComponent(c.current.ambassadorId)}`}>{c.current.ambassadorId}</Link> ({c.current.usercode})
            </dd>
            <dt>{t('customers.started')}</dt>
            <dd>{instant(c.current.startedAt)}</dd>
            <dt>{t('customers.ends')}</dt>
            <dd>{instant(c.current.endsAt)}</dd>
            <dt>{t('orders.ruleSet')}</dt>
            <dd>{c.current.ruleSetVersion}</dd>
          </dl>
        ) : (
          <p>{t('ops.noCurrent')}</p>
        )}
      </section>
      <DataTable
        caption={t('ops.associations')}
        headers={[t('ops.association'), t('ops.ambassador'), t('customers.started'), t('customers.ends'), t('customers.ended'), t('ops.endReason')]}
        rows={c.associations.map((a) => ({ key: a.associationId, cells: [a.associationId, a.ambassadorId, instant(a.startedAt), instant(a.endsAt), instant(a.endedAt), a.endReason ?? t('app.none')] }))}
      />
      <DataTable
        caption={t('ops.timeline')}
        headers={[t('ops.seq'), t('ops.at'), t('ops.kind'), t('ops.ambassador'), t('ops.detail')]}
        rows={c.timeline.map((e) => ({
          key: e.seq,
          cells: [e.seq, instant(e.at), t(`ops.assoc.${e.kind}`, { defaultValue: e.kind }), e.ambassadorId ?? t('app.none'), [e.clickId && `${t('ops.click')} ${e.clickId}`, detail(e.detail)].filter(Boolean).join('; ')],
        }))}
      />
    </>
  );
}
