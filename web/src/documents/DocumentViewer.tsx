import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DocumentChunk, DocumentText } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Page';
import { useKnowledgeLabels } from '../i18n/knowledge-labels';
import { useLabels } from '../i18n/labels';
import { findPassage, segments, type PassageRequest, type Range } from './find-passage';

export type { PassageRequest } from './find-passage';

export const documentTextKey = (documentId: string) => ['document-text', documentId] as const;

/**
 * A document's text, opened scrolled to a passage with it highlighted. Search results pass their
 * snippet as the quote and their matched words as terms; the assistant's citations pass the chunk
 * ordinal (or anchor) and the quoted words. The text is rendered as text nodes, never as HTML.
 */
export function DocumentViewer({ documentId, passage }: { documentId: string; passage: PassageRequest }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const knowledge = useKnowledgeLabels();
  const text = useQuery({
    queryKey: documentTextKey(documentId),
    queryFn: () => api<DocumentText>('GET', `/api/v1/documents/${encodeURIComponent(documentId)}/text`),
  });
  const found = useMemo(
    () => (text.data ? findPassage(text.data.chunks, passage) : null),
    [text.data, passage],
  );
  const target = useRef<HTMLElement>(null);
  const asked = passage.quote !== undefined || passage.ordinal !== undefined || passage.anchor !== undefined;

  useEffect(() => {
    // Once the text is there: bring the passage to the middle of the text's scrolling box.
    target.current?.scrollIntoView({ block: 'center' });
  }, [found]);

  if (text.isPending) return <Loading />;
  if (text.isError) return <ErrorMessage error={text.error} />;
  const { document, chunks } = text.data;
  const foundChunk = found ? chunks.find((c) => c.ordinal === found.ordinal) : undefined;

  return (
    <div className="viewer">
      <section className="card viewer-details" aria-labelledby="viewer-details-title">
        <h2 id="viewer-details-title" className="card-title">
          {t('viewer.details')}
        </h2>
        <dl className="facts facts-inline">
          <div>
            <dt>{t('viewer.type')}</dt>
            <dd>{knowledge.docType(document.mimeType)}</dd>
          </div>
          <div>
            <dt>{t('viewer.size')}</dt>
            <dd>{knowledge.bytes(document.sizeBytes)}</dd>
          </div>
          <div>
            <dt>{t('viewer.modified')}</dt>
            <dd>{labels.dateTime(document.modifiedAt)}</dd>
          </div>
          <div>
            <dt>{t('viewer.chunks')}</dt>
            <dd>{chunks.length}</dd>
          </div>
        </dl>
        {document.status !== 'indexed' ? (
          <p className="alert alert-error">
            {t('viewer.notIndexed', { status: t(`documents.status.${document.status}`) })}
          </p>
        ) : null}
      </section>
      {asked ? (
        <div className={found?.range ? 'alert alert-info' : 'alert alert-warning'} role="status">
          <p>
            {found?.range && foundChunk ? (
              <>
                {t('viewer.passageFound')}{' '}
                <span translate="no">{knowledge.anchor(foundChunk.anchor, foundChunk.ordinal)}</span>
              </>
            ) : (
              t('viewer.passageMissing')
            )}
          </p>
          {found ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                target.current?.scrollIntoView({ block: 'center' });
                target.current?.focus({ preventScroll: true });
              }}
            >
              {t('viewer.jumpToPassage')}
            </button>
          ) : null}
        </div>
      ) : null}
      <section
        className="card viewer-text"
        aria-label={t('viewer.textLabel', { title: document.title })}
        // A scrolling box must be reachable by keyboard to be scrolled by it.
        tabIndex={0}
        data-testid="document-text"
      >
        {chunks.length === 0 ? <p className="empty">{t('viewer.noText')}</p> : null}
        {chunks.map((chunk, index) => (
          <ChunkView
            key={chunk.ordinal}
            chunk={chunk}
            showAnchor={index === 0 || anchorText(chunks[index - 1]!) !== anchorText(chunk)}
            found={found?.ordinal === chunk.ordinal ? found : null}
            targetRef={found?.ordinal === chunk.ordinal ? target : null}
          />
        ))}
      </section>
    </div>
  );
}

const anchorText = (chunk: DocumentChunk) => JSON.stringify(chunk.anchor);

function ChunkView({
  chunk,
  showAnchor,
  found,
  targetRef,
}: {
  chunk: DocumentChunk;
  showAnchor: boolean;
  found: { range: Range | null; terms: Range[] } | null;
  targetRef: React.RefObject<HTMLElement | null> | null;
}) {
  const { t } = useTranslation();
  const knowledge = useKnowledgeLabels();
  const where = knowledge.anchor(chunk.anchor);
  const parts = segments(chunk.text, found?.range ?? null, found?.terms ?? []);
  const piece = (part: (typeof parts)[number], key: number) =>
    part.term ? (
      <mark key={key} className="viewer-term">
        {part.text}
      </mark>
    ) : (
      part.text
    );
  // The passage is one contiguous run of segments: one <mark> around it, terms marked inside.
  const first = parts.findIndex((part) => part.passage);
  const last = parts.findLastIndex((part) => part.passage);
  const body: ReactNode =
    first < 0 ? (
      parts.map(piece)
    ) : (
      <>
        {parts.slice(0, first).map(piece)}
        <mark
          ref={targetRef as React.RefObject<HTMLElement>}
          className="viewer-passage"
          data-testid="highlighted-passage"
          tabIndex={-1}
          aria-label={t('viewer.passage')}
        >
          {parts.slice(first, last + 1).map((part, i) => piece(part, first + i))}
        </mark>
        {parts.slice(last + 1).map((part, i) => piece(part, last + 1 + i))}
      </>
    );
  return (
    <div
      className={`viewer-chunk${found ? ' viewer-chunk-target' : ''}`}
      data-ordinal={chunk.ordinal}
      ref={found && !found.range ? (targetRef as React.RefObject<HTMLDivElement>) : undefined}
      tabIndex={found && !found.range ? -1 : undefined}
    >
      {showAnchor && where ? (
        <p className="viewer-anchor" translate="no">
          {where}
        </p>
      ) : null}
      <p className="viewer-chunk-text" translate="no">
        {body}
      </p>
    </div>
  );
}
