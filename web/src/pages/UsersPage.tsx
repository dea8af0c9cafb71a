import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { COMPANY_ROLES, USER_ROLES, type Me, type User } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { Loading, Page, StatusMessage } from '../components/Page';
import { useLabels } from '../i18n/labels';

const USERS_KEY = ['users'] as const;

/** Only a group admin hands out (or touches) the group admin role, as the server insists. */
const assignableRoles = (me: Me): readonly string[] =>
  me.role === 'group_admin' ? USER_ROLES : COMPANY_ROLES;

/** Users of the signed-in company: add (password shown once), change role, disable, delete. */
export default function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [notice, setNotice] = useState<string | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const users = useQuery({
    queryKey: USERS_KEY,
    queryFn: () => api<{ users: User[] }>('GET', '/api/v1/users').then((answer) => answer.users),
  });

  const report = (message: string | null, error: unknown = null) => {
    setNotice(message);
    setRowError(error);
  };

  return (
    <Page title={t('users.title')} description={t('users.description')}>
      <StatusMessage message={notice} onDismiss={() => setNotice(null)} />
      <ErrorMessage error={rowError} />
      <CreateUser me={me} onCreated={() => report(null)} />
      <section className="card" aria-labelledby="users-list-title">
        <div className="card-header">
          <h2 id="users-list-title" className="card-title">
            {t('users.list.title')}
          </h2>
          {users.data ? (
            <p className="card-meta">{t('users.list.count', { count: users.data.length })}</p>
          ) : null}
        </div>
        {users.isPending ? <Loading /> : null}
        <ErrorMessage error={users.error} />
        {users.data && users.data.length === 0 ? <p className="empty">{t('users.list.empty')}</p> : null}
        {users.data && users.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('users.columns.name')}</th>
                  <th scope="col">{t('users.columns.email')}</th>
                  <th scope="col">{t('users.columns.role')}</th>
                  <th scope="col">{t('users.columns.status')}</th>
                  <th scope="col">{t('users.columns.lastLogin')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => (
                  <UserRow key={user.id} user={user} me={me} report={report} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </Page>
  );
}

function CreateUser({ me, onCreated }: { me: Me; onCreated: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('member');
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);

  const mutation = useMutation({
    mutationFn: () =>
      api<{ user: User; generatedPassword?: string }>('POST', '/api/v1/users', {
        email: email.trim(),
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
      }),
    onSuccess: (answer) => {
      queryClient.setQueryData<User[]>(USERS_KEY, (list) => (list ? [...list, answer.user] : list));
      void queryClient.invalidateQueries({ queryKey: USERS_KEY });
      setCreated(
        answer.generatedPassword ? { email: answer.user.email, password: answer.generatedPassword } : null,
      );
      setEmail('');
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
    <section className="card" aria-labelledby="users-create-title">
      <h2 id="users-create-title" className="card-title">
        {t('users.create.title')}
      </h2>
      <form className="form-row" onSubmit={submit} aria-labelledby="users-create-title">
        <Field label={t('users.create.email')} className="field-grow">
          {(control) => (
            <input
              {...control}
              className="input"
              name="email"
              type="email"
              autoComplete="off"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('users.create.name')} optional className="field-grow">
          {(control) => (
            <input
              {...control}
              className="input"
              name="name"
              autoComplete="off"
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('users.create.role')}>
          {(control) => (
            <select
              {...control}
              className="input"
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value)}
            >
              {assignableRoles(me).map((r) => (
                <option key={r} value={r}>
                  {labels.role(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-row-submit">
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {mutation.isPending ? t('users.create.submitting') : t('users.create.submit')}
          </button>
        </div>
      </form>
      <p className="field-hint">{t('users.create.passwordNote')}</p>
      <ErrorMessage error={mutation.error} />
      {created ? (
        <OneTimeSecret
          title={t('users.created.title', { email: created.email })}
          label={t('users.created.password')}
          value={created.password}
          warning={t('users.created.instructions')}
          onDismiss={() => setCreated(null)}
        />
      ) : null}
    </section>
  );
}

function UserRow({
  user,
  me,
  report,
}: {
  user: User;
  me: Me;
  report: (message: string | null, error?: unknown) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [role, setRole] = useState(user.role);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const self = user.id === me.id;
  const locked = user.role === 'group_admin' && me.role !== 'group_admin';
  const roles = assignableRoles(me).includes(user.role)
    ? assignableRoles(me)
    : [user.role, ...assignableRoles(me)];

  const update = useMutation({
    mutationFn: (patch: { role?: string; disabled?: boolean }) =>
      api<User>('PATCH', `/api/v1/users/${user.id}`, patch),
    onSuccess: (updated, patch) => {
      queryClient.setQueryData<User[]>(USERS_KEY, (list) =>
        list?.map((u) => (u.id === updated.id ? updated : u)),
      );
      setRole(updated.role);
      const message =
        patch.role !== undefined
          ? t('users.roleChanged', { name: updated.name })
          : updated.disabled
            ? t('users.disabledNotice', { name: updated.name })
            : t('users.enabledNotice', { name: updated.name });
      report(message);
    },
    onError: (error) => report(null, error),
  });

  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/api/v1/users/${user.id}`),
    onSuccess: () => {
      setConfirmDelete(false);
      queryClient.setQueryData<User[]>(USERS_KEY, (list) => list?.filter((u) => u.id !== user.id));
      report(t('users.deletedNotice', { name: user.name }));
    },
  });

  const changeRole = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ role });
  };

  return (
    <tr className={user.disabled ? 'row-muted' : undefined}>
      <th scope="row">
        <span id={nameId} translate="no">
          {user.name}
        </span>
        {self ? <span className="tag">{t('users.you')}</span> : null}
        {user.sso ? <span className="tag">{t('users.sso')}</span> : null}
      </th>
      <td translate="no">{user.email}</td>
      <td>
        {self || locked ? (
          <span title={locked ? t('users.locked') : undefined}>{labels.role(user.role)}</span>
        ) : (
          <form className="inline-form" onSubmit={changeRole}>
            <select
              className="input input-small"
              aria-label={t('users.roleFor', { name: user.name })}
              value={role}
              onChange={(event) => setRole(event.target.value)}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {labels.role(r)}
                </option>
              ))}
            </select>
            {role !== user.role ? (
              <button type="submit" className="btn btn-small btn-primary" disabled={update.isPending}>
                {t('users.changeRole')}
              </button>
            ) : null}
          </form>
        )}
      </td>
      <td>
        <span className={`badge ${user.disabled ? 'badge-muted' : 'badge-ok'}`}>
          {user.disabled ? t('users.status.disabled') : t('users.status.active')}
        </span>
      </td>
      <td className="nowrap">{labels.dateTime(user.lastLoginAt)}</td>
      <td className="actions">
        {self || locked ? null : (
          <>
            <button
              type="button"
              className="btn btn-small"
              aria-describedby={nameId}
              disabled={update.isPending}
              onClick={() => update.mutate({ disabled: !user.disabled })}
            >
              {user.disabled ? t('users.enable') : t('users.disable')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-danger-outline"
              aria-describedby={nameId}
              onClick={() => setConfirmDelete(true)}
            >
              {t('users.delete')}
            </button>
          </>
        )}
        {confirmDelete ? (
          <ConfirmDialog
            title={t('users.deleteTitle')}
            body={t('users.deleteBody', { name: user.name, email: user.email })}
            confirmLabel={t('users.deleteConfirm')}
            pending={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate()}
            onClose={() => {
              setConfirmDelete(false);
              remove.reset();
            }}
          />
        ) : null}
      </td>
    </tr>
  );
}
