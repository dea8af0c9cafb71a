import { parentPort, workerData } from 'node:worker_threads';
import { loadIpadicDictionary } from './ipadic-dictionary.js';
import type { DictionaryLoaderReply } from './load-dictionary-off-thread.js';

/**
 * A short-lived thread that loads the dictionary (load-dictionary-off-thread.ts) and hands its
 * shared memory to the thread that asked; it ends with that message.
 */
const { dicPath } = workerData as { dicPath: string };
try {
  parentPort!.postMessage({
    ok: true,
    dictionary: await loadIpadicDictionary(dicPath),
  } satisfies DictionaryLoaderReply);
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message } satisfies DictionaryLoaderReply);
}
