import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { createTenancy, type Tenancy } from '../../tenancy/tenancy-module.js';
import { SourceRepository } from '../../connectors/source-repository.js';
import { ENGINES, createTestDatabase } from '../../../test/helpers/test-database.js';
import { createCompany } from '../../../test/helpers/factories.js';
import { DocumentRepository, type IndexedDocument } from './document-repository.js';
import { storedChunk } from './document-types.js';

/**
 * Documents saved at the same time share one transaction (group commit). Each must still come out
 * whole, replace its own earlier chunks and nothing else, and a document the database refuses
 * must fail alone.
 */
describe.each(ENGINES)('saving many documents at once on %s', (engine) => {
  let db: Database;
  let tenancy: Tenancy;
  let documents: DocumentRepository;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    tenancy = createTenancy(db, { sessionTtlMs: 60_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    documents = new DocumentRepository(db);
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
    const document = (name: string, texts: string[], tables = 0): IndexedDocument => ({
      id: randomUUID(),
      identity: {
        sourceId: source.id,
        externalId: name,
        title: name,
        uri: `upload://${name}`,
        sizeBytes: 1,
        modifiedAt: null,
        acl: ['everyone'],
      },
      mimeType: 'text/plain',
      contentHash: `hash-${name}-${texts.join('|')}`,
      metadata: {},
      chunks: texts.map((text, ordinal) => storedChunk(ordinal, text, text.split(''))),
      tables: Array.from({ length: tables }, (_, i) => ({ name: `表${i}`, columns: ['a'], rows: [] })),
    });
    return { company, document };
  }

  const stored = (tenantId: string) =>
    db.tenant(tenantId, (tx) =>
      tx.query<{ external_id: string; version: number; texts: string[]; tables: number }>(
        `SELECT d.external_id, d.version,
                coalesce((SELECT array_agg(c.text ORDER BY c.ordinal) FROM chunks c
                           WHERE c.tenant_id = d.tenant_id AND c.document_id = d.id), '{}') AS texts,
                (SELECT count(*)::int FROM document_tables t WHERE t.tenant_id = d.tenant_id AND t.document_id = d.id) AS tables
           FROM documents d WHERE d.tenant_id = $1 ORDER BY d.external_id`,
        [tenantId],
      ),
    );

  it('stores every document whole and replaces only a changed document’s own chunks', async () => {
    const { company, document } = await companyWithSource();
    const names = Array.from({ length: 40 }, (_, i) => `doc-${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map((name) => documents.saveIndexed(company.id, document(name, [`${name} 一`, `${name} 二`], 1))),
    );
    // Half change (fewer chunks, no table) while the other half are new: all in flight together.
    const second = await Promise.all([
      ...names.slice(0, 20).map((name) => documents.saveIndexed(company.id, document(name, [`${name} 新`]))),
      ...names.map((name) => documents.saveIndexed(company.id, document(`new-${name}`, [`new ${name}`]))),
    ]);
    expect(second.slice(0, 20).every((d) => d.version === 2)).toBe(true);
    const rows = await stored(company.id);
    expect(rows).toHaveLength(80);
    for (const [i, name] of names.entries()) {
      const row = rows.find((r) => r.external_id === name)!;
      if (i < 20) expect(row).toMatchObject({ version: 2, texts: [`${name} 新`], tables: 0 });
      else expect(row).toMatchObject({ version: 1, texts: [`${name} 一`, `${name} 二`], tables: 1 });
      expect(rows.find((r) => r.external_id === `new-${name}`)).toMatchObject({
        version: 1,
        texts: [`new ${name}`],
      });
    }
  });

  it('fails only the document the database refuses; the others saved with it are stored', async () => {
    const { company, document } = await companyWithSource();
    // PostgreSQL text cannot hold NUL: this document's INSERT fails inside whichever batch it joins.
    const results = await Promise.allSettled([
      documents.saveIndexed(company.id, document('a', ['一つ目'])),
      documents.saveIndexed(company.id, document('b', ['二つ目'])),
      documents.saveIndexed(company.id, document('bad', ['壊れた\u0000文字'])),
      documents.saveIndexed(company.id, document('c', ['三つ目'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await stored(company.id);
    expect(rows.map((r) => [r.external_id, r.texts])).toEqual([
      ['a', ['一つ目']],
      ['b', ['二つ目']],
      ['c', ['三つ目']],
    ]);
  });

  it('never mixes two saves of the same document into one batch: the later one wins whole', async () => {
    const { company, document } = await companyWithSource();
    const saves = await Promise.all([
      documents.saveIndexed(company.id, document('same', ['古い一', '古い二', '古い三'])),
      documents.saveIndexed(company.id, document('same', ['新しい'])),
    ]);
    expect(saves.map((d) => d.version)).toEqual([1, 2]);
    expect((await stored(company.id)).map((r) => r.texts)).toEqual([['新しい']]);
  });

  it('stores half a surrogate pair as U+FFFD (as UTF-8 encoding does) in text, tokens and anchor, not as an error', async () => {
    const { company, document } = await companyWithSource();
    const doc = document('lone', ['前\ud800後']);
    doc.chunks[0] = storedChunk(0, doc.chunks[0]!.text, ['前\udc00', '後'], { heading: '見出し\ud83d' });
    await documents.saveIndexed(company.id, doc);
    const [row] = await db.tenant(company.id, (tx) =>
      tx.query<{ text: string; tokens: string; anchor: { heading: string } }>(
        'SELECT text, tokens, anchor FROM chunks WHERE tenant_id = $1',
        [company.id],
      ),
    );
    expect(row).toEqual({ text: '前\ufffd後', tokens: '前\ufffd 後', anchor: { heading: '見出し\ufffd' } });
  });
});
