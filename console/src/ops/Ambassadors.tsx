/** An ambassador's level (R-AMB-3), changed from an instant after a confirmation step; the answer
 * shows the whole level history. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { opsApi } from '../api/client';
import { instant } from '../format';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNote } from '../components/Status';

const LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;

export function Ambassadors() {
  const { ambassadorId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [id, setId] = useState(ambassadorId);
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('L2');
  const [effectiveAt, setEffectiveAt] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const change = opsApi.query.useMutation('put', '/v1/ops/ambassadors/{id}/level');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (id.trim()) setConfirming(true);
  };
  const run = async () => {
    setConfirming(false);
    if (id !== ambassadorId) navigate(`/ops/ambassadors/${encodeURIComponent(id)}`, { replace: true });
    // datetime-local is read as China time (UTC+8), like every instant in the consoles.
    const at = effectiveAt ? `${effectiveAt}:00+08:00` : undefined;
    await change.mutateAsync({ params: { path: { id: id.trim() } }, body: { level, ...(at ? { effectiveAt: at } : {}), ...(reason ? { reason } : {}) } }).catch(() => undefined);
  };
  const history = change.data?.levelHistory;
  return (
    <>
      <h1>{t('ops.setLevel')}</h1>
      <form onSubmit={submit} className="card">
        <label htmlFor="amb-id">{t('ops.ambassadorId')}</label>
        <input id="amb-id" required value={id} onChange={(e) => setId(e.target.value)} />
        <label htmlFor="amb-level">{t('ops.level')}</label>
        <select id="amb-level" value={level} onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}>
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
        <label htmlFor="amb-at">{t('ops.effectiveAt')}</label>
        <input id="amb-at" type="datetime-local" value={effectiveAt} onChange={(e) => setEffectiveAt(e.target.value)} aria-describedby="amb-at-tz" />
        <p id="amb-at-tz" className="help">
          {t('app.tz')}
        </p>
        <label htmlFor="amb-reason">{t('ops.reason')}</label>
        <input id="amb-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" className="primary" disabled={change.isPending}>
          {t('ops.setLevel')}
        </button>
      </form>
      {change.error ? <ErrorNote error={change.error} /> : null}
      {history && (
        <table>
          <caption>{t('ops.levelHistory')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('home.level')}</th>
              <th scope="col">{t('ops.effectiveAt')}</th>
              <th scope="col">{t('ops.setBy')}</th>
              <th scope="col">{t('ops.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.effectiveAt}>
                <th scope="row">{h.level}</th>
                <td>{instant(h.effectiveAt)}</td>
                <td>{h.setBy}</td>
                <td>{h.reason ?? t('app.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog open={confirming} title={t('ops.setLevel')} text={t('ops.confirmLevel', { id, level })} onConfirm={() => void run()} onCancel={() => setConfirming(false)} />
    </>
  );
}
