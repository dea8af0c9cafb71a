import { fileURLToPath } from 'node:url';
import { compiledSources } from '../../bin/compile-sources.mjs';

/**
 * Compiles the sources the way `kura` does (bin/compile-sources.mjs) before any test starts
 * `bin/kura.mjs`, so no test waits for it or reads its "compiling" line in a child's output.
 */
export default async function setup(): Promise<void> {
  const failure: string[] = [];
  const build = await compiledSources(fileURLToPath(new URL('../..', import.meta.url)), (line) =>
    failure.push(line),
  );
  if (build === null) throw new Error(`the sources could not be compiled: ${failure.join('; ')}`);
}
