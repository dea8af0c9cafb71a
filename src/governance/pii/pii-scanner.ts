import type { MorphTokenizer } from '../../search/analysis/morph.js';
import { detectAddresses } from './detectors/address.js';
import { detectBankAccounts } from './detectors/bank-account.js';
import { detectCorporateNumbers } from './detectors/corporate-number.js';
import { detectCreditCards } from './detectors/credit-card.js';
import { detectEmails } from './detectors/email.js';
import { detectEnglishNames } from './detectors/english-name.js';
import { JapaneseNameDetector } from './detectors/japanese-name.js';
import { detectMyNumbers } from './detectors/my-number.js';
import { detectPhones } from './detectors/phone.js';
import { detectPostalCodes } from './detectors/postal-code.js';
import { foldWidth } from './fold-width.js';
import { numericCandidates } from './numeric-candidates.js';
import type { PiiMatch, PiiType, ScanText } from './pii-types.js';
import { resolveOverlaps } from './resolve-overlaps.js';

export interface PiiScannerOptions {
  /** The morphological analyser search already loaded (src/search/analysis); names need it. */
  readonly tokenizer: MorphTokenizer;
  /** Matches below this confidence are dropped. Default 0.5 (every detector's floor is above it). */
  readonly minConfidence?: number;
  /** Analysed name windows kept between calls (default 4096; 0 disables the cache). */
  readonly nameWindowCacheSize?: number;
  /** Restrict to these types (default: all). */
  readonly types?: readonly PiiType[];
}

/** Finds personal data in Japanese and English text. Stateless and synchronous; share one per process. */
export class PiiScanner {
  private readonly minConfidence: number;
  private readonly types: ReadonlySet<PiiType> | null;
  private readonly names: JapaneseNameDetector;

  constructor(options: PiiScannerOptions) {
    this.names = new JapaneseNameDetector(options.tokenizer, options.nameWindowCacheSize);
    this.minConfidence = options.minConfidence ?? 0.5;
    this.types = options.types ? new Set(options.types) : null;
  }

  /** Non-overlapping matches sorted by start; offsets index the text as given. */
  scan(original: string): PiiMatch[] {
    const text: ScanText = { original, folded: foldWidth(original) };
    const numbers = numericCandidates(text.folded);
    const found = [
      ...detectMyNumbers(text, numbers),
      ...detectCorporateNumbers(text, numbers),
      ...detectCreditCards(text, numbers),
      ...detectBankAccounts(text),
      ...detectEmails(text),
      ...detectPhones(text),
      ...detectPostalCodes(text),
      ...detectAddresses(text),
      ...this.names.detect(text),
      ...detectEnglishNames(text),
    ].filter((m) => m.confidence >= this.minConfidence && (this.types === null || this.types.has(m.type)));
    return resolveOverlaps(found);
  }
}
