import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Job, Source } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Page';
import { useLabels } from '../i18n/labels';
import { SyncProgress } from './SyncProgress';

export const SOURCES_KEY = ['sources'] as const;
const JOBS_STORAGE = 'kura.syncJobs';

/** Sync jobs being followed, by source: kept for the tab, so a reload keeps following them. */
function storedJobs(): Record<string, string> {
  try {
    return JSON.parse(window.sessionStorage.getItem(JOBS_STORAGE) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function SourceTable({ report }: { report: (message: string | null, error?: unknown) => void }) {
  const { t } = useTranslation();
  const [jobs, setJobs] = useState<Record<string, string>>(storedJobs);
  const sources = useQuery({
    queryKey: SOURCES_KEY,
    queryFn: () => api<{ sources: Source[] }>('GET', '/api/v1/sources').then((a) => a.sources),
    // While a source syncs (started elsewhere too), its status is worth refreshing.
    refetchInterval: (query) => (query.state.data?.some((s) => s.status === 'syncing') ? 3000 : false),
  });
  const follow = (sourceId: string, jobId: string | null) => {
    setJobs((current) => {
      const next = { ...current };
      if (jobId) next[sourceId] = jobId;
      else delete next[sourceId];
      try {
        window.sessionStorage.setItem(JOBS_STORAGE, JSON.stringify(next));
      } catch {
        // private mode
      }
      return next;
    });
  };

  return (
    <section className="card" aria-labelledby="sources-list-title">
      <div className="card-header">
        <h2 id="sources-list-title" className="card-title">
          {t('sources.list.title')}
        </h2>
        {sources.data ? (
          <p className="card-meta">{t('sources.list.count', { count: sources.data.length })}</p>
        ) : null}
      </div>
      {sources.isPending ? <Loading /> : null}
      <ErrorMessage error={sources.error} />
      {sources.data?.length === 0 ? <p className="empty">{t('sources.list.empty')}</p> : null}
      {sources.data && sources.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('sources.columns.name')}</th>
                <th scope="col">{t('sources.columns.kind')}</th>
                <th scope="col">{t('sources.columns.status')}</th>
                <th scope="col">{t('sources.columns.documents')}</th>
                <th scope="col">{t('sources.columns.lastSync')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((source) => (
                <SourceRow
                  key={source.id}
                  source={source}
                  jobId={jobs[source.id] ?? null}
                  follow={(jobId) => follow(source.id, jobId)}
                  report={report}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function SourceRow({
  source,
  jobId,
  follow,
  report,
}: {
  source: Source;
  jobId: string | null;
  follow: (jobId: string | null) => void;
  report: (message: string | null, error?: unknown) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const kind = (['upload', 'folder', 'postgres', 'mysql', 'sqlite'] as const).find((k) => k === source.kind);
  const count = source.documents.indexed + source.documents.failed + source.documents.skipped;

  const sync = useMutation({
    mutationFn: () => api<Job>('POST', `/api/v1/sources/${source.id}/sync`),
    onSuccess: (job) => {
      report(null);
      follow(job.id);
    },
    onError: (error) => report(null, error),
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/api/v1/sources/${source.id}`),
    onSuccess: () => {
      setConfirm(false);
      follow(null);
      queryClient.setQueryData<Source[]>(SOURCES_KEY, (list) => list?.filter((s) => s.id !== source.id));
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      report(t('sources.removed', { name: source.name }));
    },
  });

  return (
    <tr>
      <th scope="row">
        <span translate="no">{source.name}</span>
        {typeof source.settings.path === 'string' && source.settings.path !== source.name ? (
          <span className="cell-detail" translate="no">
            {source.settings.path}
          </span>
        ) : null}
        {typeof source.settings.url === 'string' && source.settings.url !== source.name ? (
          <span className="cell-detail" translate="no">
            {source.settings.url}
          </span>
        ) : null}
      </th>
      <td className="nowrap">
        {kind ? t(`sources.kinds.${kind}`) : <span translate="no">{source.kind}</span>}
      </td>
      <td className="cell-status">
        <span
          className={`badge ${source.status === 'failed' ? 'badge-danger' : source.status === 'syncing' ? 'badge-role' : 'badge-muted'}`}
        >
          {t(`sources.status.${source.status}`)}
        </span>
        {jobId ? <SyncProgress jobId={jobId} sourceName={source.name} /> : null}
        {source.lastError ? (
          <span className="cell-detail">
            {t('sources.lastError')} <span translate="no">{source.lastError}</span>
          </span>
        ) : null}
      </td>
      <td className="nowrap">{t('sources.counts', source.documents)}</td>
      <td className="nowrap">{labels.dateTime(source.lastSyncAt)}</td>
      <td className="actions">
        {source.kind !== 'upload' ? (
          <button
            type="button"
            className="btn btn-small"
            aria-label={t('sources.syncLabel', { name: source.name })}
            disabled={sync.isPending || source.status === 'syncing'}
            onClick={() => sync.mutate()}
          >
            {t('sources.sync')}
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-small btn-danger-outline"
          aria-label={t('sources.removeLabel', { name: source.name })}
          onClick={() => setConfirm(true)}
        >
          {t('sources.remove')}
        </button>
        {confirm ? (
          <ConfirmDialog
            title={t('sources.removeTitle')}
            body={t('sources.removeBody', { name: source.name, count })}
            confirmLabel={t('sources.removeConfirm')}
            pending={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate()}
            onClose={() => {
              setConfirm(false);
              remove.reset();
            }}
          />
        ) : null}
      </td>
    </tr>
  );
}
