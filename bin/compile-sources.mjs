// The `kura` command runs JavaScript compiled from the TypeScript sources, not the sources through
// tsx: loading through tsx's hooks costs about a second at every start and every thread start.
// Each file under src/ is compiled on its own (esbuild, no bundling) into dist/<stamp>/src/, where
// <stamp> hashes every source file's path, size and time: a change to the sources means a new
// folder, compiled once by the first command that needs it. A folder is complete when it exists
// (it is renamed into place), and one a running server loaded from stays until two newer ones
// exist, so a rebuild never pulls files from under it.
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Bumped when the way of compiling changes, so older folders are not taken for current ones. */
const LAYOUT = 'per-file esm node20, v1';
/** What the sources read beside src/ at run time, by paths relative to their own files. */
const BESIDE_SOURCES = ['migrations', 'web', 'package.json'];
const KEPT_BUILDS = 3;
const TESTS = /\.test(-support)?\.ts$/;

/**
 * The compiled folder for the project at `root` (compiling it first when the sources changed), or
 * null when it cannot be had (esbuild missing, a read-only checkout): the caller then runs the
 * sources through tsx. `say` hears one line when compiling starts and why it failed, if it did.
 */
export async function compiledSources(root, say = () => {}) {
  try {
    const sources = listFiles(path.join(root, 'src'));
    // Its version from its package file: importing it costs more than the rest of this check.
    const require = createRequire(path.join(root, 'package.json'));
    const { version } = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8'));
    const stamp = sourceStamp(root, sources, version);
    const builds = path.join(root, 'dist');
    const dir = path.join(builds, stamp);
    if (existsSync(dir)) return { dir, compiled: false };
    say(`compiling the sources into dist/${stamp} (once after each change to them)`);
    const partial = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await compile(root, sources, partial, await import('esbuild'));
      mkdirSync(builds, { recursive: true });
      renameSync(partial, dir);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      // Another command compiled the same sources meanwhile: theirs is as good.
      if (!existsSync(dir)) throw error;
    }
    removeOldBuilds(builds, dir);
    return { dir, compiled: true };
  } catch (error) {
    say(`running the TypeScript sources directly (slower to start): ${error.message}`);
    return null;
  }
}

async function compile(root, sources, into, esbuild) {
  const src = path.join(root, 'src');
  await esbuild.build({
    entryPoints: sources.filter((file) => file.endsWith('.ts')),
    outdir: path.join(into, 'src'),
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  // Other files under src/ (the demo's documents, the worker wrapper) are read beside the code.
  for (const file of sources.filter((f) => !f.endsWith('.ts')))
    cpSync(file, path.join(into, 'src', path.relative(src, file)));
  for (const name of BESIDE_SOURCES) symlinkSync(path.join('..', '..', name), path.join(into, name));
}

function listFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(file));
    // Tests run from the sources (vitest): they are neither compiled nor part of the stamp.
    else if (entry.isFile() && !TESTS.test(entry.name)) files.push(file);
  }
  return files.sort();
}

function sourceStamp(root, sources, esbuildVersion) {
  const hash = createHash('sha256').update(`${LAYOUT}\0${esbuildVersion}\0`);
  for (const file of sources) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${path.relative(root, file)}\0${size}\0${mtimeMs}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Keeps the newest KEPT_BUILDS folders (and partial ones less than an hour old: still compiling). */
function removeOldBuilds(builds, current) {
  const folders = readdirSync(builds, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = path.join(builds, entry.name);
      return { dir, partial: entry.name.includes('.partial-'), mtimeMs: statSync(dir).mtimeMs };
    });
  const done = folders.filter((f) => !f.partial && f.dir !== current).sort((a, b) => b.mtimeMs - a.mtimeMs);
  const stale = [
    ...done.slice(KEPT_BUILDS - 1),
    ...folders.filter((f) => f.partial && Date.now() - f.mtimeMs > 3_600_000),
  ];
  for (const { dir } of stale) rmSync(dir, { recursive: true, force: true });
}
