import { ParseError } from './parse-error.js';

/**
 * Runs `work` with a deadline. The signal tells parsers that can stop early (officeparser, and our
 * own checks between steps) to stop; the returned promise rejects at the deadline either way. A
 * synchronous stretch inside a library cannot be interrupted from the same thread: a caller that
 * must reclaim the CPU runs parsing in a worker thread and terminates the worker on parse_timeout.
 */
export async function withTimeout<T>(
  timeoutMs: number | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  if (timeoutMs === undefined) return work(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const started = performance.now();
  try {
    const result = await Promise.race([work(controller.signal), deadline]);
    // A parser that never yields (Kura's own DOCX reader) leaves the timer no turn to fire: a result
    // that arrives after its deadline is still a timeout, as it would have been with a turn.
    if (performance.now() - started > timeoutMs) throw timeoutError(timeoutMs);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function timeoutError(timeoutMs: number): ParseError {
  return new ParseError('parse_timeout', `Parsing took longer than ${timeoutMs} ms and was stopped.`);
}
