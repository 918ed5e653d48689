/** Sign in with a bearer token: the token is checked against the API (a 401 means it is not
 * accepted) before it is kept and the console opens. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { setToken, type Role } from '../session';

export function SignIn({ role, check }: { role: Role; check: (token: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [token, setValue] = useState('');
  const [rejected, setRejected] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await check(token.trim()).catch(() => false);
    setBusy(false);
    setRejected(!ok);
    if (ok) setToken(role, token.trim());
  };
  return (
    <section className="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">{t(role === 'ops' ? 'signIn.opsTitle' : 'signIn.ambassadorTitle')}</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">{t('signIn.token')}</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token} onChange={(e) => setValue(e.target.value)} aria-describedby="token-help" aria-invalid={rejected} />
        <p id="token-help" className="help">
          {t(role === 'ops' ? 'signIn.opsHelp' : 'signIn.ambassadorHelp')}
        </p>
        {rejected && (
          <p role="alert" className="error">
            {t('signIn.rejected')}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
      <p>
        <Link to={role === 'ops' ? '/' : '/ops'}>{t(`signIn.otherRole.${role}`)}</Link>
      </p>
    </section>
  );
}
