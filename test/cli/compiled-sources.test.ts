import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledSources } from '../../bin/compile-sources.mjs';
import type { DocumentPreparer } from '../../src/ingest/pipeline/prepare-document.js';
import type { IpadicDictionary } from '../../src/search/analysis/ipadic-dictionary.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const importFrom = async <T>(dir: string, file: string): Promise<T> =>
  (await import(pathToFileURL(path.join(dir, 'src', file)).href)) as T;

/** A small project laid out like Kura's: src/ (code, a test, a text file beside the code), migrations/. */
function project(): { root: string; write(file: string, text: string): void; builds(): string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kura-compile-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('package.json', '{ "type": "module" }');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  write('migrations/0001_first.sql', 'CREATE TABLE first ();');
  write('src/name.ts', "export const name: string = '蔵';");
  write('src/words.txt', 'ようこそ');
  write(
    'src/greet.ts',
    `import { readFileSync } from 'node:fs';
     import { name } from './name.js';
     const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');
     export const greet = (): string => read('./words.txt') + name + ' ' + read('../migrations/0001_first.sql');`,
  );
  write('src/greet.test.ts', "import { greet } from './greet.js'; greet();");
  const builds = () =>
    existsSync(path.join(root, 'dist')) ? readdirSync(path.join(root, 'dist')).sort() : [];
  return { root, write, builds };
}

describe('compiled sources (bin/compile-sources.mjs)', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const make = () => {
    const p = project();
    roots.push(p.root);
    return p;
  };
  const greeting = async (dir: string) => (await importFrom<{ greet(): string }>(dir, 'greet.js')).greet();

  it('compiles once, runs with the files beside the sources, and compiles again only after a change', async () => {
    const p = make();
    const said: string[] = [];
    const first = await compiledSources(p.root, (line) => said.push(line));
    expect(first).toMatchObject({ compiled: true });
    expect(said).toEqual([expect.stringMatching(/^compiling the sources into dist\/[0-9a-f]{16} /)]);
    expect(await greeting(first!.dir)).toBe('ようこそ蔵 CREATE TABLE first ();');
    expect(existsSync(path.join(first!.dir, 'src', 'greet.test.js'))).toBe(false);

    expect(await compiledSources(p.root)).toEqual({ dir: first!.dir, compiled: false });
    p.write('src/greet.test.ts', '// a test changed: nothing to compile');
    expect(await compiledSources(p.root)).toEqual({ dir: first!.dir, compiled: false });

    p.write('src/name.ts', "export const name: string = 'Kura';");
    const second = await compiledSources(p.root);
    expect(second).toMatchObject({ compiled: true });
    expect(second!.dir).not.toBe(first!.dir);
    expect(await greeting(second!.dir)).toBe('ようこそKura CREATE TABLE first ();');
  });

  it('keeps the three newest builds, so a server running an older one keeps its files', async () => {
    const p = make();
    const dirs: string[] = [];
    for (const name of ['a', 'bb', 'ccc', 'dddd']) {
      p.write('src/name.ts', `export const name = '${name}';`);
      dirs.push((await compiledSources(p.root))!.dir);
    }
    expect(p.builds()).toEqual(
      dirs
        .slice(1)
        .map((dir) => path.basename(dir))
        .sort(),
    );
  });

  it('gives two commands that start at once the same complete build', async () => {
    const p = make();
    const [one, two] = await Promise.all([compiledSources(p.root), compiledSources(p.root)]);
    expect(one!.dir).toBe(two!.dir);
    expect(p.builds()).toEqual([path.basename(one!.dir)]);
    expect(await greeting(one!.dir)).toBe('ようこそ蔵 CREATE TABLE first ();');
  });

  it('says why when it cannot compile, leaves no partial build, and the caller falls back', async () => {
    const p = make();
    const good = await compiledSources(p.root);
    p.write('src/name.ts', 'export const name = ;');
    const said: string[] = [];
    expect(await compiledSources(p.root, (line) => said.push(line))).toBeNull();
    expect(said.at(-1)).toMatch(/^running the TypeScript sources directly \(slower to start\): .*name\.ts/s);
    expect(p.builds()).toEqual([path.basename(good!.dir)]);

    const readOnly = make();
    readOnly.write('dist', 'a file where the builds would go');
    const why: string[] = [];
    expect(await compiledSources(readOnly.root, (line) => why.push(line))).toBeNull();
    expect(why.at(-1)).toMatch(/^running the TypeScript sources directly/);
  });

  it('runs the TypeScript through tsx, and says so, where the sources cannot be compiled', () => {
    // A checkout whose dist/ cannot be written: the same bin/ and sources, dist/ a plain file.
    const root = make().root;
    mkdirSync(path.join(root, 'bin'));
    for (const file of ['kura.mjs', 'compile-sources.mjs'])
      writeFileSync(path.join(root, 'bin', file), readFileSync(path.join(REPO, 'bin', file)));
    rmSync(path.join(root, 'src'), { recursive: true });
    symlinkSync(path.join(REPO, 'src'), path.join(root, 'src'));
    writeFileSync(path.join(root, 'dist'), 'not a folder');
    const help = spawnSync(process.execPath, [path.join(root, 'bin', 'kura.mjs'), '--help'], {
      encoding: 'utf8',
    });
    expect(help.stderr.trim().split('\n').at(-1)).toMatch(
      /^kura: running the TypeScript sources directly \(slower to start\): .*dist/,
    );
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kura');
  });

  it('starts the runtime and the server without the libraries only some commands need', async () => {
    const build = await compiledSources(REPO);
    const dir = make().root;
    // A loader hook that lists every package a module is loaded from (ESM and CommonJS alike).
    writeFileSync(
      path.join(dir, 'hooks.mjs'),
      `export async function load(url, context, next) {
         const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(url);
         if (m) process.stderr.write('package ' + m[1] + '\\n');
         return next(url, context);
       }`,
    );
    writeFileSync(
      path.join(dir, 'register.mjs'),
      `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});`,
    );
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(dir, 'register.mjs')).href,
        '--input-type=module',
        '-e',
        ['cli/runtime.js', 'api/server.js']
          .map(
            (file) =>
              `await import(${JSON.stringify(pathToFileURL(path.join(build!.dir, 'src', file)).href)});`,
          )
          .join('\n'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    const loaded = new Set([...run.stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1]));
    expect(loaded).toContain('@electric-sql/pglite');
    expect(loaded).toContain('fastify');
    for (const name of [
      'ai',
      '@ai-sdk/openai',
      '@modelcontextprotocol/sdk',
      'pg',
      'mysql2',
      'better-sqlite3',
      'yaml',
      'officeparser',
      'undici',
    ])
      expect(loaded, name).not.toContain(name);
  });

  it('runs Kura compiled: the command, and a preparation thread started from the compiled worker', async () => {
    const build = await compiledSources(REPO);
    expect(build).not.toBeNull();
    const help = spawnSync(process.execPath, [path.join(REPO, 'bin', 'kura.mjs'), '--help'], {
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kura');
    expect(help.stderr).toBe('');

    const { PreparationPool } = await importFrom<{
      PreparationPool: new (o: {
        threads: number;
        dictionary: () => Promise<IpadicDictionary>;
      }) => DocumentPreparer & {
        close(): Promise<void>;
      };
    }>(build!.dir, 'ingest/workers/preparation-pool.js');
    const { loadDefaultDictionary } = await importFrom<{
      loadDefaultDictionary(): Promise<IpadicDictionary>;
    }>(build!.dir, 'search/analysis/kuromoji-tokenizer.js');
    const pool = new PreparationPool({ threads: 1, dictionary: loadDefaultDictionary });
    try {
      const prepared = await pool.prepareFile(Buffer.from('経費精算規程を改定する。'), '規程.txt');
      expect(prepared).toMatchObject({ ok: true });
      if (prepared.ok) expect(prepared.chunks.flatMap((c) => c.tokens.split(' '))).toContain('経費');
    } finally {
      await pool.close();
    }
  }, 120_000);
});
