/**
 * Requests per minute per company, as a sliding-window counter: the current minute's count plus
 * the previous minute's, weighted by how much of it still lies inside the last 60 s. Two numbers
 * per company, no timers; memory is bounded by the number of companies seen in the last minute.
 *
 * The counters live in this process. With several `kura serve` processes behind a load balancer
 * each counts on its own, so a company gets up to N × its limit (see docs/SECURITY.md).
 */
export class RequestRateLimiter {
  private readonly windows = new Map<string, { start: number; current: number; previous: number }>();

  constructor(private readonly windowMs = 60_000) {}

  /** Counts the request when allowed; otherwise says how long until one more would fit. */
  take(
    key: string,
    limit: number,
    now = Date.now(),
  ): { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number } {
    const start = now - (now % this.windowMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      const previous = window && window.start === start - this.windowMs ? window.current : 0;
      window = { start, current: 0, previous };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.sweep(start);
    }
    const elapsed = (now - start) / this.windowMs;
    const estimate = window.previous * (1 - elapsed) + window.current;
    if (estimate + 1 > limit) {
      return { allowed: false, retryAfterMs: this.waitFor(window, limit, now) };
    }
    window.current += 1;
    return { allowed: true, remaining: Math.max(0, Math.floor(limit - estimate - 1)) };
  }

  /** How long until the weighted count leaves room for one more request. */
  private waitFor(
    window: { start: number; current: number; previous: number },
    limit: number,
    now: number,
  ): number {
    const W = this.windowMs;
    const elapsed = (now - window.start) / W;
    const excess = window.previous * (1 - elapsed) + window.current + 1 - limit;
    const sliding = window.previous * (1 - elapsed);
    // Still inside this window: the previous minute's share shrinks linearly.
    if (window.previous > 0 && excess <= sliding)
      return Math.max(1, Math.ceil((excess / window.previous) * W));
    // Next window: this minute's count becomes the shrinking share.
    const untilNext = window.start + W - now;
    const share = window.current > 0 ? Math.max(0, 1 - (limit - 1) / window.current) : 0;
    return Math.max(1, Math.ceil(untilNext + share * W));
  }
  private sweep(start: number): void {
    for (const [key, window] of this.windows)
      if (window.start < start - this.windowMs) this.windows.delete(key);
  }
}
