import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../tenancy/actor.js';
import { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { makePdf } from '../../../test/fixtures/index.js';
import { ENGINES } from '../../../test/helpers/test-database.js';
import { createCompany, createUser } from '../../../test/helpers/factories.js';
import {
  sharedAnalyzer,
  startConnectors,
  tempFolder,
  type ConnectorsHarness,
} from '../../../test/helpers/connectors-harness.js';
import { IngestService } from '../../ingest/pipeline/ingest-service.js';
import { inlinePreparer, type DocumentPreparer } from '../../ingest/pipeline/prepare-document.js';
import type { AclRule } from '../acl.js';
import { SourceSync } from './source-sync.js';
import { readerVersion } from '../../ingest/parsers/reader-versions.js';

const write = (root: string, file: string, text: string | Buffer) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

describe.each(ENGINES)('folder sources on %s', (engine) => {
  let h: ConnectorsHarness;
  beforeAll(async () => {
    h = await startConnectors(engine);
  });
  afterAll(() => h.close());

  async function folderSource(settings: { include?: string[]; exclude?: string[]; acl?: AclRule[] } = {}) {
    const company = await createCompany(h.tenancy);
    const root = tempFolder();
    const source = await h.connectors.sources.create(OPERATOR, company.id, {
      kind: 'folder',
      settings: {
        path: root,
        include: settings.include ?? [],
        exclude: settings.exclude ?? [],
        acl: settings.acl ?? [],
      },
    });
    const sync = async () => {
      const tracker = new IngestTracker();
      await h.connectors.sync.syncSource(company.id, source.id, tracker);
      return tracker.summary();
    };
    const documents = async () =>
      (
        await h.connectors.documents.list(OPERATOR, company.id, { sourceId: source.id, limit: 200 })
      ).documents.sort((a, b) => a.externalId.localeCompare(b.externalId));
    const text = async (externalId: string) => {
      const doc = (await documents()).find((d) => d.externalId === externalId)!;
      return (await h.connectors.sync['deps'].documents.chunks(company.id, doc.id))
        .map((c) => c.text)
        .join('\n');
    };
    return { company, root, source, sync, documents, text };
  }

  it('syncs incrementally: add, change, delete, rename; an unchanged folder is not read again', async () => {
    const f = await folderSource();
    write(f.root, 'a.md', '# 就業規則\n\n始業は午前9時とする。');
    write(f.root, 'b.txt', '経費は30日以内に申請する。');
    write(f.root, 'sub/c.txt', '情報セキュリティの基本方針。');
    expect(await f.sync()).toMatchObject({ files: 3, indexed: 3, unchanged: 0, failed: 0, deleted: 0 });
    expect(await f.sync()).toMatchObject({ files: 3, indexed: 0, unchanged: 3, deleted: 0 });

    write(f.root, 'b.txt', '経費は60日以内に申請する（改訂）。');
    utimesSync(path.join(f.root, 'b.txt'), new Date(), new Date(Date.now() + 5_000));
    write(f.root, 'd.txt', '新しい文書。');
    rmSync(path.join(f.root, 'sub/c.txt'));
    renameSync(path.join(f.root, 'a.md'), path.join(f.root, 'a2.md'));
    expect(await f.sync()).toMatchObject({ files: 3, indexed: 3, unchanged: 0, deleted: 2 });
    const docs = await f.documents();
    expect(docs.map((d) => d.externalId)).toEqual(['a2.md', 'b.txt', 'd.txt']);
    expect(docs.find((d) => d.externalId === 'b.txt')).toMatchObject({ version: 2, status: 'indexed' });
    expect(await f.text('b.txt')).toContain('60日以内');
    expect(await f.text('b.txt')).not.toContain('30日以内');

    // Touched, same content: read once, found unchanged by hash, then not read again.
    utimesSync(path.join(f.root, 'd.txt'), new Date(), new Date(Date.now() + 10_000));
    expect(await f.sync()).toMatchObject({ indexed: 0, unchanged: 3 });
    expect((await f.documents()).find((d) => d.externalId === 'd.txt')).toMatchObject({ version: 1 });
    expect(await f.sync()).toMatchObject({ indexed: 0, unchanged: 3 });
  });

  it('reads again, once, a file an older version of its reader read, though the file is unchanged', async () => {
    const f = await folderSource();
    // 44 full-width characters a printed line: the first line ends inside 顧客.
    write(
      f.root,
      'manual.pdf',
      await makePdf([
        [
          'お客様から受け付けた苦情は、記録をして速やかに回答する。担当者は記録の写しを保管して、顧客満足度の調査に役立てる。',
        ],
      ]),
    );
    write(f.root, 'notes.txt', '顧客の声を記録する。');
    expect(await f.sync()).toMatchObject({ files: 2, indexed: 2 });
    expect(await f.text('manual.pdf')).toContain('保管して、顧客満足度');
    // As a database indexed before PDF reader 2 holds it (migrations/0018): version 1, line ends kept.
    const pdf = (await f.documents()).find((d) => d.externalId === 'manual.pdf')!;
    expect(pdf.readerVersion).toBe(readerVersion('application/pdf'));
    await h.db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [f.company.id]);
      await tx.query('UPDATE documents SET reader_version = 1 WHERE tenant_id = $1 AND id = $2', [
        f.company.id,
        pdf.id,
      ]);
      await tx.query(
        `UPDATE chunks SET text = replace(text, '顧客', E'顧\n客') WHERE tenant_id = $1 AND document_id = $2`,
        [f.company.id, pdf.id],
      );
    });
    expect(await f.text('manual.pdf')).toContain('顧\n客');

    expect(await f.sync()).toMatchObject({ files: 2, indexed: 1, unchanged: 1 });
    const reread = (await f.documents()).find((d) => d.externalId === 'manual.pdf')!;
    expect(reread).toMatchObject({
      id: pdf.id,
      readerVersion: readerVersion('application/pdf'),
      version: 2,
      status: 'indexed',
    });
    expect(await f.text('manual.pdf')).toContain('保管して、顧客満足度');
    expect((await f.documents()).find((d) => d.externalId === 'notes.txt')).toMatchObject({ version: 1 });
    expect(await f.sync()).toMatchObject({ files: 2, indexed: 0, unchanged: 2 });
  });

  it('applies include and exclude globs and leaves hidden and lock files out', async () => {
    const f = await folderSource({ include: ['*.md', '*.txt'], exclude: ['archive/**', '*-draft.*'] });
    write(f.root, '規程/経費.md', '# 経費\n\n本文。');
    write(f.root, '規程/経費-draft.md', '# 下書き');
    write(f.root, 'archive/old.txt', '古い。');
    write(f.root, 'photo.csv', 'a,b\n1,2');
    write(f.root, '.git/config', '[core]');
    write(f.root, '~$議事録.txt', 'lock');
    write(f.root, 'notes.txt', 'メモ。');
    await f.sync();
    expect((await f.documents()).map((d) => d.externalId)).toEqual(['notes.txt', '規程/経費.md']);

    // Narrowing the rules removes what no longer matches at the next sync.
    await h.connectors.sources.update(OPERATOR, f.company.id, f.source.id, {
      settings: { include: ['*.md'] },
    });
    expect(await f.sync()).toMatchObject({ deleted: 1 });
    expect((await f.documents()).map((d) => d.externalId)).toEqual(['規程/経費.md']);
  });

  it('sets ACLs from the path-prefix mapping, resolving e-mail addresses to users', async () => {
    const f = await folderSource({
      acl: [
        { prefix: '役員会', principals: ['group:役員', 'user:Boss@Example.com'] },
        { prefix: '役員会/公開', principals: ['everyone'] },
      ],
    });
    const boss = await createUser(h.tenancy, f.company.id, 'member', 'boss@example.com');
    write(f.root, '役員会/議事録.txt', '取締役会の議事録。');
    write(f.root, '役員会/公開/お知らせ.txt', '全社へのお知らせ。');
    write(f.root, '総務/規程.txt', '就業規則。');
    await f.sync();
    const acl = Object.fromEntries((await f.documents()).map((d) => [d.externalId, d.acl]));
    expect(acl).toEqual({
      '役員会/議事録.txt': ['group:役員', `user:${boss.id}`].sort(),
      '役員会/公開/お知らせ.txt': ['everyone'],
      '総務/規程.txt': ['everyone'],
    });
    // A change of the mapping re-indexes the documents it touches, chunks included.
    await h.connectors.sources.update(OPERATOR, f.company.id, f.source.id, {
      settings: { acl: [{ prefix: '総務', principals: ['group:総務'] }] },
    });
    expect(await f.sync()).toMatchObject({ indexed: 2, unchanged: 1 });
    const doc = (await f.documents()).find((d) => d.externalId === '総務/規程.txt')!;
    const chunkAcl = await h.db.tenant(f.company.id, (tx) =>
      tx.query<{ acl: string[] }>(
        'SELECT DISTINCT acl FROM chunks WHERE tenant_id = $1 AND document_id = $2',
        [f.company.id, doc.id],
      ),
    );
    expect(chunkAcl).toEqual([{ acl: ['group:総務'] }]);
  });

  it('refuses symlinks that leave the root, follows those inside it, and walks a loop once', async () => {
    const f = await folderSource();
    const outside = tempFolder();
    write(outside, 'secret.txt', '外部の秘密。');
    write(f.root, 'real/inside.txt', '内側の文書。');
    symlinkSync(path.join(outside, 'secret.txt'), path.join(f.root, 'leak.txt'));
    symlinkSync(outside, path.join(f.root, 'leak-dir'));
    symlinkSync(path.join(f.root, 'real/inside.txt'), path.join(f.root, 'alias.txt'));
    symlinkSync(f.root, path.join(f.root, 'real/loop'));
    symlinkSync(path.join(f.root, 'nowhere'), path.join(f.root, 'broken.txt'));
    const summary = await f.sync();
    expect(summary).toMatchObject({ indexed: 2, skipped: 3, failed: 0 });
    const docs = await f.documents();
    expect(docs.map((d) => [d.externalId, d.status, d.errorCode])).toEqual([
      ['alias.txt', 'indexed', null],
      ['broken.txt', 'skipped', 'broken_link'],
      ['leak-dir', 'skipped', 'outside_root'],
      ['leak.txt', 'skipped', 'outside_root'],
      ['real/inside.txt', 'indexed', null],
    ]);
    for (const d of docs) expect(await f.text(d.externalId)).not.toContain('外部の秘密');
  });

  it('keeps the bytes of the files in flight within its budget, and still ingests every file', async () => {
    const f = await folderSource();
    for (let i = 0; i < 12; i++)
      write(f.root, `規程${i}.txt`, `第${i}条 経費は30日以内に申請する。`.repeat(40));
    const fileBytes = Buffer.byteLength(`第0条 経費は30日以内に申請する。`.repeat(40));
    const budget = 2.5 * fileBytes;
    // The real pipeline, its preparer counting the bytes it holds at once. Each file is held until
    // more than the budget is held or 100 ms pass, so the count does not hang on how fast the
    // database answers the sync's checks (on a loaded machine, files arrived one by one).
    const run = async (inFlightBytes: number | undefined) => {
      let holding = 0;
      let most = 0;
      const overBudget: Array<() => void> = [];
      const inline = inlinePreparer(await sharedAnalyzer());
      const counting: DocumentPreparer = {
        prepareFile: async (bytes, name) => {
          most = Math.max(most, (holding += bytes.length));
          if (holding > budget) overBudget.splice(0).forEach((release) => release());
          else
            await new Promise<void>((resolve) => {
              overBudget.push(resolve);
              setTimeout(resolve, 100);
            });
          try {
            return await inline.prepareFile(bytes, name);
          } finally {
            holding -= bytes.length;
          }
        },
        prepareText: inline.prepareText,
      };
      const deps = h.connectors.sync['deps'];
      const ingest = new IngestService(deps.documents, counting);
      const sync = new SourceSync({ ...deps, concurrency: 12, inFlightBytes, ingest: async () => ingest });
      const tracker = new IngestTracker();
      await sync.syncSource(f.company.id, f.source.id, tracker);
      return { most, summary: tracker.summary() };
    };
    const budgeted = await run(budget);
    expect(budgeted.summary).toMatchObject({ files: 12, indexed: 12, failed: 0 });
    expect(budgeted.most).toBeLessThanOrEqual(budget);
    expect(budgeted.most).toBeGreaterThanOrEqual(2 * fileBytes);
    // Without a budget this small, the same sync holds many more at once.
    for (let i = 0; i < 12; i++)
      write(f.root, `規程${i}.txt`, `第${i}条 旅費は14日以内に精算する。`.repeat(40));
    const unbounded = await run(undefined);
    expect(unbounded.summary).toMatchObject({ files: 12, indexed: 12, failed: 0 });
    expect(unbounded.most).toBeGreaterThan(budget);
  });

  it('deletes nothing when the folder is gone (an unmounted share) and says why', async () => {
    const f = await folderSource();
    write(f.root, 'a.txt', '残るべき文書。');
    await f.sync();
    rmSync(f.root, { recursive: true });
    await expect(f.sync()).rejects.toMatchObject({ code: 'folder_unavailable' });
    expect((await f.documents()).map((d) => d.externalId)).toEqual(['a.txt']);
    const source = await h.connectors.sources.get(OPERATOR, f.company.id, f.source.id);
    expect(source).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/cannot be read/) });
  });
});
