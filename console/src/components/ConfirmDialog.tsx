/** A confirmation step before anything that moves money or changes a record: a modal <dialog>
 * (focus stays inside, Escape cancels), the question, and Confirm / Cancel. */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmDialog({ open, title, text, onConfirm, onCancel }: { open: boolean; title: string; text: string; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      confirm.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} onCancel={onCancel} className="confirm">
      <h2 id={`${id}-t`}>{title}</h2>
      <p id={`${id}-d`}>{text}</p>
      <div className="buttons">
        <button type="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
        <button type="button" className="primary" onClick={onConfirm} ref={confirm}>
          {t('app.confirm')}
        </button>
      </div>
    </dialog>
  );
}
