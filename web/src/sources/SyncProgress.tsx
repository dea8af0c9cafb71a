import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Job } from '../api/types';
import { ProgressBar } from '../components/ProgressBar';
import { useKnowledgeLabels } from '../i18n/knowledge-labels';
import { remainingMs } from './eta';
import { syncRunningText } from './sync-running-text';

const POLL_MS = 1000;

/** A sync job followed by polling GET /api/v1/jobs/:id: files (or bytes) done, ETA, then the outcome. */
export function SyncProgress({ jobId, sourceName }: { jobId: string; sourceName: string }) {
  const { t } = useTranslation();
  const knowledge = useKnowledgeLabels();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api<Job>('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`),
    refetchInterval: (query) =>
      query.state.data && (query.state.data.state === 'succeeded' || query.state.data.state === 'dead')
        ? false
        : POLL_MS,
    staleTime: 0,
  });
  const finished = job.data?.state === 'succeeded' || job.data?.state === 'dead';
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: ['sources'] });
    void queryClient.invalidateQueries({ queryKey: ['documents'] });
  }, [finished, queryClient]);

  const label = t('sources.syncProgressLabel', { name: sourceName });
  if (!job.data) return <ProgressBar label={label} value={null} text={t('sources.syncQueued')} />;
  const progress = job.data.progress;
  if (job.data.state === 'succeeded') {
    return (
      <ProgressBar
        label={label}
        value={1}
        state="done"
        text={t('sources.syncDone', {
          indexed: progress?.indexed ?? 0,
          unchanged: progress?.unchanged ?? 0,
          failed: progress?.failed ?? 0,
          deleted: progress?.deleted ?? 0,
        })}
      />
    );
  }
  if (job.data.state === 'dead') {
    return <ProgressBar label={label} value={null} state="failed" text={t('sources.syncDead')} />;
  }
  if (job.data.state === 'queued' || !progress)
    return <ProgressBar label={label} value={null} text={t('sources.syncQueued')} />;
  const byBytes = progress.bytesTotal !== undefined && progress.bytesTotal > 0;
  const done = byBytes ? (progress.bytesDone ?? 0) : progress.done;
  const total = byBytes ? progress.bytesTotal : progress.total;
  const left = remainingMs(done, total, progress.elapsedMs ?? 0);
  const running = syncRunningText(progress);
  const text = [
    t(running.key, running.values),
    left !== null ? t('sources.upload.eta', { time: knowledge.duration(left) }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return <ProgressBar label={label} value={total ? done / total : null} text={text} />;
}
