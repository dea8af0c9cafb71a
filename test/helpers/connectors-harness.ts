import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnectors, type Connectors } from '../../src/connectors/connectors-module.js';
import { createKnowledge, type Knowledge } from '../../src/ingest/knowledge-module.js';
import type { Database } from '../../src/platform/db/database.js';
import { createAnalyzer, type KuraAnalyzer } from '../../src/search/analysis/create-analyzer.js';
import type { IpadicDictionary } from '../../src/search/analysis/ipadic-dictionary.js';
import {
  loadDefaultDictionary,
  loadKuromojiTokenizer,
} from '../../src/search/analysis/kuromoji-tokenizer.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { createTestDatabase, type Engine } from './test-database.js';
import { randomBytes } from 'node:crypto';
import { createKeyring } from '../../src/platform/crypto/create-keyring.js';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.js';

let dictionary: Promise<IpadicDictionary> | undefined;
let analyzer: Promise<KuraAnalyzer> | undefined;

/** The Japanese dictionary, loaded once per test file. */
export const sharedDictionary = () => (dictionary ??= loadDefaultDictionary());
/** The search analyser over it. */
export const sharedAnalyzer = () =>
  (analyzer ??= loadKuromojiTokenizer(sharedDictionary()).then((tokenizer) => createAnalyzer({ tokenizer })));

export interface ConnectorsHarness {
  db: Database;
  tenancy: Tenancy;
  knowledge: Knowledge;
  connectors: Connectors;
  close(): Promise<void>;
}

/** Sources, syncs and documents over a fresh database of the given engine, sharing one analyser. */
export async function startConnectors(
  engine: Engine,
  ingest: { maxFileBytes?: number; folderRoots?: string[] } = {},
): Promise<ConnectorsHarness> {
  const db = await createTestDatabase(engine);
  // Database sources' credentials are sealed at rest, as in the runtime.
  const keyring = createKeyring(db, new LocalKeyProvider(randomBytes(32)));
  const tenancy = createTenancy(db, {
    sessionTtlMs: 60_000,
    login: { maxFailures: 5, lockoutMs: 60_000 },
    keyring,
  });
  const knowledge = {
    ...createKnowledge(db, { keyring, dictionary: sharedDictionary }),
    analyzer: sharedAnalyzer,
  };
  const connectors = createConnectors(db, knowledge, tenancy, {
    ingest: { maxFileBytes: ingest.maxFileBytes ?? 10 * 1024 * 1024, folderRoots: ingest.folderRoots ?? [] },
  });
  return {
    db,
    tenancy,
    knowledge,
    connectors,
    close: async () => {
      knowledge.lexical.stop();
      await db.close();
    },
  };
}

export const tempFolder = (prefix = 'kura-src-') => mkdtempSync(path.join(os.tmpdir(), prefix));
