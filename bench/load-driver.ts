/**
 * The load driver of `npm run bench:load` (and of its smoke test): concurrent clients of two or more
 * companies searching, asking and uploading against a running Kura, for a fixed time. Every document
 * of a company carries that company's marker word in its title and text, so an answer that shows
 * another company's marker is a cross-company leak. Counts 5xx and leaks; times every operation.
 */

export type Operation = 'search' | 'ask' | 'upload';
export const OPERATIONS: Operation[] = ['search', 'ask', 'upload'];

export interface LoadCompany {
  /** The word every document of this company carries (and no other company's does). */
  marker: string;
  /** API keys that search and ask (clients take turns). */
  keys: string[];
  /** An admin key: uploads are an admin's. */
  uploadKey: string;
}

export interface LoadOptions {
  url: string;
  companies: LoadCompany[];
  clients: number;
  durationMs: number;
  /** The word every company's documents share (what clients search and ask for). */
  sharedWord: string;
  /** Share of operations per kind; the rest of 1 after search and ask is uploads. */
  mix?: { search: number; ask: number };
}

export interface OperationStats {
  count: number;
  /** Latencies in milliseconds, sorted. */
  latencies: number[];
  statuses: Record<number, number>;
}

export interface LoadResult {
  durationMs: number;
  operations: Record<Operation, OperationStats>;
  serverErrors: number;
  /** Network errors (connection refused, reset): the server stopped answering. */
  networkErrors: number;
  /** Answers that carried another company's marker (each a description). */
  leaks: string[];
}

/** A fixed random sequence per client, so runs are comparable. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** A Markdown document of the company: its marker in the title and the text, the shared word in the text. */
export function companyDocument(
  marker: string,
  sharedWord: string,
  n: string,
): { name: string; text: string } {
  return {
    name: `${marker}-${n}.md`,
    text: `# ${marker} ${n}\n\n${sharedWord} の報告書 ${n}。${marker} の売上は前年同期比で増加した。\n\nThe ${sharedWord} report ${n} of ${marker}.`,
  };
}

export async function upload(
  url: string,
  key: string,
  marker: string,
  sharedWord: string,
  n: string,
): Promise<Response> {
  const document = companyDocument(marker, sharedWord, n);
  const form = new FormData();
  form.append('file', new Blob([document.text], { type: 'text/markdown' }), document.name);
  return fetch(`${url}/api/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { url, companies, clients, durationMs, sharedWord } = options;
  const mix = options.mix ?? { search: 0.6, ask: 0.3 };
  const operations = Object.fromEntries(
    OPERATIONS.map((op) => [op, { count: 0, latencies: [], statuses: {} }]),
  ) as unknown as Record<Operation, OperationStats>;
  const leaks: string[] = [];
  let serverErrors = 0;
  let networkErrors = 0;
  const start = performance.now();
  const deadline = start + durationMs;

  async function client(index: number): Promise<void> {
    const company = companies[index % companies.length]!;
    const others = companies.filter((c) => c !== company).map((c) => c.marker);
    const key = company.keys[Math.floor(index / companies.length) % company.keys.length]!;
    const next = random(index * 7919 + 17);
    let uploads = 0;
    while (performance.now() < deadline) {
      const roll = next();
      const op: Operation = roll < mix.search ? 'search' : roll < mix.search + mix.ask ? 'ask' : 'upload';
      const began = performance.now();
      let body: string;
      let status: number;
      try {
        const response =
          op === 'search'
            ? await fetch(`${url}/api/v1/search?q=${encodeURIComponent(sharedWord)}&limit=10`, {
                headers: { authorization: `Bearer ${key}` },
              })
            : op === 'ask'
              ? await fetch(`${url}/api/v1/ask`, {
                  method: 'POST',
                  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
                  body: JSON.stringify({ question: `${sharedWord} の売上は?` }),
                })
              : await upload(url, company.uploadKey, company.marker, sharedWord, `c${index}-u${uploads++}`);
        status = response.status;
        body = await response.text();
      } catch (error) {
        networkErrors++;
        if (networkErrors <= 3) console.error(`${op}: ${(error as Error).message}`);
        continue;
      }
      const stats = operations[op];
      stats.count++;
      stats.latencies.push(performance.now() - began);
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
      if (status >= 500) serverErrors++;
      for (const other of others)
        if (body.includes(other)) leaks.push(`${op} by a client of ${company.marker} saw ${other}`);
      if (op === 'search' && status === 200) {
        const { results } = JSON.parse(body) as { results: { title: string }[] };
        for (const result of results)
          if (!result.title.startsWith(company.marker))
            leaks.push(`search by ${company.marker} found "${result.title}"`);
      }
    }
  }

  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  for (const op of OPERATIONS) operations[op].latencies.sort((x, y) => x - y);
  return { durationMs: performance.now() - start, operations, serverErrors, networkErrors, leaks };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One line per operation: count, throughput, p50/p95/p99, statuses. */
export function report(result: LoadResult): string[] {
  const seconds = result.durationMs / 1000;
  const lines = OPERATIONS.map((op) => {
    const s = result.operations[op];
    const ms = (p: number) => percentile(s.latencies, p).toFixed(0);
    const statuses = Object.entries(s.statuses)
      .map(([code, n]) => `${code}×${n}`)
      .join(' ');
    return `${op.padEnd(6)} ${String(s.count).padStart(6)} ops ${(s.count / seconds).toFixed(1).padStart(7)}/s  p50 ${ms(50)} ms  p95 ${ms(95)} ms  p99 ${ms(99)} ms  [${statuses}]`;
  });
  const total = OPERATIONS.reduce((sum, op) => sum + result.operations[op].count, 0);
  lines.push(
    `total  ${String(total).padStart(6)} ops ${(total / seconds).toFixed(1).padStart(7)}/s  5xx ${result.serverErrors}  network errors ${result.networkErrors}  cross-company results ${result.leaks.length}`,
  );
  return lines;
}
