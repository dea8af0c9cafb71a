import { InvalidRequestError } from '../../platform/errors/errors.js';

/** A semantic query that names something the model does not have, or asks for the impossible. */
export class InvalidQueryError extends InvalidRequestError {
  constructor(message: string, code = 'invalid_query') {
    super(message, code);
  }
}
