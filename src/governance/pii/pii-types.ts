/** The kinds of personal data Kura recognises, in the order overlaps are resolved when all else ties. */
export const PII_TYPES = [
  'my_number',
  'corporate_number',
  'credit_card',
  'bank_account',
  'email',
  'phone',
  'postal_code',
  'address',
  'person_name',
] as const;

export type PiiType = (typeof PII_TYPES)[number];

/** One finding. `start`/`end` are UTF-16 offsets into the ORIGINAL text; `value` is that slice. */
export interface PiiMatch {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly value: string;
  /** 0..1: how sure the detector is (context words, check digits, morphological tags). */
  readonly confidence: number;
}

/**
 * The text a detector scans. `folded` has exactly the same length as `original` (every UTF-16 unit
 * maps to one unit), so an offset found in `folded` is valid in `original`.
 */
export interface ScanText {
  readonly original: string;
  readonly folded: string;
}

export interface PiiDetector {
  readonly type: PiiType;
  detect(text: ScanText): PiiMatch[];
}

export function matchAt(
  text: ScanText,
  type: PiiType,
  start: number,
  end: number,
  confidence: number,
): PiiMatch {
  return { type, start, end, value: text.original.slice(start, end), confidence };
}
