import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RetrievalBenchReport } from '../../search/bench/retrieval-bench.js';
import type { CliContext } from '../cli-context.js';
import { registerBenchAnswerCommand } from './bench-answer-command.js';

export const positive = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`${what} must be a positive whole number`);
  return n;
};

export const collect = (value: string, previous: string[] = []) => [...previous, value];

interface RetrievalOptions {
  dataset: string;
  distractors?: string[];
  json?: boolean;
  dbUrl?: string;
  scale?: number;
  engine: 'auto' | 'pg_textsearch' | 'portable';
  queries?: number;
}

const f4 = (n: number) => n.toFixed(4);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function print(out: (line: string) => void, r: RetrievalBenchReport): void {
  out(`database     ${r.database}, BM25 by ${r.engine}`);
  out(`corpus       ${r.documents} documents, ${r.chunks} chunks; ${r.queries} questions`);
  out(`nDCG@10      ${f4(r.quality.ndcg10)} ± ${f4(r.quality.ndcg10Ci95)}`);
  out(`MRR@10       ${f4(r.quality.mrr10)}`);
  out(
    `Recall@1/5/20 ${f4(r.quality.r1)} / ${f4(r.quality.r5)} / ${f4(r.quality.r20)}  (${r.quality.misses20} questions without their paragraph in the top 20)`,
  );
  out(
    `index time   ${(r.index.ms / 1000).toFixed(1)} s (${((r.documents / r.index.ms) * 1000).toFixed(0)} documents/s, ingest end to end)`,
  );
  const g = r.index.scale;
  if (g !== undefined)
    out(
      `scale        +${g.chunks} generated chunks in ${g.documents} documents (${g.sentences} sentences analysed once in ${(g.analyseMs / 1000).toFixed(1)} s; composed tokens = whole-text analysis for ${(g.composedAgreement * 100).toFixed(1)} % of a sample); load ${(g.loadMs / 1000).toFixed(1)} s, index build ${(g.buildMs / 1000).toFixed(1)} s; index +${mib(g.bytes)}`,
    );
  if (r.index.base !== undefined) out(`base index   ${mib(r.index.base.bytes)} before the generated chunks`);
  const parts = Object.entries(r.index.parts)
    .map(([k, v]) => `${k} ${mib(v)}`)
    .join(', ');
  out(`index size   ${mib(r.index.bytes)} (${parts})`);
  out(
    `query        p50 ${ms(r.query.p50Ms)}, p95 ${ms(r.query.p95Ms)}, p99 ${ms(r.query.p99Ms)}, mean ${ms(r.query.meanMs)} (search service end to end)`,
  );
  if (r.rebuild) {
    out(
      `rebuild      ${(r.rebuild.ms / 1000).toFixed(1)} s (bm25 index rebuilt from its table, as after a restart)`,
    );
    out(
      `query after  p50 ${ms(r.rebuild.query.p50Ms)}, p95 ${ms(r.rebuild.query.p95Ms)}, p99 ${ms(r.rebuild.query.p99Ms)}; nDCG@10 ${f4(r.rebuild.ndcg10)}`,
    );
  }
}

/** `kura bench retrieval`: benchmarks the product's own ingest and search path (DESIGN.md). */
export function registerBenchCommands(program: Command, ctx: CliContext): void {
  const bench = program.command('bench').description('benchmarks of the product path');
  bench
    .command('retrieval')
    .description(
      'index SQuAD-format paragraphs with the real ingest path in a fresh database, ask its questions, print quality and speed',
    )
    .requiredOption('--dataset <file>', 'SQuAD-format JSON: its questions, and its paragraphs as the corpus')
    .option('--distractors <file>', 'more paragraphs (SQuAD-format JSON; repeatable)', collect)
    .option('--json', 'print the report as JSON')
    .option('--db-url <url>', 'run on this PostgreSQL server (a fresh database is created there and dropped)')
    .option(
      '--scale <chunks>',
      'add generated distractor chunks until the company has this many',
      positive('--scale'),
    )
    .option('--queries <n>', 'ask only the first n questions', positive('--queries'))
    .addOption(
      new Option('--engine <engine>', 'BM25 path')
        .choices(['auto', 'pg_textsearch', 'portable'])
        .default('auto'),
    )
    .action(async (opts: RetrievalOptions) => {
      const { runRetrievalBench } = await import('../../search/bench/retrieval-bench.js');
      const report = await runRetrievalBench({
        dataset: opts.dataset,
        distractors: opts.distractors ?? [],
        dbUrl: opts.dbUrl,
        scale: opts.scale,
        engine: opts.engine,
        maxQueries: opts.queries,
        embeddedBuffersMb: ctx.config().embeddedBuffersMb,
        logger: ctx.logger('warn'),
        progress: opts.json ? undefined : (line) => ctx.io.err(line),
      });
      if (opts.json) ctx.io.out(JSON.stringify(report, null, 2));
      else print(ctx.io.out, report);
    });
  registerBenchAnswerCommand(bench, ctx);
}
