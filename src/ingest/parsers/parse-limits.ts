/** Bounds on the work one untrusted file may cause. Every field is optional; defaults below. */
export interface ParseLimits {
  /** Largest input accepted, in bytes. */
  maxBytes?: number;
  /** Largest total an OOXML archive may inflate to (declared and actual). */
  maxUncompressedBytes?: number;
  /** Largest uncompressed/compressed ratio of an OOXML archive or of one of its big entries. */
  maxCompressionRatio?: number;
  /** How deep e-mail attachments are followed (an e-mail inside an e-mail counts one more). */
  maxAttachmentDepth?: number;
  /** Give up waiting after this long. Parsing is CPU-bound: see withTimeout for what this can and cannot stop. */
  timeoutMs?: number;
}

export type ResolvedParseLimits = Required<Omit<ParseLimits, 'timeoutMs'>> & Pick<ParseLimits, 'timeoutMs'>;

const MB = 1024 * 1024;

export const DEFAULT_PARSE_LIMITS: ResolvedParseLimits = {
  maxBytes: 100 * MB,
  maxUncompressedBytes: 500 * MB,
  maxCompressionRatio: 100,
  maxAttachmentDepth: 2,
};

export function resolveParseLimits(limits: ParseLimits = {}): ResolvedParseLimits {
  const pick = (value: number | undefined, fallback: number) =>
    value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
  return {
    maxBytes: pick(limits.maxBytes, DEFAULT_PARSE_LIMITS.maxBytes),
    maxUncompressedBytes: pick(limits.maxUncompressedBytes, DEFAULT_PARSE_LIMITS.maxUncompressedBytes),
    maxCompressionRatio: pick(limits.maxCompressionRatio, DEFAULT_PARSE_LIMITS.maxCompressionRatio),
    maxAttachmentDepth: pick(limits.maxAttachmentDepth, DEFAULT_PARSE_LIMITS.maxAttachmentDepth),
    timeoutMs: limits.timeoutMs !== undefined && limits.timeoutMs > 0 ? limits.timeoutMs : undefined,
  };
}
