import { AppError } from '../../platform/errors/errors.js';

/** Stable codes a client or the ingest job can branch on; each document that fails records one. */
export type ParseErrorCode =
  | 'empty_file'
  | 'corrupt_file'
  | 'encrypted_file'
  | 'archive_bomb'
  | 'too_large'
  | 'unsupported_type'
  | 'parse_timeout';

/**
 * Why a file could not be turned into text. 422: the request was understood, the content is the
 * problem. The message is written for the person who uploaded the file, so it is exposed.
 */
export class ParseError extends AppError {
  declare readonly code: ParseErrorCode;

  constructor(code: ParseErrorCode, message: string) {
    super(422, code, message, true);
  }
}
