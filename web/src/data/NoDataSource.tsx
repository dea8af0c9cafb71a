import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DATABASE_KINDS, type DataModel, type Source } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Link } from '../router/router';

const isDatabase = (source: Source) => (DATABASE_KINDS as readonly string[]).includes(source.kind);

/**
 * No semantic model yet, so no question can be answered. An admin learns the two steps (add a
 * database on the Sources page, let Kura propose the model) and can take the second here; others
 * learn whom to ask.
 */
export function NoDataSource() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.role !== 'admin')
    return (
      <div className="empty" data-testid="data-no-source">
        <p>{t('data.noSource.title')}</p>
        <p>{t('data.noSource.askAdmin')}</p>
      </div>
    );
  return (
    <div className="data-no-source" data-testid="data-no-source">
      <p>{t('data.noSource.title')}</p>
      <ol className="data-steps">
        <li>
          {t('data.noSource.step1')} <Link to="/sources">{t('data.noSource.sourcesLink')}</Link>
        </li>
        <li>{t('data.noSource.step2')}</li>
      </ol>
      <ProposeModelForm />
    </div>
  );
}

function ProposeModelForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => api<{ sources: Source[] }>('GET', '/api/v1/sources').then((a) => a.sources),
  });
  const databases = (sources.data ?? []).filter(isDatabase);
  const [chosen, setChosen] = useState('');
  const source = chosen || databases[0]?.name || '';
  const propose = useMutation({
    mutationFn: () => api<DataModel>('POST', '/api/v1/data/model/propose', { source }),
    onSuccess: (model) => {
      queryClient.setQueryData(['data-model'], model);
      // A question asked before the model existed answered 404: ask it again now.
      void queryClient.invalidateQueries({ queryKey: ['data-ask'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (source) propose.mutate();
  };
  if (sources.isPending) return null;
  if (databases.length === 0) return <p className="field-hint">{t('data.noSource.noDatabase')}</p>;
  return (
    <form className="form-row" onSubmit={submit} aria-label={t('data.noSource.proposeTitle')}>
      <Field label={t('data.noSource.database')}>
        {(control) => (
          <select
            {...control}
            className="input"
            value={source}
            onChange={(event) => setChosen(event.target.value)}
          >
            {databases.map((d) => (
              <option key={d.id} value={d.name} translate="no">
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-row-submit">
        <button type="submit" className="btn btn-primary" disabled={propose.isPending}>
          {propose.isPending ? t('data.noSource.proposing') : t('data.noSource.propose')}
        </button>
      </div>
      <p className="field-hint form-row-note">{t('data.noSource.proposeHint')}</p>
      <ErrorMessage error={propose.error} />
    </form>
  );
}
