/** Public surface of the parsers: one function, its types, its error. */
export { safeFileName, type SafeFileName } from './file-name.js';
export { parseDocument, type ParseHint } from './parse-document.js';
export { ParseError, type ParseErrorCode } from './parse-error.js';
export { DEFAULT_PARSE_LIMITS, resolveParseLimits, type ParseLimits } from './parse-limits.js';
export type {
  Anchor,
  DocumentLanguage,
  ParsedDocument,
  ParsedSection,
  ParsedTable,
  TableCell,
} from './parsed-document.js';
