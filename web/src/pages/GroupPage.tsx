import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { REGIONS, SECTORS, SLUG_PATTERN, type Company } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading, Page, StatusMessage } from '../components/Page';
import { UsageSection } from '../group/UsageSection';
import { useLabels } from '../i18n/labels';
import { PresetFacts, useSectorPresets } from '../settings/PresetFacts';

const COMPANIES_KEY = ['companies'] as const;

/**
 * The group admin's view of the group: its companies (names and settings only, never their
 * content), adding a company, renaming one.
 */
export default function GroupPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [notice, setNotice] = useState<string | null>(null);
  const companies = useQuery({
    queryKey: COMPANIES_KEY,
    queryFn: () =>
      api<{ companies: Company[] }>('GET', '/api/v1/companies').then((answer) => answer.companies),
  });

  return (
    <Page title={t('group.title')} description={t('group.description')}>
      {me.group ? (
        <p className="page-context">
          {t('group.groupName')} <strong translate="no">{me.group.name}</strong>{' '}
          <code translate="no">{me.group.slug}</code>
        </p>
      ) : null}
      <StatusMessage message={notice} onDismiss={() => setNotice(null)} />
      <section className="card" aria-labelledby="companies-title">
        <div className="card-header">
          <h2 id="companies-title" className="card-title">
            {t('group.list.title')}
          </h2>
          {companies.data ? (
            <p className="card-meta">{t('group.list.count', { count: companies.data.length })}</p>
          ) : null}
        </div>
        {companies.isPending ? <Loading /> : null}
        <ErrorMessage error={companies.error} />
        {companies.data && companies.data.length === 0 ? (
          <p className="empty">{t('group.list.empty')}</p>
        ) : null}
        {companies.data && companies.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table" aria-labelledby="companies-title">
              <thead>
                <tr>
                  <th scope="col">{t('group.columns.name')}</th>
                  <th scope="col">{t('group.columns.slug')}</th>
                  <th scope="col">{t('group.columns.region')}</th>
                  <th scope="col">{t('group.columns.sector')}</th>
                  <th scope="col">{t('group.columns.created')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {companies.data.map((company) => (
                  <CompanyRow
                    key={company.id}
                    company={company}
                    own={company.id === me.company.id}
                    onRenamed={setNotice}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {me.group ? <UsageSection groupId={me.group.id} /> : null}
      <CreateCompany onCreated={setNotice} />
    </Page>
  );
}

function CompanyRow({
  company,
  own,
  onRenamed,
}: {
  company: Company;
  own: boolean;
  onRenamed: (message: string) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(company.name);

  const rename = useMutation({
    mutationFn: () => api<Company>('PATCH', `/api/v1/companies/${company.id}`, { name: name.trim() }),
    onSuccess: (updated) => {
      queryClient.setQueryData<Company[]>(COMPANIES_KEY, (list) =>
        list?.map((c) => (c.id === updated.id ? updated : c)),
      );
      setEditing(false);
      onRenamed(t('group.renamedNotice', { name: updated.name }));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate();
  };

  return (
    <tr>
      <th scope="row">
        {editing ? (
          <form className="inline-form" onSubmit={submit}>
            <input
              className="input input-small"
              aria-label={t('group.renameLabel', { name: company.name })}
              required
              maxLength={200}
              value={name}
              autoFocus
              onChange={(event) => setName(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  setEditing(false);
                  setName(company.name);
                }
              }}
            />
            <button type="submit" className="btn btn-small btn-primary" disabled={rename.isPending}>
              {rename.isPending ? t('common.saving') : t('common.save')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setEditing(false);
                setName(company.name);
                rename.reset();
              }}
            >
              {t('common.cancel')}
            </button>
          </form>
        ) : (
          <>
            <span id={nameId} translate="no">
              {company.name}
            </span>
            {own ? <span className="tag">{t('group.thisCompany')}</span> : null}
          </>
        )}
        {editing ? <ErrorMessage error={rename.error} /> : null}
      </th>
      <td>
        <code translate="no">{company.slug}</code>
      </td>
      <td>{labels.region(company.region)}</td>
      <td>{labels.sector(company.sector)}</td>
      <td className="nowrap">{labels.dateTime(company.createdAt)}</td>
      <td className="actions">
        {editing ? null : (
          <button
            type="button"
            className="btn btn-small"
            aria-describedby={nameId}
            onClick={() => setEditing(true)}
          >
            {t('group.rename')}
          </button>
        )}
      </td>
    </tr>
  );
}

function CreateCompany({ onCreated }: { onCreated: (message: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [region, setRegion] = useState<string>('jp-east');
  const [sector, setSector] = useState<string>('general');
  const presets = useSectorPresets();
  const preset = presets.data?.find((p) => p.sector === sector)?.rules;

  const mutation = useMutation({
    mutationFn: () =>
      api<Company>('POST', '/api/v1/companies', { slug: slug.trim(), name: name.trim(), region, sector }),
    onSuccess: (company) => {
      queryClient.setQueryData<Company[]>(COMPANIES_KEY, (list) => (list ? [...list, company] : list));
      void queryClient.invalidateQueries({ queryKey: COMPANIES_KEY });
      setSlug('');
      setName('');
      setRegion('jp-east');
      setSector('general');
      onCreated(t('group.createdNotice', { name: company.name }));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <section className="card" aria-labelledby="company-create-title">
      <h2 id="company-create-title" className="card-title">
        {t('group.create.title')}
      </h2>
      <form className="form-grid" onSubmit={submit} aria-labelledby="company-create-title">
        <Field label={t('group.create.name')}>
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
        <Field label={t('group.create.slug')} hint={t('group.create.slugHint')}>
          {(control) => (
            <input
              {...control}
              className="input"
              name="slug"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              pattern={SLUG_PATTERN}
              maxLength={40}
              value={slug}
              onChange={(event) => setSlug(event.target.value.toLowerCase())}
            />
          )}
        </Field>
        <Field label={t('group.create.region')}>
          {(control) => (
            <select
              {...control}
              className="input"
              name="region"
              value={region}
              onChange={(event) => setRegion(event.target.value)}
            >
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {labels.region(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('group.create.sector')} hint={t('group.create.sectorHint')}>
          {(control) => (
            <select
              {...control}
              className="input"
              name="sector"
              value={sector}
              onChange={(event) => setSector(event.target.value)}
            >
              {SECTORS.map((s) => (
                <option key={s} value={s}>
                  {labels.sector(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {preset ? (
          <div className="form-grid-wide" aria-live="polite">
            <p className="field-label">
              {t('group.create.presetImplies', { sector: labels.sector(sector) })}
            </p>
            <PresetFacts preset={preset} testId="create-preset" />
          </div>
        ) : null}
        <div className="form-grid-submit">
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {mutation.isPending ? t('group.create.submitting') : t('group.create.submit')}
          </button>
        </div>
      </form>
      <ErrorMessage error={mutation.error} />
    </section>
  );
}
