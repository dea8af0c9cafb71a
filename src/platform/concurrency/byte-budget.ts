/**
 * Bounds the bytes held at once by work in flight (files read into memory while they are prepared
 * and written). `acquire` waits, in the order asked, until the bytes fit; a request larger than the
 * whole budget goes when nothing else holds any, so one big file still passes, alone.
 */
export class ByteBudget {
  private held = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive number of bytes, not ${limit}`);
  }

  /** Bytes held now (the tests read it). */
  get inUse(): number {
    return this.held;
  }

  /** Resolves once `bytes` are held; call the returned function (once is enough) to give them back. */
  async acquire(bytes: number): Promise<() => void> {
    const amount = Math.max(0, bytes);
    // Bytes are counted as held when granted, so nothing asked meanwhile can overtake or overfill.
    if (this.waiting.length === 0 && this.fits(amount)) this.held += amount;
    else await new Promise<void>((grant) => this.waiting.push({ bytes: amount, grant }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= amount;
      this.grantWaiting();
    };
  }

  private fits(bytes: number): boolean {
    return this.held === 0 || this.held + bytes <= this.limit;
  }

  /** First come, first served: a large request at the head is not overtaken by smaller ones behind it. */
  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.held += next.bytes;
      next.grant();
    }
  }
}
