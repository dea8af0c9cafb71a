import type { ModelMessage } from 'ai';
import {
  PII_TYPES,
  PiiBlockedError,
  PseudonymMap,
  StreamRestorer,
  type PiiGuard,
  type PiiMode,
  type PiiReport,
  type PiiType,
} from '../../governance/pii/index.js';
import type { PiiProtection } from './model-gateway.js';

/** Message fields that are structure, not content: never scanned, never rewritten. */
const STRUCTURAL_KEYS = new Set([
  'role',
  'type',
  'toolCallId',
  'toolName',
  'mediaType',
  'providerOptions',
  'providerExecuted',
  'filename',
  'image',
  'data',
  'url',
]);

/**
 * One model call's PII step: every outgoing text goes through `protect` (which also replaces any
 * value the conversation's map already holds, wherever it appears, so a restored name sent back in
 * a later turn leaves as its placeholder even without the context that first revealed it), and
 * everything coming back goes through `restore`. Counts accumulate into one report for metering.
 */
export class PiiShield {
  private readonly counts: Partial<Record<PiiType, number>> = {};
  private total = 0;

  private constructor(
    readonly mode: PiiMode,
    private readonly guard: PiiGuard | null,
    readonly map: PseudonymMap,
  ) {}

  static async open(protection: PiiProtection, tenantId: string, map?: PseudonymMap): Promise<PiiShield> {
    const mode = await protection.modeFor(tenantId);
    const guard = mode === 'off' ? null : await protection.guard();
    return new PiiShield(mode, guard, map ?? new PseudonymMap());
  }

  protect(text: string): string {
    if (this.guard === null || text.length === 0) return text;
    // `block` scans as `detect` first so the refusal is metered with what was found.
    const scanMode = this.mode === 'block' ? 'detect' : this.mode;
    const { text: guarded, report } = this.guard.protect(scanMode, text, this.map);
    for (const [type, n] of Object.entries(report.counts) as [PiiType, number][])
      this.counts[type] = (this.counts[type] ?? 0) + n;
    this.total += report.total;
    if (this.mode === 'block' && report.total > 0)
      throw new PiiBlockedError(PII_TYPES.filter((t) => report.counts[t] !== undefined));
    return this.mode === 'pseudonymize' ? this.replaceKnown(guarded) : guarded;
  }

  protectMessages(messages: readonly ModelMessage[]): ModelMessage[] {
    return messages.map((m) => this.mapStrings(m, (s) => this.protect(s)) as ModelMessage);
  }

  restore(text: string): string {
    return this.mode === 'pseudonymize' ? this.map.restore(text) : text;
  }

  restoreDeep<T>(value: T): T {
    return this.mode === 'pseudonymize' ? (this.mapStrings(value, (s) => this.map.restore(s)) as T) : value;
  }

  /** Restores a streamed answer delta by delta; null when nothing needs restoring. */
  streamRestorer(): StreamRestorer | null {
    return this.mode === 'pseudonymize' ? new StreamRestorer(this.map) : null;
  }

  report(): PiiReport {
    return { mode: this.mode, counts: { ...this.counts }, total: this.total };
  }

  /** Counts for the usage event: null when nothing was scanned. */
  meteredCounts(): Partial<Record<PiiType, number>> | null {
    return this.mode === 'off' ? null : { ...this.counts };
  }

  private replaceKnown(text: string): string {
    if (this.map.size === 0) return text;
    const entries = this.map.toJSON().entries.sort((a, b) => b.value.length - a.value.length);
    let out = text;
    for (const e of entries) {
      if (PII_TYPES.includes(e.type) && out.includes(e.value))
        out = out.split(e.value).join(this.map.placeholderFor(e.type, e.value));
    }
    return out;
  }

  private mapStrings(value: unknown, f: (s: string) => string, key?: string): unknown {
    if (key !== undefined && STRUCTURAL_KEYS.has(key)) return value;
    if (typeof value === 'string') return f(value);
    if (Array.isArray(value)) return value.map((v) => this.mapStrings(v, f));
    if (
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Uint8Array) &&
      !(value instanceof URL)
    )
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.mapStrings(v, f, k)]));
    return value;
  }
}
