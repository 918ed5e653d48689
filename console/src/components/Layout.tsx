/** The page frame of either console: a skip link, the header (title, navigation, language, sign
 * out) and the main landmark that takes focus when the page changes. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import { LANGUAGES, setLanguage } from '../i18n';
import { setToken, type Role } from '../session';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div role="group" aria-label={t('app.language')} className="language">
      {LANGUAGES.map((l) => (
        <button key={l.code} type="button" lang={l.code} aria-pressed={i18n.language === l.code} onClick={() => setLanguage(l.code)}>
          {l.label}
        </button>
      ))}
    </div>
  );
}

export function Layout({ role, nav, children }: { role: Role; nav: NavItem[]; children: ReactNode }) {
  const { t } = useTranslation();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [pathname]);
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <p className="brand">
          {t('app.title')} · {t(role === 'ops' ? 'app.ops' : 'app.ambassador')}
        </p>
        <LanguageSwitch />
        {nav.length > 0 && (
          <>
            <nav aria-label={t(role === 'ops' ? 'app.ops' : 'app.ambassador')}>
              <ul>
                {nav.map((n) => (
                  <li key={n.to}>
                    <NavLink to={n.to} end={n.end}>
                      {n.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <button type="button" className="signout" onClick={() => setToken(role, null)}>
              {t('app.signOut')}
            </button>
          </>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
