import type { PseudonymMap } from './pseudonym-map.js';

/** Any bracket a placeholder may open with (see placeholders.ts) and the longest echo worth waiting for. */
const OPENERS = /[〔［[【「『〈《＜<（(｛{]/g;
const CLOSERS = /[〕］\]】」』〉》＞>）)｝}]/;
const MAX_PLACEHOLDER = 32;

/**
 * Restores a streamed answer chunk by chunk. A placeholder can arrive split across chunks ("〔氏" +
 * "名1〕"), so text from an unclosed bracket near the end is held back until the next chunk closes
 * it (or it grows past any placeholder's length); flush() at the end of the stream.
 */
export class StreamRestorer {
  private pending = '';

  constructor(private readonly map: PseudonymMap) {}

  push(chunk: string): string {
    const text = this.pending + chunk;
    const hold = this.holdFrom(text);
    this.pending = text.slice(hold);
    return this.map.restore(text.slice(0, hold));
  }

  flush(): string {
    const rest = this.map.restore(this.pending);
    this.pending = '';
    return rest;
  }

  /** Index from which the text may still be an incomplete placeholder; text.length when none. */
  private holdFrom(text: string): number {
    const from = Math.max(0, text.length - MAX_PLACEHOLDER);
    OPENERS.lastIndex = from;
    let open = -1;
    for (let m = OPENERS.exec(text); m !== null; m = OPENERS.exec(text)) open = m.index;
    if (open < 0 || CLOSERS.test(text.slice(open + 1))) return text.length;
    return open;
  }
}
