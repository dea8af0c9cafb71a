import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageToggle } from '../components/LanguageToggle';
import { Logo } from '../components/Logo';
import { navigate, useSearch } from '../router/router';
import { fetchMe, ME_QUERY_KEY } from './session';
import { SignInForm } from './SignInForm';

/** The stable codes the SSO callback sends back in `?sso_error=` (src/api/v1/sso). */
const SSO_ERRORS = [
  'sso_state_invalid',
  'sso_config_changed',
  'sso_idp_error',
  'sso_idp_unreachable',
  'sso_invalid_client',
  'sso_token_exchange_failed',
  'sso_id_token_invalid',
  'sso_email_missing',
  'sso_email_unverified',
  'sso_identity_conflict',
  'sso_user_disabled',
] as const;
type SsoError = (typeof SSO_ERRORS)[number];
const isKnownSsoError = (code: string): code is SsoError => (SSO_ERRORS as readonly string[]).includes(code);

function SsoErrorAlert({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{t('signIn.ssoError.title')}</p>
      <p>{isKnownSsoError(code) ? t(`signIn.ssoError.${code}`) : t('signIn.ssoError.generic')}</p>
      {isKnownSsoError(code) ? null : (
        <p className="alert-detail">
          {t('signIn.ssoError.detail')} <span translate="no">{code}</span>
        </p>
      )}
    </div>
  );
}

/** Shown at any address while nobody is signed in; after sign-in the address's page appears. */
export function SignInPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const search = useSearch();
  const ssoError = new URLSearchParams(search).get('sso_error');

  useEffect(() => {
    document.title = t('app.titleSuffix', { page: t('signIn.title') });
  }, [t]);

  const onSignedIn = async () => {
    const me = await fetchMe();
    if (ssoError !== null) navigate(window.location.pathname, { replace: true });
    queryClient.setQueryData(ME_QUERY_KEY, me);
  };

  return (
    <div className="signin-screen">
      <div className="signin-topbar">
        <LanguageToggle />
      </div>
      <main className="signin-main">
        <div className="signin-card">
          <div className="signin-brand">
            <Logo size={40} />
            <div>
              <p className="signin-product">{t('app.name')}</p>
              <p className="signin-tagline">{t('app.tagline')}</p>
            </div>
          </div>
          <h1 className="signin-heading">{t('signIn.heading')}</h1>
          <p className="signin-intro">{t('signIn.intro')}</p>
          {ssoError ? <SsoErrorAlert code={ssoError} /> : null}
          <SignInForm onSignedIn={onSignedIn} />
        </div>
      </main>
    </div>
  );
}
