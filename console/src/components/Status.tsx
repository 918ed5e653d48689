/** Loading and error states read the same everywhere: a polite live region, the API's reason. */
import { useTranslation } from 'react-i18next';
import { ApiFailure } from '../api/client';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite">
      {t('app.loading')}
    </p>
  );
}

/** The text of an error in the reader's language: a known refusal code by its own words, else the API's message. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return (err: unknown, vars: Record<string, string> = {}): string => {
    if (err instanceof ApiFailure) {
      if (i18n.exists(`refusal.${err.code}`)) return t(`refusal.${err.code}`, vars);
      if (err.status === 401) return t('error.unauthorized');
      if (err.status === 404) return t('error.not_found');
      return t('error.generic', { message: `${err.message} (${err.code})` });
    }
    return t('error.network');
  };
}

export function ErrorNote({ error, vars }: { error: unknown; vars?: Record<string, string> }) {
  const text = useErrorText();
  return (
    <p role="alert" className="error">
      {text(error, vars)}
    </p>
  );
}
