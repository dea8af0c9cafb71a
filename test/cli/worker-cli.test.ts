import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/connectors-harness.js';
import { startKuraProcess, startKuraWorker, type KuraChild } from '../helpers/kura-process.js';
import { runCli, TEST_MASTER_KEY } from '../helpers/run-cli.js';
import { createServerDatabase } from '../helpers/test-database.js';

interface Job {
  state: string;
  progress: { phase: string; done: number; total: number } | null;
  result: { indexed: number; failed: number; problems: { code: string; path: string }[] } | null;
}

/**
 * Server mode as it is deployed: `kura serve` answers the API and queues the work, and `kura worker`
 * processes, separate from it and from each other, run the jobs against the same PostgreSQL.
 */
describe('kura worker (server mode, PostgreSQL)', () => {
  const running: KuraChild[] = [];
  afterAll(async () => {
    await Promise.all(running.map((child) => child.stop()));
  });

  it('runs the syncs the API queued while no worker ran, reports their progress, and stops on SIGTERM', async () => {
    const env = {
      DATABASE_URL: await createServerDatabase(),
      KURA_MASTER_KEY: TEST_MASTER_KEY,
      KURA_DATA_DIR: tempFolder('kura-worker-data-'),
    };
    expect((await runCli(['tenant', 'create', 'acme', '--name', 'Acme'], env)).code).toBe(0);
    const key = (
      await runCli(['apikey', 'create', '--tenant', 'acme', '--role', 'admin'], env)
    ).stdout.trim();
    const root = tempFolder('kura-worker-folder-');
    writeFileSync(
      path.join(root, '経費精算規程.md'),
      '# 経費精算規程\n\n経費は発生日から30日以内に申請する。',
    );
    writeFileSync(path.join(root, '就業規則.txt'), '始業は午前9時、終業は午後6時とする。');
    writeFileSync(path.join(root, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog');
    const added = await runCli(
      ['source', 'add', 'folder', '--tenant', 'acme', '--path', root, '--name', '規程'],
      env,
    );
    expect(added.code).toBe(0);
    const [source] = JSON.parse(
      (await runCli(['source', 'list', '--tenant', 'acme', '--json'], env)).stdout,
    ) as {
      id: string;
    }[];

    const server = await startKuraProcess(['--no-demo'], env);
    running.push(server);
    const api = async <T>(method: string, route: string): Promise<{ status: number; body: T }> => {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${key}` },
      });
      return { status: response.status, body: (await response.json()) as T };
    };
    const queued = await api<{ id: string; state: string }>('POST', `/api/v1/sources/${source!.id}/sync`);
    expect(queued).toMatchObject({ status: 202, body: { state: 'queued' } });
    // On PostgreSQL the server leaves jobs to the workers: with none running, the sync waits.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await api<Job>('GET', `/api/v1/jobs/${queued.body.id}`)).body.state).toBe('queued');

    const worker = await startKuraWorker(env);
    running.push(worker);
    expect(worker.output()).toMatch(/^kura worker running on PostgreSQL \(\d+ jobs at once\)$/m);
    let job: Job | undefined;
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      job = (await api<Job>('GET', `/api/v1/jobs/${queued.body.id}`)).body;
      if (job.state !== 'queued' && job.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(job).toMatchObject({
      state: 'succeeded',
      progress: { phase: 'done', done: 3, total: 3 },
      result: {
        indexed: 2,
        failed: 1,
        problems: [{ code: 'corrupt_file', path: path.join(root, 'broken.pdf') }],
      },
    });
    const found = await api<{ results: { title: string }[] }>(
      'GET',
      `/api/v1/search?q=${encodeURIComponent('経費の申請期限')}`,
    );
    expect(found.status).toBe(200);
    expect(found.body.results[0]?.title).toBe('経費精算規程');

    expect(await worker.stop()).toBe(0);
    expect(await server.stop()).toBe(0);
  }, 180_000);
});
