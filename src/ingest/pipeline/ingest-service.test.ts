import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { createAnalyzer } from '../../search/analysis/create-analyzer.js';
import { createTenancy, type Tenancy } from '../../tenancy/tenancy-module.js';
import { SourceRepository } from '../../connectors/source-repository.js';
import { ENGINES, createTestDatabase } from '../../../test/helpers/test-database.js';
import { createCompany } from '../../../test/helpers/factories.js';
import { DocumentRepository } from '../documents/document-repository.js';
import type { DocumentIdentity } from '../documents/document-types.js';
import { IngestService } from './ingest-service.js';
import { inlinePreparer } from './prepare-document.js';
import { readerVersion } from '../parsers/reader-versions.js';

const analyzer = await createAnalyzer();

describe.each(ENGINES)('ingesting one file on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  let documents: DocumentRepository;
  let ingest: IngestService;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    documents = new DocumentRepository(db);
    ingest = new IngestService(documents, inlinePreparer(analyzer));
  });
  afterAll(() => db.close());

  async function companyWithSource() {
    const company = await createCompany(tenancy);
    const source = await new SourceRepository(db).insert(company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: 'uploads',
      settings: {},
      secret: null,
    });
    const identity = (name: string, acl = ['everyone']): DocumentIdentity => ({
      sourceId: source.id,
      externalId: name,
      title: name,
      uri: `upload://${name}`,
      sizeBytes: 0,
      modifiedAt: null,
      acl,
    });
    return { company, identity };
  }

  const policy =
    '# 経費精算規程\n\n## 第1条 目的\n\nこの規程は、社員の出張旅費および経費の精算について定める。\n\n## 第2条 申請期限\n\n経費は発生日から30日以内に申請しなければならない。';

  it('indexes a Markdown file into chunks with analysed tokens and heading anchors', async () => {
    const { company, identity } = await companyWithSource();
    const outcome = await ingest.ingest(company.id, identity('規程.md'), Buffer.from(policy));
    expect(outcome.status).toBe('indexed');
    const chunks = await documents.chunks(company.id, outcome.document.id);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.map((c) => c.text).join('\n')).toContain('30日以内に申請');
    expect(chunks.some((c) => c.anchor.heading?.includes('第2条'))).toBe(true);
    expect(chunks.flatMap((c) => c.tokens.split(' '))).toEqual(expect.arrayContaining(['申請', '期限']));
    expect(outcome.document).toMatchObject({ status: 'indexed', version: 1, chunkCount: chunks.length });
  });

  it('does nothing for an unchanged file and replaces chunks of a changed one', async () => {
    const { company, identity } = await companyWithSource();
    const first = await ingest.ingest(company.id, identity('a.txt'), Buffer.from('最初の版です。'));
    const again = await ingest.ingest(company.id, identity('a.txt'), Buffer.from('最初の版です。'));
    expect(again.status).toBe('unchanged');
    const changed = await ingest.ingest(company.id, identity('a.txt'), Buffer.from('改訂された第二版です。'));
    expect(changed).toMatchObject({ status: 'indexed', document: { id: first.document.id, version: 2 } });
    const texts = (await documents.chunks(company.id, first.document.id)).map((c) => c.text).join();
    expect(texts).toContain('第二版');
    expect(texts).not.toContain('最初の版');
  });

  it('reads a file again once when an older reader read it; a rendered database row never', async () => {
    const { company, identity } = await companyWithSource();
    const file = await ingest.ingest(company.id, identity('b.txt'), Buffer.from('本文です。'));
    const row = await ingest.ingestText(company.id, identity('row:1'), '顧客: 山田');
    // As a database indexed before plain text's reader 2 holds them (migrations/0018).
    expect(readerVersion('text/plain')).toBeGreaterThan(1);
    await db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [company.id]);
      await tx.query('UPDATE documents SET reader_version = 1 WHERE tenant_id = $1', [company.id]);
    });
    const reread = await ingest.ingest(company.id, identity('b.txt'), Buffer.from('本文です。'));
    expect(reread).toMatchObject({
      status: 'indexed',
      document: { id: file.document.id, readerVersion: readerVersion('text/plain') },
    });
    expect((await ingest.ingest(company.id, identity('b.txt'), Buffer.from('本文です。'))).status).toBe(
      'unchanged',
    );
    const rowAgain = await ingest.ingestText(company.id, identity('row:1'), '顧客: 山田');
    expect(rowAgain).toMatchObject({ status: 'unchanged', document: { id: row.document.id, version: 1 } });
  });

  it('records a broken file with its reason and keeps what was indexed before', async () => {
    const { company, identity } = await companyWithSource();
    const good = await ingest.ingest(company.id, identity('report.pdf'), Buffer.from('まともな本文。'));
    const broken = await ingest.ingest(
      company.id,
      identity('report.pdf'),
      Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog'),
    );
    expect(broken).toMatchObject({ status: 'failed', code: 'corrupt_file' });
    const stored = await documents.findById(company.id, good.document.id);
    expect(stored).toMatchObject({ status: 'indexed', errorCode: 'corrupt_file' });
    expect((await documents.chunks(company.id, good.document.id)).map((c) => c.text).join()).toContain(
      'まともな本文',
    );
    const empty = await ingest.ingest(company.id, identity('empty.txt'), Buffer.alloc(0));
    expect(empty).toMatchObject({
      status: 'failed',
      code: 'empty_file',
      document: { status: 'failed', chunkCount: 0 },
    });
  });

  it('records an unsupported file as skipped with the reason', async () => {
    const { company, identity } = await companyWithSource();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const outcome = await ingest.ingest(company.id, identity('photo.png'), png);
    expect(outcome).toMatchObject({
      status: 'skipped',
      code: 'unsupported_type',
      document: { status: 'skipped' },
    });
  });

  it("copies the document's ACL onto every chunk", async () => {
    const { company, identity } = await companyWithSource();
    const outcome = await ingest.ingest(
      company.id,
      identity('secret.txt', ['group:役員']),
      Buffer.from('取締役会の議事録。'),
    );
    const acl = await db.tenant(company.id, (tx) =>
      tx.query<{ acl: string[] }>('SELECT acl FROM chunks WHERE tenant_id = $1 AND document_id = $2', [
        company.id,
        outcome.document.id,
      ]),
    );
    expect(acl.map((r) => r.acl)).toEqual([['group:役員']]);
  });
});
