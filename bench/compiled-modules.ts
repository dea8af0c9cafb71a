/**
 * bench:ingest and bench:ingest-rows measure what `kura` runs: the sources compiled into
 * dist/<stamp>/src/ by bin/compile-sources.mjs (the same folder, built once per change), not the
 * TypeScript through tsx. Run from the sources, a preparation thread starts through tsx's loader
 * (≈0.5 s more), and each `import()` a parser makes per file goes through tsx's hooks (≈0.6 ms
 * each). The bench's own code stays TypeScript; every module of src/ it uses comes from here, so
 * no class is loaded twice. Where the sources cannot be compiled, the TypeScript is used, and
 * stderr says so.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledSources } from '../bin/compile-sources.mjs';
import type * as ConnectorsModule from '../src/connectors/connectors-module.js';
import type * as KnowledgeModule from '../src/ingest/knowledge-module.js';
import type * as IngestTrackerModule from '../src/ingest/pipeline/ingest-tracker.js';
import type * as LoggerModule from '../src/platform/log/logger.js';
import type * as ActorModule from '../src/tenancy/actor.js';
import type * as TenancyModule from '../src/tenancy/tenancy-module.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = await compiledSources(root, (line) => console.error(`bench: ${line}`));

/** The module at `file` under src/ (its .js name), compiled when the sources could be compiled. */
export function srcModule<T>(file: string): Promise<T> {
  const base = compiled ? path.join(compiled.dir, 'src') : path.join(root, 'src');
  const name = compiled ? file : file.replace(/\.js$/, '.ts');
  return import(pathToFileURL(path.join(base, name)).href) as Promise<T>;
}

/** Which code the bench runs, for its report. */
export const sourcesRun = compiled ? 'compiled (as `kura` runs them)' : 'TypeScript through tsx';

/** What an ingestion bench wires together: the modules `kura ingest` builds its runtime from. */
export async function ingestionModules() {
  return {
    ...(await srcModule<typeof ConnectorsModule>('connectors/connectors-module.js')),
    ...(await srcModule<typeof KnowledgeModule>('ingest/knowledge-module.js')),
    ...(await srcModule<typeof IngestTrackerModule>('ingest/pipeline/ingest-tracker.js')),
    ...(await srcModule<typeof LoggerModule>('platform/log/logger.js')),
    ...(await srcModule<typeof ActorModule>('tenancy/actor.js')),
    ...(await srcModule<typeof TenancyModule>('tenancy/tenancy-module.js')),
  };
}
