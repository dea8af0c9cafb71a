/**
 * A company's first load (a sync of many files into a company with nothing indexed yet) writes its
 * chunks without maintaining the search index row by row and builds the index once at the end:
 * see PgTextsearchIndex.firstLoad and PostingsDeferral. Loads of one company in this process that
 * overlap share that work: the first to start decides whether to defer, the last to end builds.
 */
export class FirstLoads {
  private readonly running = new Map<string, number>();

  async run<T>(
    tenantId: string,
    steps: {
      /** Only for the first of overlapping loads: stop maintaining the index (when the company is empty). */
      defer(): Promise<void>;
      load(): Promise<T>;
      /** Only when the last ends, whether it succeeded or not: build what was deferred, if anything. */
      build(): Promise<void>;
    },
  ): Promise<T> {
    const running = (this.running.get(tenantId) ?? 0) + 1;
    this.running.set(tenantId, running);
    try {
      if (running === 1) await steps.defer();
      return await steps.load();
    } finally {
      const left = this.running.get(tenantId)! - 1;
      if (left > 0) this.running.set(tenantId, left);
      else {
        this.running.delete(tenantId);
        await steps.build();
      }
    }
  }
}
