import type { ParsedDocument, ParsedSection, ParsedTable } from '../parsed-document.js';
import type { ResolvedParseLimits } from '../parse-limits.js';

/** What one format's parser found; parseDocument adds the title fallback, MIME type and language. */
export interface FormatResult {
  sections: ParsedSection[];
  tables?: ParsedTable[];
  attachments?: ParsedDocument[];
  /** The document's own title, where the format has a trustworthy one (HTML <title>, a subject line). */
  title?: string;
  metadata?: Record<string, string>;
  warnings?: string[];
}

export interface FormatContext {
  limits: ResolvedParseLimits;
  /** Aborted when the caller's time budget runs out, for parsers that can stop early. */
  signal: AbortSignal;
  /** 0 for the file itself, +1 for each e-mail attachment level. */
  depth: number;
}
