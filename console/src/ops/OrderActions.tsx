/** What ops may record on an order, each after a confirmation step: a refund (full, or partial
 * with its amount) and a same-person (同人) or cheating finding. The API answers what it did. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { opsApi } from '../api/client';
import { CNY_INPUT, useFormat } from '../format';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote } from '../components/Status';

const newId = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

type Pending = { kind: 'refund' | 'finding'; text: string } | null;

export function OrderActions({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const refund = opsApi.query.useMutation('post', '/v1/orders/{orderId}/refunds');
  const finding = opsApi.query.useMutation('post', '/v1/orders/{orderId}/findings');
  const [refundId, setRefundId] = useState(() => newId('refund'));
  const [amount, setAmount] = useState('');
  const [full, setFull] = useState(false);
  const [findingId, setFindingId] = useState(() => newId('finding'));
  const [reason, setReason] = useState<'same_person' | 'cheating'>('same_person');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const amountOk = full || (CNY_INPUT.test(amount) && /[1-9]/.test(amount));

  const ask = (kind: 'refund' | 'finding') => (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'refund' && !amountOk) return;
    const text =
      kind === 'refund'
        ? full
          ? t('ops.confirmRefundFull', { id: refundId, order: orderId })
          : t('ops.confirmRefund', { id: refundId, amount: f.cny(amount), order: orderId })
        : t('ops.confirmFinding', { id: findingId, reason: t(`finding.${reason}`), order: orderId });
    setPending({ kind, text });
  };
  const run = async () => {
    const kind = pending?.kind;
    setPending(null);
    const path = { params: { path: { orderId } } };
    const out =
      kind === 'refund'
        ? await refund.mutateAsync({ ...path, body: full ? { refundId, full } : { refundId, amount, full } }).catch(() => undefined)
        : await finding.mutateAsync({ ...path, body: { findingId, reason, ...(note ? { note } : {}) } }).catch(() => undefined);
    if (!out) return;
    setAnswer(t(out.applied ? 'ops.factApplied' : 'ops.factNotApplied', { summary: `${out.summary} (${t(`state.${out.state}`)})` }));
    if (kind === 'refund') setRefundId(newId('refund'));
    else setFindingId(newId('finding'));
    await queryClient.invalidateQueries();
  };

  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('ops.actions')}</h2>
      <form onSubmit={ask('refund')} aria-labelledby="refund-title">
        <h3 id="refund-title">{t('ops.refund')}</h3>
        <label htmlFor="refund-id">{t('ops.refundId')}</label>
        <input id="refund-id" required value={refundId} onChange={(e) => setRefundId(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} /> {t('ops.full')}
        </label>
        {!full && (
          <>
            <label htmlFor="refund-amount">{t('ops.refundAmount')}</label>
            <input id="refund-amount" inputMode="decimal" value={amount} aria-invalid={amount !== '' && !amountOk} onChange={(e) => setAmount(e.target.value.trim())} />
          </>
        )}
        <button type="submit" disabled={!amountOk}>
          {t('ops.refund')}
        </button>
      </form>
      <form onSubmit={ask('finding')} aria-labelledby="finding-title">
        <h3 id="finding-title">{t('ops.finding')}</h3>
        <label htmlFor="finding-id">{t('ops.findingId')}</label>
        <input id="finding-id" required value={findingId} onChange={(e) => setFindingId(e.target.value)} />
        <label htmlFor="finding-reason">{t('ops.findingReason')}</label>
        <select id="finding-reason" value={reason} onChange={(e) => setReason(e.target.value as 'same_person' | 'cheating')}>
          <option value="same_person">{t('finding.same_person')}</option>
          <option value="cheating">{t('finding.cheating')}</option>
        </select>
        <label htmlFor="finding-note">{t('ops.note')}</label>
        <input id="finding-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        <button type="submit">{t('ops.finding')}</button>
      </form>
      {refund.error ? <ErrorNote error={refund.error} /> : null}
      {finding.error ? <ErrorNote error={finding.error} /> : null}
      <p role="status" aria-live="polite">
        {answer}
      </p>
      <ConfirmDialog open={!!pending} title={t('ops.actions')} text={pending?.text ?? ''} onConfirm={() => void run()} onCancel={() => setPending(null)} />
    </section>
  );
}
