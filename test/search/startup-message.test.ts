import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { LexicalSearch, searchStartupLine } from '../../src/search/lexical/lexical-search.js';
import { createTestDatabase } from '../helpers/test-database.js';

/** A real logger writing JSON lines into memory. */
function recordingLogger() {
  const lines: { msg: string; engine?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('start-up message about the BM25 path', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it('on a PostgreSQL server without pg_textsearch: the portable path, and a recommendation to install it', async () => {
    const db = await createTestDatabase('postgres');
    opened.push(db);
    const { logger, lines } = recordingLogger();
    const index = await new LexicalSearch(db, { logger }).index();
    expect(index.engine).toBe('portable');
    await new Promise((resolve) => setImmediate(resolve));
    const line = lines.find((l) => l.msg.startsWith('search:'));
    expect(line?.engine).toBe('portable');
    expect(line?.msg).toMatch(/install the pg_textsearch extension/);
    expect(searchStartupLine('portable', 'postgres')).toMatch(/install the pg_textsearch extension/);
  });

  it('embedded: pg_textsearch, nothing to recommend', async () => {
    const db = await createTestDatabase('pglite');
    opened.push(db);
    const { logger, lines } = recordingLogger();
    const search = new LexicalSearch(db, { logger });
    const index = await search.index();
    search.stop();
    expect(index.engine).toBe('pg_textsearch');
    await new Promise((resolve) => setImmediate(resolve));
    const line = lines.find((l) => l.msg.startsWith('search:'));
    expect(line?.msg).not.toMatch(/install/);
    expect(searchStartupLine('pg_textsearch', 'pglite')).not.toMatch(/install/);
    expect(searchStartupLine('pg_textsearch', 'pglite')).toMatch(
      /hybrid with vectors for companies that have an embedding provider/,
    );
  }, 120_000);
});
