import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { COMPANY_ROLES, type ApiKey } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { Loading, Page, StatusMessage } from '../components/Page';
import { useLabels } from '../i18n/labels';

const KEYS_KEY = ['api-keys'] as const;

/** API keys of the signed-in company: create (the key is shown once), list, revoke. */
export default function ApiKeysPage() {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<string | null>(null);
  const keys = useQuery({
    queryKey: KEYS_KEY,
    queryFn: () => api<{ apiKeys: ApiKey[] }>('GET', '/api/v1/api-keys').then((answer) => answer.apiKeys),
  });

  return (
    <Page title={t('apiKeys.title')} description={t('apiKeys.description')}>
      <StatusMessage message={notice} onDismiss={() => setNotice(null)} />
      <CreateKey onCreated={() => setNotice(null)} />
      <section className="card" aria-labelledby="keys-list-title">
        <div className="card-header">
          <h2 id="keys-list-title" className="card-title">
            {t('apiKeys.list.title')}
          </h2>
          {keys.data ? (
            <p className="card-meta">{t('apiKeys.list.count', { count: keys.data.length })}</p>
          ) : null}
        </div>
        {keys.isPending ? <Loading /> : null}
        <ErrorMessage error={keys.error} />
        {keys.data && keys.data.length === 0 ? <p className="empty">{t('apiKeys.list.empty')}</p> : null}
        {keys.data && keys.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('apiKeys.columns.name')}</th>
                  <th scope="col">{t('apiKeys.columns.prefix')}</th>
                  <th scope="col">{t('apiKeys.columns.role')}</th>
                  <th scope="col">{t('apiKeys.columns.created')}</th>
                  <th scope="col">{t('apiKeys.columns.lastUsed')}</th>
                  <th scope="col">{t('apiKeys.columns.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <KeyRow key={key.id} apiKey={key} onRevoked={setNotice} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </Page>
  );
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState('member');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  const mutation = useMutation({
    mutationFn: () =>
      api<{ apiKey: ApiKey; key: string }>('POST', '/api/v1/api-keys', { name: name.trim(), role }),
    onSuccess: (answer) => {
      queryClient.setQueryData<ApiKey[]>(KEYS_KEY, (list) => (list ? [answer.apiKey, ...list] : list));
      void queryClient.invalidateQueries({ queryKey: KEYS_KEY });
      setCreated({ name: answer.apiKey.name, key: answer.key });
      setName('');
      setRole('member');
      onCreated();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    mutation.mutate();
  };

  return (
    <section className="card" aria-labelledby="keys-create-title">
      <h2 id="keys-create-title" className="card-title">
        {t('apiKeys.create.title')}
      </h2>
      <form className="form-row" onSubmit={submit} aria-labelledby="keys-create-title">
        <Field label={t('apiKeys.create.name')} hint={t('apiKeys.create.nameHint')} className="field-grow">
          {(control) => (
            <input
              {...control}
              className="input"
              name="name"
              autoComplete="off"
              required
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('apiKeys.create.role')}>
          {(control) => (
            <select
              {...control}
              className="input"
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value)}
            >
              {COMPANY_ROLES.map((r) => (
                <option key={r} value={r}>
                  {labels.role(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-row-submit">
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {mutation.isPending ? t('apiKeys.create.submitting') : t('apiKeys.create.submit')}
          </button>
        </div>
      </form>
      <ErrorMessage error={mutation.error} />
      {created ? (
        <OneTimeSecret
          title={t('apiKeys.created.title', { name: created.name })}
          label={t('apiKeys.created.key')}
          value={created.key}
          warning={t('apiKeys.created.warning')}
          onDismiss={() => setCreated(null)}
        />
      ) : null}
    </section>
  );
}

function KeyRow({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: (message: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [confirming, setConfirming] = useState(false);

  const revoke = useMutation({
    mutationFn: () => api<ApiKey>('DELETE', `/api/v1/api-keys/${apiKey.id}`),
    onSuccess: (revoked) => {
      setConfirming(false);
      queryClient.setQueryData<ApiKey[]>(KEYS_KEY, (list) =>
        list?.map((k) => (k.id === revoked.id ? revoked : k)),
      );
      onRevoked(t('apiKeys.revokedNotice', { name: revoked.name }));
    },
  });

  return (
    <tr className={apiKey.revokedAt ? 'row-muted' : undefined}>
      <th scope="row">
        <span id={nameId} translate="no">
          {apiKey.name}
        </span>
      </th>
      <td>
        <code translate="no">{apiKey.prefix}…</code>
      </td>
      <td>{labels.role(apiKey.role)}</td>
      <td className="nowrap">{labels.dateTime(apiKey.createdAt)}</td>
      <td className="nowrap">{labels.dateTime(apiKey.lastUsedAt)}</td>
      <td>
        {apiKey.revokedAt ? (
          <span className="badge badge-muted">
            {t('apiKeys.status.revoked', { date: labels.dateTime(apiKey.revokedAt) })}
          </span>
        ) : (
          <span className="badge badge-ok">{t('apiKeys.status.active')}</span>
        )}
      </td>
      <td className="actions">
        {apiKey.revokedAt ? null : (
          <button
            type="button"
            className="btn btn-small btn-danger-outline"
            aria-describedby={nameId}
            onClick={() => setConfirming(true)}
          >
            {t('apiKeys.revoke')}
          </button>
        )}
        {confirming ? (
          <ConfirmDialog
            title={t('apiKeys.revokeTitle')}
            body={t('apiKeys.revokeBody', { name: apiKey.name, prefix: apiKey.prefix })}
            confirmLabel={t('apiKeys.revokeConfirm')}
            pending={revoke.isPending}
            error={revoke.error}
            onConfirm={() => revoke.mutate()}
            onClose={() => {
              setConfirming(false);
              revoke.reset();
            }}
          />
        ) : null}
      </td>
    </tr>
  );
}
