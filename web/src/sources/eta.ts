/** Time left at the rate so far: null until there is a rate to go by. */
export function remainingMs(done: number, total: number | undefined, elapsedMs: number): number | null {
  if (!total || done <= 0 || done >= total || elapsedMs <= 0) return null;
  return (elapsedMs / done) * (total - done);
}
