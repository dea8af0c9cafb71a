import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { isSlug, SLUG_PATTERN } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { rememberCompany, rememberedCompany, signIn } from './session';

interface SignInFormProps {
  initialCompany?: string;
  initialEmail?: string;
  /** Called once the session cookie is set. */
  onSignedIn: () => Promise<void>;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Does the company offer single sign-on? Any answer but `{enabled: true}` (404 included) means no. */
function useSsoEnabled(company: string): boolean {
  const slug = useDebounced(company.trim(), 300);
  const query = useQuery({
    queryKey: ['sso', slug],
    enabled: isSlug(slug),
    staleTime: 60_000,
    retry: false,
    queryFn: async ({ signal }) => {
      try {
        const answer = await api<{ enabled?: boolean }>(
          'GET',
          `/api/v1/auth/sso/${encodeURIComponent(slug)}`,
          undefined,
          {
            reauthenticate: false,
            signal,
          },
        );
        return answer.enabled === true;
      } catch (error) {
        if (error instanceof ApiError) return false;
        throw error;
      }
    },
  });
  return query.data === true && slug === company.trim();
}

/** Company, e-mail and password (and SSO where the company has it): used by the sign-in page and dialog. */
export function SignInForm({ initialCompany, initialEmail, onSignedIn }: SignInFormProps) {
  const { t } = useTranslation();
  const [company, setCompany] = useState(() => initialCompany ?? rememberedCompany());
  const [email, setEmail] = useState(initialEmail ?? '');
  const [password, setPassword] = useState('');
  const sso = useSsoEnabled(company);

  const mutation = useMutation({
    mutationFn: async () => {
      const slug = company.trim();
      await signIn({ company: slug, email: email.trim(), password });
      rememberCompany(slug);
      await onSignedIn();
    },
    onError: () => setPassword(''),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };

  const error =
    mutation.error instanceof ApiError && mutation.error.status === 401
      ? t('signIn.invalidCredentials')
      : mutation.error;

  return (
    <form className="signin-form" onSubmit={submit}>
      {typeof error === 'string' ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : (
        <ErrorMessage error={error} />
      )}
      <Field label={t('signIn.company')} hint={t('signIn.companyHint')}>
        {(control) => (
          <input
            {...control}
            className="input"
            name="company"
            autoComplete="organization"
            autoCapitalize="none"
            spellCheck={false}
            required
            pattern={SLUG_PATTERN}
            title={t('signIn.companyFormat')}
            value={company}
            autoFocus={!initialCompany && !company}
            onChange={(event) => setCompany(event.target.value.toLowerCase())}
          />
        )}
      </Field>
      <Field label={t('signIn.email')}>
        {(control) => (
          <input
            {...control}
            className="input"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            autoFocus={!initialEmail && Boolean(company)}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('signIn.password')}>
        {(control) => (
          <input
            {...control}
            className="input"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            autoFocus={Boolean(initialEmail)}
            data-autofocus={initialEmail ? '' : undefined}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="btn btn-primary btn-block" disabled={mutation.isPending}>
        {mutation.isPending ? t('signIn.submitting') : t('signIn.submit')}
      </button>
      {sso ? (
        <div className="sso">
          <p className="sso-divider">
            <span>{t('signIn.or')}</span>
          </p>
          <p className="field-hint">{t('signIn.ssoHint')}</p>
          <button
            type="button"
            className="btn btn-block"
            onClick={() => {
              rememberCompany(company.trim());
              window.location.assign(`/api/v1/auth/sso/${encodeURIComponent(company.trim())}/start`);
            }}
          >
            {t('signIn.sso')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
