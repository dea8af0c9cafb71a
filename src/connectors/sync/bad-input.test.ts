import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeBrokenShiftJisCsv,
  makeDocx,
  makeEncryptedPdf,
  makePdf,
  makeTruncatedPdf,
  makeZipBombDocx,
} from '../../../test/fixtures/index.js';
import { encodeText } from '../../../test/fixtures/encode-text.js';
import {
  startConnectors,
  tempFolder,
  type ConnectorsHarness,
} from '../../../test/helpers/connectors-harness.js';
import { createCompany } from '../../../test/helpers/factories.js';
import { ENGINES } from '../../../test/helpers/test-database.js';
import { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { OPERATOR } from '../../tenancy/actor.js';

const MB = 1024 * 1024;

/**
 * Real bad files in a real folder: each gets a clear reason on its document, the rest goes in, and
 * what was indexed before a file went bad stays searchable.
 */
describe.each(ENGINES)('a folder of bad files on %s', (engine) => {
  let h: ConnectorsHarness;
  beforeAll(async () => {
    h = await startConnectors(engine, { maxFileBytes: 10 * MB });
  });
  afterAll(() => h.close());

  it('records each failure with its reason, ingests the rest, and loses nothing already indexed', async () => {
    const company = await createCompany(h.tenancy);
    const root = tempFolder();
    const put = (name: string, bytes: Buffer | string) => writeFileSync(path.join(root, name), bytes);
    put('規程.md', '# 就業規則\n\n始業は午前9時とする。');
    put('report.pdf', await makePdf());
    put('contract.docx', await makeDocx());
    const source = await h.connectors.sources.create(OPERATOR, company.id, {
      kind: 'folder',
      settings: { path: root },
    });
    const sync = async () => {
      const tracker = new IngestTracker();
      await h.connectors.sync.syncSource(company.id, source.id, tracker);
      return tracker.summary();
    };
    expect(await sync()).toMatchObject({ indexed: 3, failed: 0 });
    const documents = async () =>
      new Map(
        (await h.connectors.documents.list(OPERATOR, company.id, { limit: 100 })).documents.map((d) => [
          d.externalId,
          d,
        ]),
      );
    const chunksOf = async (externalId: string) =>
      (await h.connectors.sync['deps'].documents.chunks(company.id, (await documents()).get(externalId)!.id))
        .map((c) => c.text)
        .join('\n');
    const reportBefore = await chunksOf('report.pdf');
    const contractBefore = await chunksOf('contract.docx');
    expect(reportBefore).toContain('パスワードは12文字以上');

    // The files go bad, and bad ones join them.
    put('report.pdf', await makeTruncatedPdf());
    put('contract.docx', await makeZipBombDocx());
    put('secret.pdf', await makeEncryptedPdf());
    put('empty.txt', '');
    put('取引.csv', makeBrokenShiftJisCsv());
    put('..名前に点.txt', '点で始まる名前の文書。'); // hidden by default, like .git
    put('a\\..\\b.txt', 'バックスラッシュを含む名前の文書。');
    put('huge.log', '');
    truncateSync(path.join(root, 'huge.log'), 200 * MB); // sparse: 200 MB that take no disk
    const outside = tempFolder();
    writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0');
    symlinkSync(path.join(outside, 'passwd'), path.join(root, 'link-out.txt'));

    const started = Date.now();
    const summary = await sync();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(summary).toMatchObject({ files: 9, indexed: 2, unchanged: 1, failed: 5, skipped: 1, deleted: 0 });
    const reasons = Object.fromEntries(summary.problems.map((p) => [path.relative(root, p.path), p.code]));
    expect(reasons).toEqual({
      'contract.docx': 'archive_bomb',
      'empty.txt': 'empty_file',
      'huge.log': 'too_large',
      'link-out.txt': 'outside_root',
      'report.pdf': 'corrupt_file',
      'secret.pdf': 'encrypted_file',
    });

    const docs = await documents();
    // Went bad after being indexed: the reason is on the document, the old chunks stay searchable.
    expect(docs.get('report.pdf')).toMatchObject({
      status: 'indexed',
      errorCode: 'corrupt_file',
      errorMessage: expect.stringMatching(/could not be read/),
    });
    expect(docs.get('contract.docx')).toMatchObject({ status: 'indexed', errorCode: 'archive_bomb' });
    expect(await chunksOf('report.pdf')).toBe(reportBefore);
    expect(await chunksOf('contract.docx')).toBe(contractBefore);
    // Never indexed: failed or skipped, with the reason and no chunks.
    expect(docs.get('secret.pdf')).toMatchObject({
      status: 'failed',
      errorCode: 'encrypted_file',
      chunkCount: 0,
    });
    expect(docs.get('empty.txt')).toMatchObject({ status: 'failed', errorCode: 'empty_file' });
    expect(docs.get('huge.log')).toMatchObject({
      status: 'failed',
      errorCode: 'too_large',
      errorMessage: expect.stringMatching(
        /209715200 bytes, over the limit of 10485760 bytes; it was not read/,
      ),
    });
    expect(docs.get('link-out.txt')).toMatchObject({ status: 'skipped', errorCode: 'outside_root' });
    // A broken byte in a Shift_JIS CSV costs one character, not the file; the document says so.
    expect(docs.get('取引.csv')).toMatchObject({
      status: 'indexed',
      errorCode: null,
      metadata: { encoding: expect.stringMatching(/Shift_JIS|CP932/i) },
    });
    expect(docs.get('取引.csv')!.metadata.warnings).toMatch(/invalid byte sequence/);
    expect(await chunksOf('取引.csv')).toContain('大阪物産');
    expect(docs.get('a\\..\\b.txt')).toMatchObject({ status: 'indexed', title: 'b' });
    expect(docs.has('..名前に点.txt')).toBe(false);
    expect([...docs.values()].every((d) => !d.uri.includes('passwd'))).toBe(true);

    // Repaired: the failure clears and the new content replaces the old.
    put('report.pdf', await makePdf([['改訂版の情報セキュリティ規程。パスワードは16文字以上とする。']]));
    expect(await sync()).toMatchObject({ indexed: 1 });
    expect((await documents()).get('report.pdf')).toMatchObject({ status: 'indexed', errorCode: null });
    expect(await chunksOf('report.pdf')).toContain('16文字以上');
  });

  it('names a file or folder whose name is not UTF-8 (Shift_JIS from an old file server) instead of losing it', async () => {
    const company = await createCompany(h.tenancy);
    const root = tempFolder();
    writeFileSync(path.join(root, '就業規則.txt'), '始業は午前9時とする。');
    // Names as an old Japanese file server writes them: CP932 bytes, not UTF-8.
    const sjis = (name: string) => Buffer.concat([Buffer.from(`${root}/`), encodeText(name, 'Shift_JIS')]);
    writeFileSync(sjis('経費精算規程.txt'), '経費は30日以内に申請する。');
    mkdirSync(sjis('議事録'));
    const source = await h.connectors.sources.create(OPERATOR, company.id, {
      kind: 'folder',
      settings: { path: root },
    });
    const tracker = new IngestTracker();
    await h.connectors.sync.syncSource(company.id, source.id, tracker);
    const summary = tracker.summary();
    // Failed, not skipped: they are files Kura should read (`kura ingest` exits 3).
    expect(summary).toMatchObject({ files: 3, indexed: 1, skipped: 0, failed: 2 });
    expect(summary.problems.map((p) => p.code)).toEqual(['unreadable_name', 'unreadable_name']);
    expect(summary.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^The (file|folder) name is not UTF-8 .*Rename it, or mount the share with UTF-8 names\.$/,
      ),
      expect.stringMatching(/^The (file|folder) name is not UTF-8/),
    ]);
    expect(summary.problems.some((p) => p.message.startsWith('The folder name'))).toBe(true);
    const { documents } = await h.connectors.documents.list(OPERATOR, company.id, { limit: 10 });
    expect(documents.filter((d) => d.status === 'failed').map((d) => d.errorCode)).toEqual([
      'unreadable_name',
      'unreadable_name',
    ]);
  });
});
