import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from './api/types';
import { ME_QUERY_KEY, signOut } from './auth/session';
import { LanguageToggle } from './components/LanguageToggle';
import { Logo } from './components/Logo';
import { useLabels } from './i18n/labels';
import { mayUse, NAV_SECTIONS, PAGES } from './pages/registry';
import { Link, matches, navigate, usePathname } from './router/router';

/** The frame of every signed-in page: top bar, the menu of what this role may use, the page. */
export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } catch {
      // the session is gone either way once the cookie is cleared
    }
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
    queryClient.setQueryData(ME_QUERY_KEY, null);
    navigate('/', { replace: true });
  };

  const sections = NAV_SECTIONS.map((section) => ({
    section,
    pages: PAGES.filter((page) => page.section === section && !page.hidden && mayUse(page, me.role)),
  })).filter((entry) => entry.pages.length > 0);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <Logo />
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        <div className="topbar-company">
          <span className="topbar-company-name" translate="no">
            {me.company.name}
          </span>
          {me.group ? (
            <span className="topbar-group" translate="no">
              {me.group.name}
            </span>
          ) : null}
        </div>
        <div className="topbar-end">
          <LanguageToggle />
          <div className="account" aria-label={t('shell.account')} role="group">
            <span className="account-name" translate="no">
              {me.user?.name ?? me.company.slug}
            </span>
            <span className="badge badge-role">{labels.role(me.role)}</span>
          </div>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => void onSignOut()}
            disabled={signingOut}
          >
            {signingOut ? t('shell.signingOut') : t('shell.signOut')}
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label={t('shell.navLabel')}>
          {sections.map(({ section, pages }) => (
            <div key={section} className="nav-section">
              <h2 className="nav-heading" id={`nav-${section}`}>
                {t(`nav.sections.${section}`)}
              </h2>
              <ul className="nav-list" aria-labelledby={`nav-${section}`}>
                {pages.map((page) => {
                  const current = matches(page.path, pathname);
                  return (
                    <li key={page.path}>
                      <Link
                        to={page.path}
                        className={`nav-link${current ? ' nav-link-current' : ''}`}
                        aria-current={current ? 'page' : undefined}
                      >
                        {t(page.label)}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
