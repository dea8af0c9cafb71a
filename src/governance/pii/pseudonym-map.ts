import { z } from 'zod';
import { canonicalValue } from './canonical-value.js';
import { ECHOED_PLACEHOLDER, parseNumber, placeholderText, typeOfLabel } from './placeholders.js';
import { PII_TYPES, type PiiMatch, type PiiType } from './pii-types.js';

/** What a conversation persists: every value it has replaced and the placeholder it got. */
export const pseudonymMapStateSchema = z.object({
  version: z.literal(1),
  entries: z.array(
    z.object({
      type: z.enum(PII_TYPES),
      n: z.number().int().positive(),
      /** The value as first seen; restore() writes this back. */
      value: z.string().min(1),
    }),
  ),
});
export type PseudonymMapState = z.infer<typeof pseudonymMapStateSchema>;

/** A replaced span: where the placeholder now stands, never the value. */
export interface PseudonymizedSpan {
  readonly type: PiiType;
  readonly placeholder: string;
}

/**
 * One conversation's value ↔ placeholder table. The same value (after canonicalisation: widths,
 * separators, case) always gets the same placeholder, numbered per type in order of appearance.
 * Serialise with toJSON() and restore with PseudonymMap.fromJSON() to keep placeholders stable
 * across the turns of a persisted conversation. The state holds the personal values: store it
 * like the conversation itself (tenant-scoped), never in logs.
 */
export class PseudonymMap {
  private readonly byCanonical = new Map<string, { type: PiiType; n: number; value: string }>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counters = new Map<PiiType, number>();

  static fromJSON(state: unknown): PseudonymMap {
    const parsed = pseudonymMapStateSchema.parse(state);
    const map = new PseudonymMap();
    for (const e of parsed.entries) map.add(e.type, e.n, e.value);
    return map;
  }

  toJSON(): PseudonymMapState {
    return {
      version: 1,
      entries: [...this.byCanonical.values()].map(({ type, n, value }) => ({ type, n, value })),
    };
  }

  get size(): number {
    return this.byCanonical.size;
  }

  /** The placeholder for a value, allocating the next number of its type on first sight. */
  placeholderFor(type: PiiType, value: string): string {
    const existing = this.byCanonical.get(key(type, value));
    if (existing !== undefined) return placeholderText(type, existing.n);
    const n = (this.counters.get(type) ?? 0) + 1;
    this.add(type, n, value);
    return placeholderText(type, n);
  }

  /** Replaces each match (non-overlapping, offsets into `text`) with its placeholder. */
  apply(text: string, matches: readonly PiiMatch[]): { text: string; spans: PseudonymizedSpan[] } {
    const parts: string[] = [];
    const spans: PseudonymizedSpan[] = [];
    let at = 0;
    for (const m of [...matches].sort((a, b) => a.start - b.start)) {
      if (m.start < at) continue;
      const placeholder = this.placeholderFor(m.type, text.slice(m.start, m.end));
      parts.push(text.slice(at, m.start), placeholder);
      spans.push({ type: m.type, placeholder });
      at = m.end;
    }
    parts.push(text.slice(at));
    return { text: parts.join(''), spans };
  }

  /**
   * Puts the original values back into a model's answer. Accepts the placeholder as the model may
   * echo it: other brackets (［氏名1］, 【氏名1】, [Name1]), full-width digits, spaces, English labels.
   * Placeholders this conversation never issued are left as they are.
   */
  restore(text: string): string {
    if (this.byPlaceholder.size === 0) return text;
    ECHOED_PLACEHOLDER.lastIndex = 0;
    return text.replace(ECHOED_PLACEHOLDER, (whole, label: string, digits: string) => {
      const type = typeOfLabel(label);
      if (type === undefined) return whole;
      return this.byPlaceholder.get(placeholderText(type, parseNumber(digits))) ?? whole;
    });
  }

  private add(type: PiiType, n: number, value: string): void {
    this.byCanonical.set(key(type, value), { type, n, value });
    this.byPlaceholder.set(placeholderText(type, n), value);
    this.counters.set(type, Math.max(n, this.counters.get(type) ?? 0));
  }
}

function key(type: PiiType, value: string): string {
  return `${type}\u0000${canonicalValue(type, value)}`;
}
