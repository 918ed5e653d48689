/** Withdrawals (提现): a request form with a live preview of gross, tax and net and how the
 * month's withdrawals gave that tax (R-WD-4), a confirmation step, the history with the payout
 * status, and the monthly statement as CSV. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ambassadorApi, type Answer } from '../api/client';
import { CNY_INPUT, instant, monthOf, useFormat } from '../format';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote, Loading, useErrorText } from '../components/Status';
import { usePages } from '../components/pages';

const api = ambassadorApi.query;
type Preview = Answer<'/v1/ambassadors/me/withdrawals/preview'>;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

function TaxExplanation({ p }: { p: Preview }) {
  const { t } = useTranslation();
  const f = useFormat();
  const e = p.explanation;
  const low = e.monthGross.yunqi <= e.lowIncomeCeiling.yunqi;
  return (
    <details open>
      <summary>{t('withdrawals.howTax')}</summary>
      <ol className="steps">
        <li>{t('withdrawals.monthIncome', { month: p.month, before: f.cny(e.monthGrossBefore.cny), gross: f.cny(p.gross.cny), total: f.cny(e.monthGross.cny) })}</li>
        <li>
          {low
            ? t('withdrawals.taxableLow', { total: f.cny(e.monthGross.cny), deduction: f.cny(e.lowIncomeDeduction.cny), taxable: f.cny(e.taxable.cny), ceiling: f.cny(e.lowIncomeCeiling.cny) })
            : t('withdrawals.taxableHigh', { total: f.cny(e.monthGross.cny), rate: f.pct(e.highIncomeDeductionRate), taxable: f.cny(e.taxable.cny), ceiling: f.cny(e.lowIncomeCeiling.cny) })}
        </li>
        <li>{t('withdrawals.monthTax', { taxable: f.cny(e.taxable.cny), rate: f.pct(e.bracket.rate), deduction: f.cny(e.bracket.quickDeduction.cny), monthTax: f.cny(e.monthTax.cny), n: e.bracket.n })}</li>
        <li>{t('withdrawals.lessWithheld', { withheld: f.cny(e.taxWithheldBefore.cny), tax: f.cny(p.tax.cny) })}</li>
      </ol>
    </details>
  );
}

function RequestForm() {
  const { t } = useTranslation();
  const f = useFormat();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const valid = CNY_INPUT.test(amount) && /[1-9]/.test(amount);
  const debounced = useDebounced(amount, 250);
  const preview = api.useQuery('get', '/v1/ambassadors/me/withdrawals/preview', { params: { query: { amount: debounced } } }, { enabled: valid && debounced === amount });
  const request = api.useMutation('post', '/v1/ambassadors/me/withdrawals');
  const p = valid ? preview.data : undefined;
  const refusal = p?.refusal;
  const vars = { max: f.cny(p?.withdrawalMax.cny ?? '100000.00'), available: f.cny(p?.available.cny) };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid && p && !refusal) setConfirming(true);
  };
  const confirm = async () => {
    setConfirming(false);
    const out = await request.mutateAsync({ params: { header: { 'idempotency-key': key } }, body: { amount } }).catch(() => undefined);
    if (!out) return;
    setDone(t('withdrawals.requested', { id: out.id, status: t(`withdrawals.status_${out.status}`) }));
    setKey(crypto.randomUUID());
    setAmount('');
    await queryClient.invalidateQueries();
  };

  return (
    <section className="card" aria-labelledby="wd-title">
      <h1 id="wd-title">{t('withdrawals.title')}</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="amount">{t('withdrawals.amount')}</label>
        <input id="amount" name="amount" inputMode="decimal" autoComplete="off" value={amount} aria-describedby="amount-help amount-problem" aria-invalid={amount !== '' && !valid} onChange={(e) => { setAmount(e.target.value.trim()); setDone(null); }} />
        <p id="amount-help" className="help">
          {t('withdrawals.amountHelp', { max: vars.max })}
        </p>
        <p id="amount-problem" className="error" role="alert">
          {amount !== '' && !valid ? t('withdrawals.invalidAmount') : refusal ? t(`refusal.${refusal.code}`, vars) : ''}
        </p>
        <section aria-labelledby="preview-title" aria-live="polite" className="preview">
          <h2 id="preview-title">{t('withdrawals.preview')}</h2>
          {preview.error && valid ? <ErrorNote error={preview.error} /> : null}
          {p ? (
            <>
              <dl className="facts">
                <dt>{t('withdrawals.gross')}</dt>
                <dd>{f.cny(p.gross.cny)}</dd>
                <dt>{t('withdrawals.tax')}</dt>
                <dd>{f.cny(p.tax.cny)}</dd>
                <dt>{t('withdrawals.net')}</dt>
                <dd>
                  <strong>{f.cny(p.net.cny)}</strong>
                </dd>
              </dl>
              <TaxExplanation p={p} />
            </>
          ) : (
            <p className="help">{t('app.none')}</p>
          )}
        </section>
        <button type="submit" className="primary" disabled={!p || !!refusal || request.isPending}>
          {t('withdrawals.submit', { gross: p ? f.cny(p.gross.cny) : '' })}
        </button>
      </form>
      {request.error ? <p role="alert" className="error">{errorText(request.error, vars)}</p> : null}
      <p role="status" aria-live="polite">
        {done}
      </p>
      <ConfirmDialog
        open={confirming}
        title={t('withdrawals.confirmTitle')}
        text={p ? t('withdrawals.confirmText', { gross: f.cny(p.gross.cny), tax: f.cny(p.tax.cny), net: f.cny(p.net.cny) }) : ''}
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}

function History() {
  const { t } = useTranslation();
  const f = useFormat();
  const pages = usePages(ambassadorApi.fetch, '/v1/ambassadors/me/withdrawals');
  if (pages.error) return <ErrorNote error={pages.error} />;
  if (!pages.items) return <Loading />;
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('withdrawals.history')}</h2>
      {pages.items.length === 0 ? (
        <p>{t('withdrawals.empty')}</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('withdrawals.requestedAt')}</th>
                <th scope="col">{t('withdrawals.gross')}</th>
                <th scope="col">{t('withdrawals.tax')}</th>
                <th scope="col">{t('withdrawals.net')}</th>
                <th scope="col">{t('withdrawals.status')}</th>
                <th scope="col">{t('withdrawals.paidAt')}</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((w) => (
                <tr key={w.id}>
                  <th scope="row">{instant(w.requestedAt)}</th>
                  <td>{f.cny(w.gross)}</td>
                  <td>{f.cny(w.tax)}</td>
                  <td>{f.cny(w.net)}</td>
                  <td>
                    {t(`withdrawals.status_${w.status}`)}
                    {w.failureReason ? ` — ${w.failureReason}` : ''}
                  </td>
                  <td>{instant(w.paidAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.more}
    </section>
  );
}

function Statement() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => monthOf(Date.now()));
  const [error, setError] = useState<unknown>(null);
  const download = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const { data } = await ambassadorApi.fetch.GET('/v1/ambassadors/me/statements/{month}', { params: { path: { month } }, parseAs: 'blob' });
      if (!data) return;
      const url = URL.createObjectURL(data);
      const a = document.createElement('a');
      a.href = url;
      a.download = `statement-${month}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" aria-labelledby="statement-title">
      <h2 id="statement-title">{t('withdrawals.statement')}</h2>
      <form onSubmit={download} className="inline">
        <label htmlFor="month">{t('withdrawals.month')}</label>
        <input id="month" type="month" required value={month} onChange={(e) => setMonth(e.target.value)} />
        <button type="submit">{t('withdrawals.download')}</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}

export function Withdrawals() {
  return (
    <>
      <RequestForm />
      <History />
      <Statement />
    </>
  );
}
