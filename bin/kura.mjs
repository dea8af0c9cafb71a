#!/usr/bin/env node
// The `kura` command: runs the sources compiled into dist/ (bin/compile-sources.mjs), or the
// TypeScript sources through tsx where they cannot be compiled.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledSources } from './compile-sources.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = await compiledSources(root, (line) => process.stderr.write(`kura: ${line}\n`));
let main;
if (build) ({ main } = await import(pathToFileURL(path.join(build.dir, 'src', 'cli', 'main.js')).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
