import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { User } from '../api/types';
import {
  NO_FILTER,
  PAGE_SIZE,
  filterParams,
  filterProblem,
  type AuditFilter,
  type AuditPage as AuditEvents,
} from '../audit/audit-query';
import { AuditFilterForm } from '../audit/AuditFilterForm';
import { AuditTable } from '../audit/AuditTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading, Page } from '../components/Page';

/** The company's audit log, oldest first: filters, pages by sequence number, export as CSV or JSON Lines. */
export default function AuditPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditFilter>(NO_FILTER);
  const [applied, setApplied] = useState<AuditFilter>(NO_FILTER);
  const [problem, setProblem] = useState<string | null>(null);
  // The cursors of the pages seen so far: the last is the current page's (0: the first page).
  const [cursors, setCursors] = useState<number[]>([0]);
  const after = cursors[cursors.length - 1]!;
  const events = useQuery({
    queryKey: ['audit', applied, after],
    queryFn: () => {
      const params = filterParams(applied);
      params.set('limit', String(PAGE_SIZE));
      if (after > 0) params.set('after', String(after));
      return api<AuditEvents>('GET', `/api/v1/audit?${params.toString()}`);
    },
    placeholderData: keepPreviousData,
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ users: User[] }>('GET', '/api/v1/users').then((a) => a.users),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wrong = filterProblem(draft);
    if (wrong) return setProblem(t(wrong === 'action' ? 'audit.actionInvalid' : 'audit.rangeInvalid'));
    setProblem(null);
    setApplied(draft);
    setCursors([0]);
  };
  const clear = () => {
    setDraft(NO_FILTER);
    setApplied(NO_FILTER);
    setProblem(null);
    setCursors([0]);
  };
  const exportQuery = (format: 'csv' | 'jsonl') => {
    const params = filterParams(applied);
    params.set('format', format);
    return `/api/v1/audit/export?${params.toString()}`;
  };
  const pageNumber = cursors.length;

  return (
    <Page title={t('audit.title')} description={t('audit.description')}>
      <AuditFilterForm
        draft={draft}
        setDraft={setDraft}
        onSubmit={submit}
        onClear={clear}
        problem={problem}
      />
      <section className="card" aria-labelledby="audit-events-title" aria-busy={events.isFetching}>
        <div className="card-header">
          <h2 id="audit-events-title" className="card-title">
            {t('audit.events')}
          </h2>
          <div className="audit-export">
            <a className="btn btn-small" href={exportQuery('csv')} download>
              {t('audit.exportCsv')}
            </a>
            <a className="btn btn-small" href={exportQuery('jsonl')} download>
              {t('audit.exportJsonl')}
            </a>
          </div>
        </div>
        {events.isPending ? <Loading /> : null}
        <ErrorMessage error={events.error} />
        {events.data ? <AuditTable events={events.data.events} users={users.data ?? []} /> : null}
        <nav className="pager" aria-label={t('audit.paging')}>
          <button
            type="button"
            className="btn btn-small"
            disabled={cursors.length === 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            {t('audit.previous')}
          </button>
          <span data-testid="audit-page">{t('audit.page', { page: pageNumber })}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={events.data?.nextAfter == null}
            onClick={() => events.data?.nextAfter != null && setCursors([...cursors, events.data.nextAfter])}
          >
            {t('audit.next')}
          </button>
        </nav>
      </section>
    </Page>
  );
}
