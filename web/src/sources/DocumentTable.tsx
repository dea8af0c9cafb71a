import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DocumentRecord, DocumentStatus, Source } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading } from '../components/Page';
import { viewerHref } from '../documents/viewer-link';
import { useKnowledgeLabels } from '../i18n/knowledge-labels';
import { useLabels } from '../i18n/labels';
import { Link } from '../router/router';
import { DocumentReason } from './DocumentReason';
import { SOURCES_KEY } from './SourceTable';

const PAGE_SIZE = 50;
const STATUSES: readonly DocumentStatus[] = ['indexed', 'failed', 'skipped'];

/** The company's documents, filtered by status, source and title; failed ones say why; delete one by one. */
export function DocumentTable({ report }: { report: (message: string | null, error?: unknown) => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [sourceId, setSourceId] = useState('');
  const [title, setTitle] = useState('');
  const [offset, setOffset] = useState(0);
  const sources = useQuery({
    queryKey: SOURCES_KEY,
    queryFn: () => api<{ sources: Source[] }>('GET', '/api/v1/sources').then((a) => a.sources),
  });
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (status) params.set('status', status);
  if (sourceId) params.set('sourceId', sourceId);
  if (title.trim()) params.set('q', title.trim());
  const documents = useQuery({
    queryKey: ['documents', params.toString()],
    queryFn: () => api<{ documents: DocumentRecord[]; total: number }>('GET', `/api/v1/documents?${params}`),
    placeholderData: keepPreviousData,
  });
  const sourceName = (id: string) => sources.data?.find((s) => s.id === id)?.name ?? '';
  const total = documents.data?.total ?? 0;

  return (
    <section className="card" aria-labelledby="documents-title">
      <div className="card-header">
        <h2 id="documents-title" className="card-title">
          {t('documents.title')}
        </h2>
        {documents.data ? <p className="card-meta">{t('documents.count', { count: total })}</p> : null}
      </div>
      <div className="form-row">
        <Field label={t('documents.filterStatus')}>
          {(control) => (
            <select
              {...control}
              className="input"
              value={status}
              onChange={(event) => {
                setStatus(event.target.value);
                setOffset(0);
              }}
            >
              <option value="">{t('documents.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`documents.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('documents.filterSource')}>
          {(control) => (
            <select
              {...control}
              className="input"
              value={sourceId}
              onChange={(event) => {
                setSourceId(event.target.value);
                setOffset(0);
              }}
            >
              <option value="">{t('documents.all')}</option>
              {(sources.data ?? []).map((source) => (
                <option key={source.id} value={source.id} translate="no">
                  {source.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('documents.filterTitle')} className="field-grow">
          {(control) => (
            <input
              {...control}
              className="input"
              type="search"
              maxLength={200}
              value={title}
              onChange={(event) => {
                setTitle(event.target.value);
                setOffset(0);
              }}
            />
          )}
        </Field>
      </div>
      {documents.isPending ? <Loading /> : null}
      <ErrorMessage error={documents.error} />
      {documents.data?.documents.length === 0 ? <p className="empty">{t('documents.empty')}</p> : null}
      {documents.data && documents.data.documents.length > 0 ? (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('documents.columns.title')}</th>
                  <th scope="col">{t('documents.columns.source')}</th>
                  <th scope="col">{t('documents.columns.type')}</th>
                  <th scope="col">{t('documents.columns.status')}</th>
                  <th scope="col">{t('documents.columns.updated')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {documents.data.documents.map((document) => (
                  <DocumentRow
                    key={document.id}
                    document={document}
                    sourceName={sourceName(document.sourceId)}
                    report={report}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {total > PAGE_SIZE ? (
            <div className="pager">
              <button
                type="button"
                className="btn btn-small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
              >
                {t('documents.previous')}
              </button>
              <span>
                {t('documents.range', {
                  from: offset + 1,
                  to: Math.min(total, offset + PAGE_SIZE),
                  total,
                })}
              </span>
              <button
                type="button"
                className="btn btn-small"
                disabled={offset + PAGE_SIZE >= total}
                onClick={() => setOffset(offset + PAGE_SIZE)}
              >
                {t('documents.next')}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function DocumentRow({
  document,
  sourceName,
  report,
}: {
  document: DocumentRecord;
  sourceName: string;
  report: (message: string | null, error?: unknown) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const knowledge = useKnowledgeLabels();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/api/v1/documents/${document.id}`),
    onSuccess: () => {
      setConfirm(false);
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      void queryClient.invalidateQueries({ queryKey: SOURCES_KEY });
      report(t('documents.deleted', { title: document.title }));
    },
  });
  return (
    <tr className={document.status === 'indexed' ? undefined : 'row-muted'}>
      <th scope="row">
        {document.status === 'indexed' ? (
          <Link to={viewerHref(document.id, {}, '/sources')} translate="no">
            {document.title}
          </Link>
        ) : (
          <span translate="no">{document.title}</span>
        )}
      </th>
      <td translate="no">{sourceName}</td>
      <td>{knowledge.docType(document.mimeType)}</td>
      <td>
        <span
          className={`badge ${document.status === 'failed' ? 'badge-danger' : document.status === 'skipped' ? 'badge-muted' : 'badge-ok'}`}
        >
          {t(`documents.status.${document.status}`)}
        </span>
        {document.status !== 'indexed' ? (
          <DocumentReason code={document.errorCode} message={document.errorMessage} />
        ) : null}
      </td>
      <td className="nowrap">{labels.dateTime(document.updatedAt)}</td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-small btn-danger-outline"
          aria-label={t('documents.deleteLabel', { title: document.title })}
          onClick={() => setConfirm(true)}
        >
          {t('documents.delete')}
        </button>
        {confirm ? (
          <ConfirmDialog
            title={t('documents.deleteTitle')}
            body={t('documents.deleteBody', { title: document.title })}
            confirmLabel={t('documents.deleteConfirm')}
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
