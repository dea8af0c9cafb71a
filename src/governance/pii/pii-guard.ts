import { PiiBlockedError } from './pii-blocked-error.js';
import type { PiiScanner } from './pii-scanner.js';
import { PII_TYPES, type PiiType } from './pii-types.js';
import type { PseudonymMap } from './pseudonym-map.js';

/** The company policy's PII mode (issue 5): what happens to personal data before a model call. */
export const PII_MODES = ['off', 'detect', 'pseudonymize', 'block'] as const;
export type PiiMode = (typeof PII_MODES)[number];

/** What was found, safe to log and audit: types and counts, never values. */
export interface PiiReport {
  readonly mode: PiiMode;
  readonly counts: Readonly<Partial<Record<PiiType, number>>>;
  readonly total: number;
}

export interface GuardedText {
  /** The text to send: pseudonymised in `pseudonymize` mode, unchanged otherwise. */
  readonly text: string;
  readonly report: PiiReport;
}

/**
 * Applies a PII mode to one outgoing text (a prompt, a message, a tool result):
 * off → unchanged, nothing scanned; detect → unchanged, report only; pseudonymize → values replaced
 * by the conversation's placeholders; block → PiiBlockedError (`pii_blocked`) when anything is found.
 */
export class PiiGuard {
  constructor(private readonly scanner: PiiScanner) {}

  protect(mode: PiiMode, text: string, map: PseudonymMap): GuardedText {
    if (mode === 'off') return { text, report: { mode, counts: {}, total: 0 } };
    const matches = this.scanner.scan(text);
    const counts: Partial<Record<PiiType, number>> = {};
    for (const m of matches) counts[m.type] = (counts[m.type] ?? 0) + 1;
    const report: PiiReport = { mode, counts, total: matches.length };
    if (mode === 'block' && matches.length > 0) {
      throw new PiiBlockedError(PII_TYPES.filter((t) => counts[t] !== undefined));
    }
    if (mode !== 'pseudonymize') return { text, report };
    return { text: map.apply(text, matches).text, report };
  }

  /** The same mode over several texts of one call (messages, tool results), one map. */
  protectAll(
    mode: PiiMode,
    texts: readonly string[],
    map: PseudonymMap,
  ): { texts: string[]; report: PiiReport } {
    const results = texts.map((t) => this.protect(mode, t, map));
    const counts: Partial<Record<PiiType, number>> = {};
    for (const r of results) {
      for (const [type, n] of Object.entries(r.report.counts) as [PiiType, number][])
        counts[type] = (counts[type] ?? 0) + n;
    }
    return {
      texts: results.map((r) => r.text),
      report: { mode, counts, total: results.reduce((a, r) => a + r.report.total, 0) },
    };
  }

  /** The model's answer with the conversation's values back in place (pseudonymize mode); other modes: unchanged. */
  restore(mode: PiiMode, answer: string, map: PseudonymMap): string {
    return mode === 'pseudonymize' ? map.restore(answer) : answer;
  }
}
