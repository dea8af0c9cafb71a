import type { Command } from 'commander';
import type { AnswerBenchReport } from '../../assistant/bench/answer-bench.js';
import type { CliContext } from '../cli-context.js';
import { collect, positive } from './bench-commands.js';

interface AnswerOptions {
  dataset: string;
  distractors?: string[];
  unanswerable?: string;
  json?: boolean;
  limit?: number;
}

const f4 = (n: number) => n.toFixed(4);

function print(out: (line: string) => void, r: AnswerBenchReport): void {
  out(`corpus        ${r.documents} documents; ${r.questions} answerable questions`);
  out(`answer-hit    ${f4(r.answerHit)} (gold answer inside the ≤ 200-character extractive answer)`);
  out(`citation precision ${f4(r.citationPrecision)} (cited passages that contain the gold answer)`);
  out(`not found     ${f4(r.notFoundOnAnswerable)} of answerable questions (threshold ${r.threshold})`);
  if (r.unanswerable)
    out(
      `unanswerable  ${r.unanswerable.questions} questions, "not found" for ${f4(r.unanswerable.notFoundRate)}`,
    );
  out(
    `first text    p50 ${r.firstTextMs.p50.toFixed(1)} ms, p95 ${r.firstTextMs.p95.toFixed(1)} ms (retrieval + extraction)`,
  );
  out(`index time    ${(r.indexMs / 1000).toFixed(1)} s (ingest end to end)`);
}

/** `kura bench answer --dataset F.json [--distractors G.json …] [--unanswerable H.json] [--json]`. */
export function registerBenchAnswerCommand(bench: Command, ctx: CliContext): void {
  bench
    .command('answer')
    .description(
      'index SQuAD-format paragraphs with the real ingest path in a fresh database, answer its questions with the offline extractive engine, print answer-hit',
    )
    .requiredOption(
      '--dataset <file>',
      'SQuAD-format JSON: its questions and gold answers, its paragraphs as the corpus',
    )
    .option('--distractors <file>', 'more paragraphs (SQuAD-format JSON; repeatable)', collect)
    .option(
      '--unanswerable <file>',
      'also ask these questions with their paragraphs left out (when also a distractor file, every other paragraph is held out)',
    )
    .option('--limit <n>', 'ask only the first n questions of each file', positive('--limit'))
    .option('--json', 'print the report as JSON')
    .action(async (opts: AnswerOptions) => {
      const { runAnswerBench } = await import('../../assistant/bench/answer-bench.js');
      const report = await runAnswerBench({
        dataset: opts.dataset,
        distractors: opts.distractors ?? [],
        unanswerable: opts.unanswerable,
        maxQueries: opts.limit,
        logger: ctx.logger('warn'),
        progress: opts.json ? undefined : (line) => ctx.io.err(line),
      });
      if (opts.json) ctx.io.out(JSON.stringify(report, null, 2));
      else print(ctx.io.out, report);
    });
}
