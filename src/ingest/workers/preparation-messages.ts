import type { IpadicDictionary } from '../../search/analysis/ipadic-dictionary.js';
import type { StoredChunk } from '../documents/document-types.js';
import type { ParseLimits } from '../parsers/index.js';
import type { PreparedFile } from '../pipeline/prepare-document.js';

/** What the pool sends a preparation worker thread. */
export type PreparationTask =
  | { id: number; kind: 'file'; bytes: Uint8Array; fileName: string }
  | { id: number; kind: 'text'; text: string; heading?: string };

/** What the worker answers; `error` is an unexpected failure (a bug), not a bad file. */
export type PreparationReply =
  | { id: number; kind: 'file'; result: PreparedFile }
  | { id: number; kind: 'text'; result: StoredChunk[] }
  | { id: number; kind: 'error'; message: string };

/** The first message a thread receives: the process's dictionary, in shared memory. */
export interface PreparationSetup {
  kind: 'dictionary';
  dictionary: IpadicDictionary;
}

/** Sent once as workerData. */
export interface PreparationWorkerData {
  limits: ParseLimits | undefined;
}
