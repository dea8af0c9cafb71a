import { randomUUID } from 'node:crypto';
import type { DocumentRepository } from '../../ingest/documents/document-repository.js';
import { sameAcl } from '../../ingest/documents/same-acl.js';
import type { IngestService } from '../../ingest/pipeline/ingest-service.js';
import type { IngestProblem, IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { readByCurrentReader } from '../../ingest/parsers/reader-versions.js';
import { ByteBudget } from '../../platform/concurrency/byte-budget.js';
import { readBounded, TooLargeError } from './read-bounded.js';
import type { SyncStateRepository } from './sync-state-repository.js';
import type { WorkItem } from './work-item.js';

export interface ItemProcessorDeps {
  documents: DocumentRepository;
  state: SyncStateRepository;
  /** The pipeline, loaded on first need: a sync that finds nothing changed never loads the analyser. */
  ingest: () => Promise<IngestService>;
  /** Files larger than this are recorded as too large without being read. */
  maxFileBytes: number;
  /** Bytes of the files being read, prepared and written at once (default IN_FLIGHT_BYTES). */
  inFlightBytes?: number;
}

/**
 * Files in flight are held in memory from their read until their write: with dozens in flight, a
 * folder of large files would otherwise hold dozens of times the upload limit. A file larger than
 * this still goes, alone.
 */
const IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/** Error codes worth another read even when the file looks unchanged. */
const TRANSIENT_CODES = new Set(['read_error', 'parse_timeout']);

/**
 * One work item of a run, to its end: a skipped entry recorded, an unchanged file (size, mtime and
 * ACL as stored, read by the current reader) counted, a failure already recorded reported again,
 * anything else read within the limit and the byte budget and handed to the pipeline. Every outcome
 * goes to the tracker; a failure is also stored on the file's document.
 */
export class ItemProcessor {
  private readonly inFlightBytes: ByteBudget;

  constructor(private readonly deps: ItemProcessorDeps) {
    this.inFlightBytes = new ByteBudget(deps.inFlightBytes ?? IN_FLIGHT_BYTES);
  }

  async process(item: WorkItem, tracker: IngestTracker): Promise<void> {
    const { identity, existing } = item;
    const problem = (
      status: IngestProblem['status'],
      code: string,
      message: string,
      unchanged?: boolean,
    ): IngestProblem => ({
      path: item.label,
      status,
      code,
      message,
      ...(unchanged ? { unchanged } : {}),
    });

    if (item.skip) {
      const { code, message } = item.skip;
      // Left out on purpose (a link out of the root) is skipped; a file Kura could not reach, failed.
      const status = item.skip.failed ? 'failed' : 'skipped';
      if (!(
        existing?.status === status &&
        existing.errorCode === code &&
        sameAcl(existing.acl, identity.acl)
      )) {
        await this.saveProblem(item, code, message, status === 'skipped');
      }
      return tracker.record(status, 0, problem(status, code, message));
    }

    if (
      existing &&
      existing.sizeBytes === identity.sizeBytes &&
      existing.modifiedAtMs === identity.modifiedAt?.getTime() &&
      sameAcl(existing.acl, identity.acl)
    ) {
      // A document an older reader read is read again (parsers/reader-versions.ts).
      if (existing.status === 'indexed' && existing.errorCode === null && readByCurrentReader(existing))
        return tracker.record('unchanged', identity.sizeBytes);
      if (existing.status !== 'indexed' && existing.errorCode && !TRANSIENT_CODES.has(existing.errorCode)) {
        return tracker.record(
          existing.status,
          identity.sizeBytes,
          problem(existing.status, existing.errorCode, existing.errorMessage ?? existing.errorCode, true),
        );
      }
    }

    const fail = async (code: string, message: string) => {
      await this.saveProblem(item, code, message, false);
      return tracker.record('failed', identity.sizeBytes, problem('failed', code, message));
    };
    if (identity.sizeBytes > this.deps.maxFileBytes) {
      return fail(
        'too_large',
        `The file is ${identity.sizeBytes} bytes, over the limit of ${this.deps.maxFileBytes} bytes; it was not read.`,
      );
    }
    // Files in flight are held in memory until written: their bytes together stay within a budget.
    const release = await this.inFlightBytes.acquire(identity.sizeBytes);
    try {
      return await this.readAndIngest(item, tracker, problem, fail);
    } finally {
      release();
    }
  }

  /** Records on the item's document why it was skipped or failed (a new document when it had none). */
  private async saveProblem(item: WorkItem, code: string, message: string, skipped: boolean): Promise<void> {
    await this.deps.documents.saveFailure(item.tenantId, {
      id: item.existing?.id ?? randomUUID(),
      identity: item.identity,
      mimeType: null,
      contentHash: null,
      code,
      message,
      skipped,
    });
  }

  private async readAndIngest(
    item: WorkItem,
    tracker: IngestTracker,
    problem: (status: IngestProblem['status'], code: string, message: string) => IngestProblem,
    fail: (code: string, message: string) => Promise<void>,
  ): Promise<void> {
    const { identity, existing, tenantId } = item;
    let bytes: Buffer;
    try {
      bytes = await readBounded(item.read!.path, item.read!.viaSymlink, this.deps.maxFileBytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // Gone between discovery and reading: it is deleted, not failed.
        if (existing && (await this.deps.documents.delete(tenantId, existing.id))) tracker.deleted();
        return tracker.gone();
      }
      if (error instanceof TooLargeError) return fail('too_large', error.message);
      if (code === 'ELOOP')
        return fail(
          'outside_root',
          'The file was replaced by a symbolic link while it was being read; it was not followed.',
        );
      return fail('read_error', `The file could not be read (${code ?? (error as Error).message}).`);
    }
    const outcome = await (
      await this.deps.ingest()
    ).ingest(tenantId, identity, bytes, {
      absent: existing === undefined,
    });
    if (outcome.status === 'failed' || outcome.status === 'skipped') {
      return tracker.record(
        outcome.status,
        identity.sizeBytes,
        problem(outcome.status, outcome.code, outcome.message),
      );
    }
    if (
      outcome.status === 'unchanged' &&
      (outcome.document.sizeBytes !== identity.sizeBytes ||
        outcome.document.modifiedAt !== identity.modifiedAt?.toISOString())
    ) {
      await this.deps.state.touch(tenantId, outcome.document.id, identity.sizeBytes, identity.modifiedAt);
    }
    return tracker.record(outcome.status, identity.sizeBytes);
  }
}
