import { foldWidth } from './fold-width.js';
import type { PiiType } from './pii-types.js';

/**
 * The identity of a value for "same value → same placeholder": 090-1234-5678, ０９０１２３４５６７８
 * and +81 90 1234 5678 are one phone number; e-mail is case-insensitive; names ignore spaces.
 */
export function canonicalValue(type: PiiType, value: string): string {
  const folded = foldWidth(value);
  switch (type) {
    case 'phone': {
      const digits = folded.replace(/\D/g, '');
      return digits.startsWith('81') && folded.trimStart().startsWith('+') ? '0' + digits.slice(2) : digits;
    }
    case 'my_number':
    case 'corporate_number':
    case 'credit_card':
    case 'bank_account':
    case 'postal_code':
      return folded.replace(/\D/g, '');
    case 'email':
      return folded.toLowerCase();
    case 'person_name':
    case 'address':
      return folded.replace(/\s+/g, '');
  }
}
