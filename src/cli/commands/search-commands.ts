import { readFile } from 'node:fs/promises';
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
  from?: string;
  to?: string;
  metadata?: string;
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
    .option('--from <date>', 'only documents modified at or after this date (ISO 8601)')
    .option('--to <date>', 'only documents modified before this date-time (a bare date includes that day)')
    .option(
      '--metadata <json>',
      'only documents whose metadata contains these pairs, e.g. \'{"department":"sales"}\'',
    )
    .argument('<query>', 'what to look for, in Japanese or English')
    .action(async (q: string, opts: SearchOptions) => {
      const config = ctx.config();
      const response = (await executeOperation(
        config,
        ctx.logger(),
        'search.query',
        {
          tenant: opts.tenant,
          q,
          ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
          ...(opts.source !== undefined ? { source: opts.source } : {}),
          ...(opts.type !== undefined ? { type: opts.type } : {}),
          ...(opts.from !== undefined ? { from: opts.from } : {}),
          ...(opts.to !== undefined ? { to: opts.to } : {}),
          ...(opts.metadata !== undefined ? { metadata: opts.metadata } : {}),
        },
        { loadDictionary: true },
      )) as SearchResponse;
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

interface SynonymOptions {
  tenant: string;
  json?: boolean;
  set?: string;
  clear?: boolean;
}

/**
 * A synonym file: a JSON array of groups ([["売上","売上高","revenue"]]) or one group per line with
 * its words separated by commas (# starts a comment).
 */
export function parseSynonymFile(text: string): string[][] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON array of arrays');
    return parsed as string[][];
  }
  return trimmed
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/[,、，]/).map((w) => w.trim()));
}

/** `kura synonyms --tenant T [--set FILE | --clear] [--json]`: shows or replaces a company's search synonyms. */
export function registerSynonymCommands(program: Command, ctx: CliContext): void {
  program
    .command('synonyms')
    .description(
      "show or replace a company's search synonyms (売上 = 売上高 = revenue); applied to queries at once",
    )
    .requiredOption('--tenant <tenant>', 'company slug')
    .option(
      '--set <file>',
      'replace the dictionary: JSON [["売上","売上高","revenue"]] or one comma-separated group per line',
    )
    .option('--clear', 'remove every synonym')
    .option('--json', 'print the dictionary as JSON')
    .action(async (opts: SynonymOptions) => {
      const config = ctx.config();
      let dictionary: { groups: string[][] };
      if (opts.set !== undefined || opts.clear) {
        const groups = opts.clear ? [] : parseSynonymFile(await readFile(opts.set as string, 'utf8'));
        dictionary = (await executeOperation(config, ctx.logger(), 'search.synonyms.set', {
          tenant: opts.tenant,
          groups,
        })) as { groups: string[][] };
      } else {
        dictionary = (await executeOperation(config, ctx.logger(), 'search.synonyms.get', {
          tenant: opts.tenant,
        })) as { groups: string[][] };
      }
      if (opts.json) {
        ctx.io.out(JSON.stringify(dictionary, null, 2));
        return;
      }
      for (const group of dictionary.groups) ctx.io.out(group.join(', '));
      ctx.io.err(`${dictionary.groups.length} synonym group(s)`);
    });
}
