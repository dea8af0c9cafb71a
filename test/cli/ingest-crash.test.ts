import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callOperatorSocket } from '../../src/cli/operator-socket.js';
import { DataDirLock } from '../../src/platform/db/data-dir-lock.js';
import { openDatabase } from '../../src/platform/db/open-database.js';
import type { IngestProgress, IngestSummary } from '../../src/ingest/pipeline/ingest-tracker.js';
import { tempFolder } from '../helpers/connectors-harness.js';
import { startKuraProcess, type KuraProcess } from '../helpers/kura-process.js';
import { runCli } from '../helpers/run-cli.js';

interface JobView {
  state: string;
  attempts: number;
  progress: IngestProgress | null;
  result: IngestSummary | null;
}

const FILES = 200;
const marker = (i: number) => `文書番号${String(i).padStart(3, '0')}の終わり。`;

interface DocumentCheck {
  external_id: string;
  status: string;
  version: number;
  chunk_count: number;
  chunks: number;
  ordinals_ok: boolean;
  text: string | null;
}

/** Every document with its chunks: whole (chunk_count chunks, ordinals 0..n-1) and its end marker present. */
async function readDocuments(dataDir: string): Promise<DocumentCheck[]> {
  const db = await openDatabase({ dataDir });
  try {
    return await db.owner((tx) =>
      tx.query<DocumentCheck>(
        `SELECT d.external_id, d.status, d.version, d.chunk_count, count(c.ordinal)::int AS chunks,
                coalesce(bool_and(c.ordinal < d.chunk_count), true) AND count(DISTINCT c.ordinal) = d.chunk_count AS ordinals_ok,
                string_agg(c.text, E'\\n' ORDER BY c.ordinal) AS text
           FROM documents d LEFT JOIN chunks c ON c.tenant_id = d.tenant_id AND c.document_id = d.id
          GROUP BY d.tenant_id, d.id`,
      ),
    );
  } finally {
    await db.close();
  }
}

function expectWhole(doc: DocumentCheck): void {
  const i = Number(/規程-(\d+)\.md$/.exec(doc.external_id)![1]);
  expect(doc, doc.external_id).toMatchObject({ status: 'indexed', version: 1, ordinals_ok: true });
  expect(doc.chunks, doc.external_id).toBe(doc.chunk_count);
  expect(doc.chunk_count).toBeGreaterThan(1);
  expect(doc.text, doc.external_id).toContain(marker(i));
}

/**
 * The promise of the job queue and the per-file transactions: a server killed with SIGKILL in the
 * middle of a sync holds only whole documents, and once started again finishes the work with every
 * file indexed exactly once.
 */
describe('a sync killed with kill -9 and restarted', () => {
  const dataDir = tempFolder('kura-crash-');
  const folder = tempFolder('kura-crash-src-');
  let server: KuraProcess | undefined;
  let jobId: string;
  let before: JobView;
  const kill = async () => {
    if (!server || server.child.exitCode !== null) return;
    const exited = new Promise((resolve) => server!.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
  };
  afterAll(async () => {
    // A server that does not stop within 10 s is killed: it must not outlive the test run.
    if (server) await Promise.race([server.stop(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await kill();
  });

  it('leaves only whole documents when killed in the middle of a sync', async () => {
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(folder, `部署${i % 7}`);
      mkdirSync(dir, { recursive: true });
      const body = Array.from({ length: 12 }, (_, p) =>
        `第${p + 1}条 この規程は文書${i}の第${p + 1}段落である。社員は申請を30日以内に行う。`.repeat(3),
      );
      writeFileSync(path.join(dir, `規程-${i}.md`), `# 規程 ${i}\n\n${body.join('\n\n')}\n\n${marker(i)}\n`);
    }
    server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
    const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
    expect((await kura('tenant', 'create', 'acme', '--name', 'Acme')).code).toBe(0);
    expect(
      (await kura('source', 'add', 'folder', '--tenant', 'acme', '--path', folder, '--name', 'share')).code,
    ).toBe(0);
    const queued = await kura('source', 'sync', '--tenant', 'acme', 'share', '--no-wait');
    jobId = /queued job (\S+)/.exec(queued.stdout)![1]!;
    const socket = DataDirLock.holder(dataDir)!.socket!;
    for (;;) {
      before = (await callOperatorSocket(socket, 'job.get', { tenant: 'acme', id: jobId })) as JobView;
      if ((before.progress?.indexed ?? 0) >= 20) break;
      expect(before.state).not.toBe('succeeded');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await kill();
    server = undefined;
    expect(before.progress!.done).toBeLessThan(FILES);

    const docs = await readDocuments(dataDir);
    expect(docs.length).toBeGreaterThanOrEqual(before.progress!.indexed);
    expect(docs.length).toBeLessThan(FILES);
    for (const doc of docs) expectWhole(doc);
  }, 90_000);

  it('finishes after a restart with every file indexed exactly once, no duplicate and no missing chunk', async () => {
    server = await startKuraProcess(['--data-dir', dataDir, '--no-demo']);
    const socket = DataDirLock.holder(dataDir)!.socket!;
    let after: JobView | undefined;
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = (await Promise.race([
        callOperatorSocket(socket, 'job.get', { tenant: 'acme', id: jobId }),
        new Promise((resolve) => setTimeout(resolve, 5_000)),
      ])) as JobView | undefined;
      if (!answer) continue; // the server is busy (or stuck): the deadline decides
      after = answer;
      if (after.state === 'succeeded' || after.state === 'dead') break;
    }
    expect(after, 'the restarted server did not answer or did not finish the job within 40 s').toMatchObject({
      state: 'succeeded',
      attempts: 2,
    });
    // The second attempt re-did only what was missing.
    expect(after!.result!.unchanged).toBeGreaterThanOrEqual(before.progress!.indexed);
    expect(after!.result!.indexed + after!.result!.unchanged).toBe(FILES);
    expect(after!.result!.failed).toBe(0);
    // The sync was a first load (its index is built at the end): the restart built it over every
    // file, so any of them is found, the last written as well as the first.
    for (const i of [0, FILES - 1]) {
      const found = await runCli(['--data-dir', dataDir, 'search', '--tenant', 'acme', '--json', marker(i)]);
      expect(found.code).toBe(0);
      const top = (JSON.parse(found.stdout) as { results: { uri: string }[] }).results[0];
      expect(decodeURIComponent(top?.uri ?? '')).toMatch(new RegExp(`/規程-${i}\\.md$`));
    }
    expect(await server.stop()).toBe(0);
    server = undefined;

    const docs = await readDocuments(dataDir);
    expect(docs).toHaveLength(FILES);
    expect(new Set(docs.map((d) => d.external_id)).size).toBe(FILES);
    for (const doc of docs) expectWhole(doc);
  }, 90_000);
});
