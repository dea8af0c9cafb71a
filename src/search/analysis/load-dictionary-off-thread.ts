import { Worker } from 'node:worker_threads';
import type { IpadicDictionary } from './ipadic-dictionary.js';

export type DictionaryLoaderReply =
  { ok: true; dictionary: IpadicDictionary } | { ok: false; message: string };

const entry = new URL(
  import.meta.url.endsWith('.ts') ? './dictionary-loader-worker.mjs' : './dictionary-loader-worker.js',
  import.meta.url,
);

/**
 * Loads the dictionary on a thread of its own. The load keeps the thread that runs it busy for
 * ≈0.4 s (copying ≈100 MB out of zlib, reading the word map); on the main thread that time
 * is taken from whatever else a command starts with, such as opening the embedded database.
 * Its arrays are shared memory: they reach this thread without a copy and outlive the loader.
 */
export function loadIpadicDictionaryOffThread(dicPath: string): Promise<IpadicDictionary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: { dicPath } });
    let settled = false;
    worker.once('message', (reply: DictionaryLoaderReply) => {
      settled = true;
      if (reply.ok) resolve(reply.dictionary);
      else reject(new Error(reply.message));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the dictionary's loading thread exited with code ${code}`));
    });
  });
}
