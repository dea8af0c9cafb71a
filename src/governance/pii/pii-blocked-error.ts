import { AppError } from '../../platform/errors/errors.js';
import type { PiiType } from './pii-types.js';

/** The company's policy blocks personal data in model calls. Names the types found, never the values. */
export class PiiBlockedError extends AppError {
  constructor(readonly types: readonly PiiType[]) {
    super(
      422,
      'pii_blocked',
      `The request contains personal data (${types.join(', ')}); this company's policy does not allow sending it to a model.`,
    );
  }
}
