import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DATABASE_KINDS, type DatabaseKind, type Source } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';

/** A folder on the server (inside KURA_FOLDER_ROOTS: the API says so clearly when it is not). */
export function AddFolderForm({ onAdded }: { onAdded: (source: Source) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      api<Source>('POST', '/api/v1/sources', {
        kind: 'folder',
        ...(name.trim() ? { name: name.trim() } : {}),
        settings: { path: path.trim() },
      }),
    onSuccess: (source) => {
      void queryClient.invalidateQueries({ queryKey: ['sources'] });
      setPath('');
      setName('');
      onAdded(source);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <section className="card" aria-labelledby="add-folder-title">
      <h2 id="add-folder-title" className="card-title">
        {t('sources.folder.title')}
      </h2>
      <form className="form-stack" onSubmit={submit} aria-labelledby="add-folder-title">
        <Field label={t('sources.folder.path')} hint={t('sources.folder.pathHint')}>
          {(control) => (
            <input
              {...control}
              className="input"
              name="path"
              required
              spellCheck={false}
              placeholder="/srv/shared/…"
              value={path}
              onChange={(event) => setPath(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('sources.folder.name')} optional>
          {(control) => (
            <input
              {...control}
              className="input"
              name="name"
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <div>
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {mutation.isPending ? t('sources.folder.submitting') : t('sources.folder.submit')}
          </button>
        </div>
      </form>
      <ErrorMessage error={mutation.error} />
    </section>
  );
}

const tableNames = (text: string) =>
  text
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');

/** A PostgreSQL, MySQL/MariaDB or SQLite database and the tables to bring in; the API connects once to check. */
export function AddDatabaseForm({ onAdded }: { onAdded: (source: Source) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<DatabaseKind>('postgres');
  const [location, setLocation] = useState('');
  const [password, setPassword] = useState('');
  const [tables, setTables] = useState('');
  const [name, setName] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      api<Source>('POST', '/api/v1/sources', {
        kind,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(kind !== 'sqlite' && password ? { password } : {}),
        settings: {
          ...(kind === 'sqlite' ? { path: location.trim() } : { url: location.trim() }),
          tables: tableNames(tables).map((table) => ({ name: table })),
        },
      }),
    onSuccess: (source) => {
      void queryClient.invalidateQueries({ queryKey: ['sources'] });
      setLocation('');
      setPassword('');
      setTables('');
      setName('');
      onAdded(source);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <section className="card" aria-labelledby="add-database-title">
      <h2 id="add-database-title" className="card-title">
        {t('sources.database.title')}
      </h2>
      <form className="form-stack" onSubmit={submit} aria-labelledby="add-database-title">
        <Field label={t('sources.database.kind')}>
          {(control) => (
            <select
              {...control}
              className="input"
              name="kind"
              value={kind}
              onChange={(event) => setKind(event.target.value as DatabaseKind)}
            >
              {DATABASE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`sources.dbKinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={kind === 'sqlite' ? t('sources.database.path') : t('sources.database.url')}
          hint={kind === 'sqlite' ? t('sources.database.pathHint') : t('sources.database.urlHint')}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              name="location"
              required
              spellCheck={false}
              autoComplete="off"
              value={location}
              onChange={(event) => setLocation(event.target.value)}
            />
          )}
        </Field>
        {kind !== 'sqlite' ? (
          <Field label={t('sources.database.password')} hint={t('sources.database.passwordHint')} optional>
            {(control) => (
              <input
                {...control}
                className="input"
                name="password"
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Field label={t('sources.database.tables')} hint={t('sources.database.tablesHint')}>
          {(control) => (
            <textarea
              {...control}
              className="input"
              name="tables"
              rows={2}
              required
              spellCheck={false}
              value={tables}
              onChange={(event) => setTables(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('sources.database.name')} optional>
          {(control) => (
            <input
              {...control}
              className="input"
              name="name"
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <div>
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {mutation.isPending ? t('sources.database.submitting') : t('sources.database.submit')}
          </button>
        </div>
      </form>
      <ErrorMessage error={mutation.error} />
    </section>
  );
}
