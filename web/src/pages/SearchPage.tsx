import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DOCUMENT_TYPES, type SearchResponse, type SearchResult, type Source } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading, Page } from '../components/Page';
import { viewerHref } from '../documents/viewer-link';
import { useKnowledgeLabels } from '../i18n/knowledge-labels';
import { Link, navigate, useSearch } from '../router/router';

const LIMITS = [10, 20, 50] as const;

interface Criteria {
  q: string;
  source: string;
  type: string;
  limit: number;
}

/** The search lives in the address (/search?q=…&type=…), so back, reload and sharing keep it. */
function criteriaOf(search: string): Criteria {
  const params = new URLSearchParams(search);
  const limit = Number(params.get('limit'));
  return {
    q: params.get('q') ?? '',
    source: params.get('source') ?? '',
    type: params.get('type') ?? '',
    limit: (LIMITS as readonly number[]).includes(limit) ? limit : 10,
  };
}

function queryString(criteria: Criteria): string {
  const params = new URLSearchParams();
  if (criteria.q.trim()) params.set('q', criteria.q.trim());
  if (criteria.source) params.set('source', criteria.source);
  if (criteria.type) params.set('type', criteria.type);
  if (criteria.limit !== 10) params.set('limit', String(criteria.limit));
  return params.toString();
}

export default function SearchPage() {
  const { t } = useTranslation();
  const search = useSearch();
  const current = criteriaOf(search);
  const [draft, setDraft] = useState<Criteria>(current);
  useEffect(() => setDraft(criteriaOf(search)), [search]);

  const asked = current.q.trim() !== '';
  const results = useQuery({
    queryKey: ['search', current],
    queryFn: ({ signal }) =>
      api<SearchResponse>('GET', `/api/v1/search?${queryString(current)}`, undefined, { signal }),
    enabled: asked,
    staleTime: 0,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = queryString(draft);
    navigate(`/search${query ? `?${query}` : ''}`);
    if (query === queryString(current)) void results.refetch();
  };

  return (
    <Page title={t('search.title')} description={t('search.description')}>
      <SearchForm draft={draft} setDraft={setDraft} onSubmit={submit} pending={results.isFetching} />
      <section className="card" aria-labelledby="search-results-title" aria-busy={results.isFetching}>
        <h2 id="search-results-title" className="card-title">
          {t('search.results')}
        </h2>
        {!asked ? <p className="empty">{t('search.start')}</p> : null}
        {asked && results.isPending ? <Loading /> : null}
        <ErrorMessage error={results.error} />
        {asked && results.data ? <ResultList answer={results.data} criteria={current} /> : null}
      </section>
    </Page>
  );
}

function SearchForm({
  draft,
  setDraft,
  onSubmit,
  pending,
}: {
  draft: Criteria;
  setDraft: (criteria: Criteria) => void;
  onSubmit: (event: FormEvent) => void;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const knowledge = useKnowledgeLabels();
  // Only company admins may list sources; the others filter by a source's name.
  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => api<{ sources: Source[] }>('GET', '/api/v1/sources').then((a) => a.sources),
    enabled: me.role === 'admin',
  });
  const set = (patch: Partial<Criteria>) => setDraft({ ...draft, ...patch });

  return (
    <section className="card" aria-labelledby="search-form-title">
      <h2 id="search-form-title" className="visually-hidden">
        {t('search.form')}
      </h2>
      <form role="search" className="search-form" onSubmit={onSubmit} aria-labelledby="search-form-title">
        <div className="form-row">
          <Field label={t('search.query')} hint={t('search.queryHint')} className="field-grow">
            {(control) => (
              <input
                {...control}
                className="input"
                type="search"
                name="q"
                maxLength={2000}
                value={draft.q}
                onChange={(event) => set({ q: event.target.value })}
              />
            )}
          </Field>
          <div className="form-row-submit">
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {pending ? t('search.searching') : t('search.submit')}
            </button>
          </div>
        </div>
        <div className="form-row">
          <Field
            label={t('search.source')}
            hint={me.role === 'admin' ? undefined : t('search.sourceNameHint')}
          >
            {(control) =>
              me.role === 'admin' ? (
                <select
                  {...control}
                  className="input"
                  name="source"
                  value={draft.source}
                  onChange={(event) => set({ source: event.target.value })}
                >
                  <option value="">{t('search.sourceAny')}</option>
                  {(sources.data ?? []).map((source) => (
                    <option key={source.id} value={source.id} translate="no">
                      {source.name}
                    </option>
                  ))}
                  {draft.source && !sources.data?.some((s) => s.id === draft.source) ? (
                    <option value={draft.source} translate="no">
                      {draft.source}
                    </option>
                  ) : null}
                </select>
              ) : (
                <input
                  {...control}
                  className="input"
                  name="source"
                  maxLength={200}
                  value={draft.source}
                  onChange={(event) => set({ source: event.target.value })}
                />
              )
            }
          </Field>
          <Field label={t('search.type')}>
            {(control) => (
              <select
                {...control}
                className="input"
                name="type"
                value={draft.type}
                onChange={(event) => set({ type: event.target.value })}
              >
                <option value="">{t('search.typeAny')}</option>
                {DOCUMENT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {knowledge.typeName(type)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('search.limit')}>
            {(control) => (
              <select
                {...control}
                className="input"
                name="limit"
                value={draft.limit}
                onChange={(event) => set({ limit: Number(event.target.value) })}
              >
                {LIMITS.map((limit) => (
                  <option key={limit} value={limit}>
                    {t('search.limitOption', { count: limit })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-row-submit">
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => setDraft({ ...draft, source: '', type: '', limit: 10 })}
            >
              {t('search.clear')}
            </button>
          </div>
        </div>
        <p className="field-hint">{t('search.dateNote')}</p>
      </form>
    </section>
  );
}

/** The API's notes that change what the user should do, in the user's language. */
function explain(notes: readonly string[]): ('noTerms' | 'unknownSource' | 'unknownType' | 'truncated')[] {
  return notes.flatMap((note) =>
    note.startsWith('The query has no searchable words')
      ? (['noTerms'] as const)
      : note.startsWith('No source ')
        ? (['unknownSource'] as const)
        : note.startsWith('Unknown document type')
          ? (['unknownType'] as const)
          : note.startsWith('Only the first')
            ? (['truncated'] as const)
            : [],
  );
}

function ResultList({ answer, criteria }: { answer: SearchResponse; criteria: Criteria }) {
  const { t } = useTranslation();
  const me = useMe();
  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => api<{ sources: Source[] }>('GET', '/api/v1/sources').then((a) => a.sources),
    enabled: me.role === 'admin',
  });
  const sourceName = (id: string) => sources.data?.find((s) => s.id === id)?.name;
  const reasons = explain(answer.notes);
  const back = `/search?${queryString(criteria)}`;

  return (
    <>
      {reasons.map((reason) => (
        <p key={reason} className="alert alert-info">
          {t(`search.${reason}`)}
        </p>
      ))}
      <p className="card-meta" role="status" data-testid="search-total">
        {answer.totalExact
          ? t('search.total', { count: answer.total })
          : t('search.totalAtLeast', { count: answer.total })}
        {answer.results.length < answer.total
          ? ` ${t('search.shown', { count: answer.results.length })}`
          : ''}
      </p>
      {answer.results.length === 0 ? (
        <div className="empty">
          <p>{t('search.empty', { query: criteria.q })}</p>
          <p>{t('search.emptyHelp')}</p>
        </div>
      ) : (
        <ol className="results">
          {answer.results.map((result) => (
            <ResultItem
              key={result.documentId}
              result={result}
              sourceName={sourceName(result.sourceId)}
              back={back}
            />
          ))}
        </ol>
      )}
    </>
  );
}

function ResultItem({
  result,
  sourceName,
  back,
}: {
  result: SearchResult;
  sourceName: string | undefined;
  back: string;
}) {
  const knowledge = useKnowledgeLabels();
  const terms = [...new Set(result.highlights.map((h) => result.snippet.slice(h.start, h.end)))];
  const href = viewerHref(result.documentId, { quote: result.snippet, terms, anchor: result.anchor }, back);
  const where = knowledge.anchor(result.anchor);
  return (
    <li className="result">
      <h3 className="result-title">
        <Link to={href} translate="no">
          {result.title}
        </Link>
      </h3>
      <p className="result-meta">
        <span className="tag">{knowledge.docType(result.mimeType)}</span>
        {where ? <span translate="no">{where}</span> : null}
        {sourceName ? <span translate="no">{sourceName}</span> : null}
      </p>
      <p className="result-snippet" translate="no">
        <Snippet text={result.snippet} highlights={result.highlights} />
      </p>
    </li>
  );
}

/** The snippet as text nodes with the matched words in <mark>: nothing from a document is HTML. */
function Snippet({ text, highlights }: { text: string; highlights: SearchResult['highlights'] }) {
  const parts = [];
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end > text.length) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
