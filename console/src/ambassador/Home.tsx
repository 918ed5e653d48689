/** Home: the promotion link with a copy button and a QR code made in the page, the profile, the
 * rates of the rule set in force for the ambassador's level, and the balances. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QRCodeSVG } from 'qrcode.react';
import { ambassadorApi } from '../api/client';
import { useFormat } from '../format';
import { ErrorNote, Loading } from '../components/Status';

const api = ambassadorApi.query;

function PromotionLink({ days }: { days: number | undefined }) {
  const { t } = useTranslation();
  const link = api.useQuery('get', '/v1/ambassadors/me/link');
  const [copied, setCopied] = useState(false);
  if (link.error) return <ErrorNote error={link.error} />;
  if (!link.data) return <Loading />;
  const url = link.data.url;
  const copy = async () => {
    await navigator.clipboard.writeText(url);
    setCopied(true);
  };
  return (
    <section className="card" aria-labelledby="link-title">
      <h2 id="link-title">{t('home.link')}</h2>
      <div className="link-row">
        <label htmlFor="promo-link" className="visually-hidden">
          {t('home.link')}
        </label>
        <input id="promo-link" readOnly value={url} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={copy}>
          {t('app.copy')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="help">
        {copied ? t('app.copied') : ''}
      </p>
      {days !== undefined && <p className="help">{t('home.linkHelp', { days })}</p>}
      <QRCodeSVG value={url} size={160} marginSize={2} title={t('home.qr')} role="img" aria-label={t('home.qr')} />
    </section>
  );
}

function Rates({ level }: { level: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const rs = api.useQuery('get', '/v1/rulesets/current');
  if (rs.error) return <ErrorNote error={rs.error} />;
  if (!rs.data) return <Loading />;
  const r = rs.data;
  const mine = r.levels.find((l) => l.level === level);
  return (
    <section className="card" aria-labelledby="rates-title">
      <h2 id="rates-title">{t('home.rates')}</h2>
      <p className="help">{t('home.ruleSet', { version: r.version, from: f.instant(r.effectiveFrom) })}</p>
      <dl className="facts">
        <dt>{t('home.level')}</dt>
        <dd>{level}</dd>
        <dt>{t('home.firstPurchase')}</dt>
        <dd>{f.pct(mine?.firstPurchaseRate)}</dd>
        <dt>{t('home.laterPurchase')}</dt>
        <dd>{f.pct(mine?.laterPurchaseRate)}</dd>
        <dt>{t('home.perOrderCap')}</dt>
        <dd>{mine?.perOrderPaidCap ? f.cny(mine.perOrderPaidCap.cny) : t('home.noCap')}</dd>
        <dt>{t('home.strategic')}</dt>
        <dd>{r.strategicRate ? f.pct(r.strategicRate) : t('home.notInProgram')}</dd>
      </dl>
      <p>{t('home.perCustomer', { paid: f.cny(r.perCustomerPaidCap.cny), reward: f.cny(r.perCustomerRewardCap.cny) })}</p>
      <p>{t('home.review', { days: r.reviewPeriodDays, delay: r.creditDelayDays, gap: r.installmentPeriodDays, threshold: f.cny(r.installmentThreshold.cny) })}</p>
    </section>
  );
}

function Balances() {
  const { t } = useTranslation();
  const f = useFormat();
  const b = api.useQuery('get', '/v1/ambassadors/me/balance');
  if (b.error) return <ErrorNote error={b.error} />;
  if (!b.data) return <Loading />;
  const d = b.data;
  const rows: [string, { cny: string; yunqi: number }, string?][] = [
    [t('home.available'), d.available, 'strong'],
    [t('home.pending'), d.pending],
    [t('home.reserved'), d.reserved],
    [t('home.paidOut'), d.paidOut],
    [t('home.withdrawnThisMonth', { month: d.month }), d.withdrawnThisMonth],
    [t('home.taxThisMonth', { month: d.month }), d.taxWithheldThisMonth],
  ];
  if (d.debt.yunqi > 0) rows.splice(1, 0, [t('home.debt'), d.debt, 'debt']);
  return (
    <section className="card" aria-labelledby="balances-title">
      <h2 id="balances-title">{t('home.balances')}</h2>
      <dl className="facts balances">
        {rows.map(([label, amount, cls]) => (
          <div key={label} className={cls}>
            <dt>{label}</dt>
            <dd>
              {f.cny(amount.cny)} <span className="yunqi">({f.yunqi(amount.yunqi)})</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Home() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = api.useQuery('get', '/v1/ambassadors/me');
  const rs = api.useQuery('get', '/v1/rulesets/current');
  if (me.error) return <ErrorNote error={me.error} />;
  if (!me.data) return <Loading />;
  const p = me.data;
  return (
    <>
      <h1>{t('home.welcome', { name: p.displayName })}</h1>
      <div className="grid">
        <PromotionLink days={rs.data?.associationWindowDays} />
        <Balances />
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">{t('home.profile')}</h2>
          <dl className="facts">
            <dt>{t('home.usercode')}</dt>
            <dd>{p.usercode}</dd>
            <dt>{t('home.level')}</dt>
            <dd>{p.level}</dd>
            <dt>{t('home.joined')}</dt>
            <dd>{f.instant(p.joinedAt)}</dd>
          </dl>
        </section>
        <Rates level={p.level} />
      </div>
    </>
  );
}
