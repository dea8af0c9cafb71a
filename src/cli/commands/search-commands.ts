import { InvalidArgumentError, type Command } from 'commander';
import type { SearchResponse } from '../../search/search-service.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('must be a whole number 1–50');
  return n;
}

interface SearchOptions {
  tenant: string;
  json?: boolean;
  limit?: number;
  source?: string;
  type?: string;
}

/** Marks highlights for a terminal: bold when standard output is one, 【…】-free plain text otherwise. */
function mark(text: string, highlights: { start: number; end: number }[], tty: boolean): string {
  if (!tty) return text;
  let out = '';
  let at = 0;
  for (const h of highlights) {
    out += `${text.slice(at, h.start)}\u001b[1m${text.slice(h.start, h.end)}\u001b[22m`;
    at = h.end;
  }
  return out + text.slice(at);
}

/** `kura search --tenant T [--json] [--limit N] "<query>"`: works while a server holds the data directory. */
export function registerSearchCommands(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description("search a company's documents (BM25; as the operator, document permissions do not apply)")
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--json', 'print the whole response as JSON')
    .option('--limit <n>', 'documents to show, 1–50 (default 10)', parseLimit)
    .option('--source <source>', 'only this source (id or name)')
    .option(
      '--type <type>',
      'only this document type (pdf, docx, xlsx, pptx, eml, html, markdown, csv, text)',
    )
    .argument('<query>', 'what to look for, in Japanese or English')
    .action(async (q: string, opts: SearchOptions) => {
      const config = ctx.config();
      const response = (await executeOperation(config, ctx.logger(), 'search.query', {
        tenant: opts.tenant,
        q,
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.source !== undefined ? { source: opts.source } : {}),
        ...(opts.type !== undefined ? { type: opts.type } : {}),
      })) as SearchResponse;
      if (opts.json) {
        ctx.io.out(JSON.stringify(response, null, 2));
        return;
      }
      const tty = process.stdout.isTTY === true;
      if (response.results.length === 0) ctx.io.out('no results');
      response.results.forEach((r, i) => {
        const where = Object.entries(r.anchor)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ');
        ctx.io.out(`${i + 1}. ${r.title}  (score ${r.score.toFixed(3)})`);
        ctx.io.out(`   ${r.uri}${where ? `  [${where}]` : ''}`);
        if (r.snippet) ctx.io.out(`   ${mark(r.snippet, r.highlights, tty)}`);
      });
      const total = `${response.total}${response.totalExact ? '' : '+'}`;
      ctx.io.err(
        `${total} matching document(s); ${response.mode} search via ${response.engine}. ${response.notes.join(' ')}`,
      );
    });
}
