import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Page, StatusMessage } from '../components/Page';
import { AddDatabaseForm, AddFolderForm } from '../sources/AddSourceForms';
import { DocumentTable } from '../sources/DocumentTable';
import { SourceTable } from '../sources/SourceTable';
import { UploadCard } from '../sources/UploadCard';

/** Company admins: upload files, add folders and databases, follow syncs, remove sources and documents. */
export default function SourcesPage() {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const report = (message: string | null, cause: unknown = null) => {
    setNotice(message);
    setError(cause);
  };
  return (
    <Page title={t('sources.title')} description={t('sources.description')}>
      <StatusMessage message={notice} onDismiss={() => setNotice(null)} />
      <ErrorMessage error={error} />
      <UploadCard onUploaded={() => report(null)} />
      <SourceTable report={report} />
      <div className="grid-2">
        <AddFolderForm onAdded={(source) => report(t('sources.folder.added', { name: source.name }))} />
        <AddDatabaseForm onAdded={(source) => report(t('sources.database.added', { name: source.name }))} />
      </div>
      <DocumentTable report={report} />
    </Page>
  );
}
