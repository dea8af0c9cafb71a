import { AppError } from '../../platform/errors/errors.js';

/** A model call the company's residency policy forbids, or one the guard could not evaluate. */
export class ResidencyViolationError extends AppError {
  constructor(message: string) {
    super(403, 'residency_violation', message, true);
  }
}
