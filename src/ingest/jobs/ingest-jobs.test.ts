import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../platform/jobs/job-worker.js';
import { createLogger } from '../../platform/log/logger.js';
import { OPERATOR } from '../../tenancy/actor.js';
import { createCompany } from '../../../test/helpers/factories.js';
import {
  startConnectors,
  tempFolder,
  type ConnectorsHarness,
} from '../../../test/helpers/connectors-harness.js';
import { ENGINES } from '../../../test/helpers/test-database.js';
import type { IngestProgress, IngestSummary } from '../pipeline/ingest-tracker.js';
import { JobRunner } from './job-runner.js';

const logger = createLogger('silent');

describe.each(ENGINES)('the source.sync job on %s', (engine) => {
  let h: ConnectorsHarness;
  let runner: JobRunner;
  const drain = () => new JobWorker(runner.repository, runner.catalog, logger, { concurrency: 1 }).drain();
  beforeAll(async () => {
    h = await startConnectors(engine);
    runner = new JobRunner(h.db, h.connectors, logger, { concurrency: 1, embedded: false });
  });
  afterAll(() => h.close());

  it('syncs a folder, reports files and bytes, records failures on documents without failing', async () => {
    const company = await createCompany(h.tenancy);
    const root = tempFolder();
    for (let i = 0; i < 12; i++)
      writeFileSync(path.join(root, `doc-${i}.txt`), `文書${i}の本文です。`.repeat(20));
    writeFileSync(path.join(root, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog');
    const source = await h.connectors.sources.create(OPERATOR, company.id, {
      kind: 'folder',
      name: 'share',
      settings: { path: root },
    });
    const job = await runner.enqueue(
      'source.sync',
      { tenantId: company.id, sourceId: source.id },
      { tenantId: company.id },
    );
    expect(await drain()).toBe(1);
    const done = await runner.repository.findForTenant(company.id, job.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1 });
    const result = done!.result as IngestSummary;
    expect(result).toMatchObject({
      files: 13,
      indexed: 12,
      failed: 1,
      problems: [expect.objectContaining({ code: 'corrupt_file' })],
    });
    const progress = done!.progress as IngestProgress;
    expect(progress).toMatchObject({
      phase: 'done',
      done: 13,
      total: 13,
      unit: 'files',
      bytesTotal: result.bytes,
      bytesDone: result.bytes,
    });
    const after = await h.connectors.sources.get(OPERATOR, company.id, source.id);
    expect(after).toMatchObject({
      status: 'idle',
      lastError: null,
      documents: { indexed: 12, failed: 1, skipped: 0 },
    });
    expect(after.lastSyncAt).not.toBeNull();
  });

  it('retries a sync whose folder is unavailable, then parks it with the reason on job and source', async () => {
    const company = await createCompany(h.tenancy);
    const source = await h.connectors.sources.create(OPERATOR, company.id, {
      kind: 'folder',
      settings: { path: path.join(tempFolder(), 'unmounted') },
    });
    const job = await runner.enqueue(
      'source.sync',
      { tenantId: company.id, sourceId: source.id },
      { tenantId: company.id },
    );
    // Run the attempts back to back (the real backoff is seconds).
    for (let attempt = 1; attempt <= 3; attempt++) {
      await h.db.global((tx) =>
        tx.query("UPDATE jobs SET run_at = now() WHERE id = $1 AND state = 'queued'", [job.id]),
      );
      await drain();
    }
    expect(await runner.repository.findForTenant(company.id, job.id)).toMatchObject({
      state: 'dead',
      attempts: 3,
      lastError: expect.stringMatching(/cannot be read \(ENOENT\)/),
    });
    expect(await h.connectors.sources.get(OPERATOR, company.id, source.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/ENOENT/),
    });
  });

  it('refuses a job whose payload names another company than the job', async () => {
    const a = await createCompany(h.tenancy);
    const b = await createCompany(h.tenancy);
    const root = tempFolder();
    mkdirSync(path.join(root, 'x'));
    const source = await h.connectors.sources.create(OPERATOR, b.id, {
      kind: 'folder',
      settings: { path: root },
    });
    const job = await runner.enqueue(
      'source.sync',
      { tenantId: b.id, sourceId: source.id },
      { tenantId: a.id },
    );
    await drain();
    expect(await runner.repository.findForTenant(a.id, job.id)).toMatchObject({
      lastError: 'the job was enqueued for another company',
    });
  });
});
