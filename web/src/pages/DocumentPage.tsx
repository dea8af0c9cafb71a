import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DocumentText } from '../api/types';
import { Page } from '../components/Page';
import { DocumentViewer, documentTextKey } from '../documents/DocumentViewer';
import { parseViewerQuery } from '../documents/viewer-link';
import { Link, usePathname, useSearch } from '../router/router';

/** /documents/<id>?quote=…: one document, scrolled to the passage a search result or citation named. */
export default function DocumentPage() {
  const { t } = useTranslation();
  const pathname = usePathname();
  const search = useSearch();
  const documentId = decodeURIComponent(pathname.replace(/^\/documents\/?/, '').replace(/\/+$/, ''));
  const { passage, back } = useMemo(() => parseViewerQuery(search), [search]);
  // The same query as the viewer's (shared cache): only for the title.
  const text = useQuery({
    queryKey: documentTextKey(documentId),
    queryFn: () => api<DocumentText>('GET', `/api/v1/documents/${encodeURIComponent(documentId)}/text`),
    enabled: documentId !== '',
  });
  const title = text.data?.document.title;
  return (
    <Page title={title ?? t('viewer.title')} dataTitle={title !== undefined}>
      {back ? (
        <p className="page-context">
          <Link to={back}>
            ← {back.startsWith('/assistant') ? t('viewer.backToAssistant') : t('viewer.back')}
          </Link>
        </p>
      ) : null}
      <DocumentViewer key={documentId} documentId={documentId} passage={passage} />
    </Page>
  );
}
