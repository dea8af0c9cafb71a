import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, setUnauthenticatedHandler } from '../api/client';
import type { Me } from '../api/types';
import { Dialog } from '../components/Dialog';
import { fetchMe, ME_QUERY_KEY } from './session';
import { SignInForm } from './SignInForm';

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * When the session ends under an open page (expiry, sign-out elsewhere), any call's 401 opens this
 * dialog over the page; the page stays mounted, so nothing typed is lost, and the call is retried
 * after signing in. Signing in as someone else starts the console afresh.
 */
export function ReauthDialog({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<Pending | null>(null);

  useEffect(() => {
    setUnauthenticatedHandler(() => new Promise<void>((resolve, reject) => setPending({ resolve, reject })));
    return () => setUnauthenticatedHandler(null);
  }, []);

  if (!pending) return null;

  const onSignedIn = async () => {
    const fresh = await fetchMe();
    if (!fresh || fresh.id !== me.id) {
      window.location.assign('/');
      return;
    }
    queryClient.setQueryData(ME_QUERY_KEY, fresh);
    setPending(null);
    pending.resolve();
  };

  const onCancel = () => {
    setPending(null);
    pending.reject(new ApiError(401, 'session_expired', ''));
  };

  return (
    <Dialog title={t('reauth.title')} onClose={onCancel} className="dialog-narrow">
      <p className="dialog-body">{t('reauth.intro')}</p>
      <SignInForm
        initialCompany={me.company.slug}
        initialEmail={me.user?.email ?? ''}
        onSignedIn={onSignedIn}
      />
      <div className="dialog-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
