/** The PII module's public surface: what the model gateway imports. */
export { PiiScanner, type PiiScannerOptions } from './pii-scanner.js';
export { PiiGuard, PII_MODES, type PiiMode, type PiiReport, type GuardedText } from './pii-guard.js';
export {
  PseudonymMap,
  pseudonymMapStateSchema,
  type PseudonymMapState,
  type PseudonymizedSpan,
} from './pseudonym-map.js';
export { PiiBlockedError } from './pii-blocked-error.js';
export { PII_TYPES, type PiiType, type PiiMatch } from './pii-types.js';
export { StreamRestorer } from './stream-restorer.js';
