import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../runtime.js';
import { generatedDocuments } from './demo-generated.js';

/** The source the demo documents of each company live in (an upload source: no folder to sync). */
export const DEMO_SOURCE_NAME = 'デモ文書';

/** Text, Markdown and HTML documents written for the demo, one folder per company slug. */
const DOCUMENTS_DIR = fileURLToPath(new URL('./documents/', import.meta.url));

const marker = (slug: string) => `demo_documents:${slug}`;

export interface DemoDocumentsResult {
  company: string;
  indexed: number;
  failed: string[];
}

/** The demo documents of one company: the files under documents/<slug>, then the XLSX and PDF built by code. */
export async function demoDocuments(slug: string): Promise<{ fileName: string; bytes: Buffer }[]> {
  const dir = path.join(DOCUMENTS_DIR, slug);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    names = [];
  }
  const files = names.map((fileName) => ({ fileName, bytes: readFileSync(path.join(dir, fileName)) }));
  return [...files, ...(await generatedDocuments(slug))];
}

/**
 * Indexes each demo company's own documents, once (a marker per company; a crash midway simply
 * re-runs, unchanged files being recognised by their hash). Each company's set differs, so the
 * isolation between companies shows in the first search.
 */
export async function seedDemoDocuments(
  rt: Runtime,
  slugs: readonly string[],
): Promise<DemoDocumentsResult[]> {
  const results: DemoDocumentsResult[] = [];
  for (const slug of slugs) {
    const done = await rt.db.global((tx) =>
      tx.query('SELECT 1 FROM instance_settings WHERE key = $1', [marker(slug)]),
    );
    if (done.length > 0) continue;
    const company = await rt.tenancy.repos.companies.findBySlug(slug);
    if (!company) continue;
    const documents = await demoDocuments(slug);
    if (documents.length === 0) continue;
    const source = await rt.connectors.sources.uploadSource(company.id, DEMO_SOURCE_NAME);
    const ingest = await rt.connectors.ingest();
    const result: DemoDocumentsResult = { company: slug, indexed: 0, failed: [] };
    for (const { fileName, bytes } of documents) {
      const outcome = await ingest.ingest(
        company.id,
        {
          sourceId: source.id,
          externalId: `demo/${fileName}`,
          title: fileName,
          uri: `kura://demo/${slug}/${encodeURIComponent(fileName)}`,
          sizeBytes: bytes.length,
          modifiedAt: null,
          acl: ['everyone'],
        },
        bytes,
      );
      if (outcome.status === 'failed' || outcome.status === 'skipped') {
        result.failed.push(`${fileName}: ${outcome.message}`);
        rt.logger.warn(
          { company: slug, file: fileName, code: outcome.code },
          `demo document not indexed: ${outcome.message}`,
        );
      } else result.indexed++;
    }
    await rt.db.global((tx) =>
      tx.query('INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        marker(slug),
        JSON.stringify({ at: new Date().toISOString(), indexed: result.indexed }),
      ]),
    );
    results.push(result);
  }
  return results;
}
