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

/** Sent once as workerData. */
export interface PreparationWorkerData {
  limits: ParseLimits | undefined;
}
