import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { upload } from '../api/client';
import type { UploadResult } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { ProgressBar } from '../components/ProgressBar';
import { useKnowledgeLabels } from '../i18n/knowledge-labels';
import { remainingMs } from './eta';
import { DocumentReason } from './DocumentReason';

/** Files one request carries (the API takes at most 20). */
const BATCH = 20;

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; loaded: number; total: number; startedAt: number; now: number; files: number }
  | { kind: 'indexing'; files: number }
  | { kind: 'done'; files: number }
  | { kind: 'failed' };

/** Upload by drag and drop or a file picker: bytes sent with an ETA, then indexing, then each file's outcome. */
export function UploadCard({ onUploaded }: { onUploaded: () => void }) {
  const { t } = useTranslation();
  const knowledge = useKnowledgeLabels();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [results, setResults] = useState<UploadResult[]>([]);
  const [error, setError] = useState<unknown>(null);
  const busy = phase.kind === 'sending' || phase.kind === 'indexing';

  const send = async (files: File[]) => {
    if (files.length === 0 || busy) return;
    setError(null);
    setResults([]);
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    const startedAt = Date.now();
    let before = 0;
    const collected: UploadResult[] = [];
    try {
      for (let i = 0; i < files.length; i += BATCH) {
        const batch = files.slice(i, i + BATCH);
        const form = new FormData();
        for (const file of batch) form.append('file', file, file.name);
        const batchBytes = batch.reduce((sum, file) => sum + file.size, 0);
        setPhase({
          kind: 'sending',
          loaded: before,
          total: totalBytes,
          startedAt,
          now: Date.now(),
          files: files.length,
        });
        const answer = await upload<{ results: UploadResult[] }>('/api/v1/documents', form, (progress) => {
          // The request's size includes multipart framing: scale to the files' bytes.
          const sent = progress.total > 0 ? (progress.loaded / progress.total) * batchBytes : 0;
          setPhase(
            progress.loaded >= progress.total && i + BATCH >= files.length
              ? { kind: 'indexing', files: files.length }
              : {
                  kind: 'sending',
                  loaded: before + sent,
                  total: totalBytes,
                  startedAt,
                  now: Date.now(),
                  files: files.length,
                },
          );
        });
        before += batchBytes;
        collected.push(...answer.results);
        setResults([...collected]);
      }
      setPhase({ kind: 'done', files: files.length });
    } catch (cause) {
      setError(cause);
      setPhase({ kind: 'failed' });
    } finally {
      if (input.current) input.current.value = '';
      void queryClient.invalidateQueries({ queryKey: ['sources'] });
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      onUploaded();
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void send([...event.dataTransfer.files]);
  };

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title" className="card-title">
        {t('sources.upload.title')}
      </h2>
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="dropzone-text">{t('sources.upload.drop')}</p>
        <p className="dropzone-or">{t('sources.upload.or')}</p>
        <input
          ref={input}
          id={inputId}
          className="visually-hidden-input"
          type="file"
          multiple
          disabled={busy}
          aria-label={t('sources.upload.chooseLabel')}
          onChange={(event) => void send([...(event.target.files ?? [])])}
        />
        <label htmlFor={inputId} className={`btn btn-primary${busy ? ' btn-disabled' : ''}`}>
          {t('sources.upload.choose')}
        </label>
        <p className="field-hint">{t('sources.upload.hint')}</p>
      </div>
      {phase.kind !== 'idle' ? <UploadProgress phase={phase} /> : null}
      <ErrorMessage error={error} />
      {results.length > 0 ? (
        <div className="upload-results">
          <h3 className="section-title">{t('sources.upload.resultTitle')}</h3>
          <ul className="plain-list">
            {results.map((result, index) => (
              <li key={`${result.document.id}-${index}`} className="upload-result">
                <span translate="no">{result.fileName ?? result.document.title}</span>
                <span
                  className={`badge ${result.status === 'failed' ? 'badge-danger' : result.status === 'skipped' ? 'badge-muted' : 'badge-ok'}`}
                >
                  {t(`sources.upload.status.${result.status}`)}
                </span>
                {result.status === 'indexed' || result.status === 'unchanged' ? (
                  <span className="muted">{knowledge.docType(result.document.mimeType)}</span>
                ) : (
                  <DocumentReason
                    code={result.error?.code ?? result.document.errorCode}
                    message={result.error?.message ?? result.document.errorMessage}
                  />
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function UploadProgress({ phase }: { phase: Exclude<Phase, { kind: 'idle' }> }) {
  const { t } = useTranslation();
  const knowledge = useKnowledgeLabels();
  const label = t('sources.upload.progressLabel');
  if (phase.kind === 'sending') {
    const left = remainingMs(phase.loaded, phase.total, phase.now - phase.startedAt);
    const text = [
      t('sources.upload.files', { count: phase.files }),
      t('sources.upload.sending', {
        done: knowledge.bytes(Math.round(phase.loaded)),
        total: knowledge.bytes(phase.total),
      }),
      left !== null ? t('sources.upload.eta', { time: knowledge.duration(left) }) : null,
    ]
      .filter(Boolean)
      .join(' · ');
    return <ProgressBar label={label} value={phase.total ? phase.loaded / phase.total : null} text={text} />;
  }
  if (phase.kind === 'indexing')
    return <ProgressBar label={label} value={null} text={t('sources.upload.indexing')} />;
  if (phase.kind === 'done')
    return (
      <ProgressBar
        label={label}
        value={1}
        state="done"
        text={`${t('sources.upload.done')} · ${t('sources.upload.files', { count: phase.files })}`}
      />
    );
  return <ProgressBar label={label} value={null} state="failed" text={t('sources.upload.failed')} />;
}
