import type { Command } from 'commander';
import type { AskResult } from '../../assistant/ask-service.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';
import { AppError } from '../../platform/errors/errors.js';

interface AskOptions {
  tenant: string;
  json?: boolean;
}

/** `kura ask --tenant T [--json] "<question>"`: a cited answer, or an honest "not found" (exit 0 either way). */
export function registerAskCommands(program: Command, ctx: CliContext): void {
  program
    .command('ask')
    .description(
      "ask a company's documents; a cited answer (as the operator, document permissions do not apply)",
    )
    .requiredOption('--tenant <tenant>', 'company slug')
    .option('--json', 'print answer, mode and citations as JSON')
    .argument('<question>', 'the question, in Japanese or English')
    .action(async (question: string, opts: AskOptions) => {
      let result: AskResult;
      try {
        result = (await executeOperation(
          ctx.config(),
          ctx.logger(),
          'assistant.ask',
          { tenant: opts.tenant, question },
          { loadDictionary: true },
        )) as AskResult;
      } catch (error) {
        // A refusal names its code (residency_violation, pii_blocked…): scripts match on it.
        if (!(error instanceof AppError) || !error.expose) throw error;
        ctx.io.err(`kura: ${error.code}: ${error.message}`);
        ctx.exitCode = 1;
        return;
      }
      if (opts.json) {
        ctx.io.out(
          JSON.stringify(
            {
              answer: result.answer,
              mode: result.mode,
              found: result.found,
              citations: result.citations.map((c) => ({
                n: c.n,
                documentId: c.documentId,
                title: c.title,
                uri: c.uri,
                anchor: c.anchor,
                quote: c.quote,
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      ctx.io.out(result.answer);
      for (const c of result.citations) {
        const where = Object.entries(c.anchor)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ');
        ctx.io.out(`[${c.n}] ${c.title}${where ? `  [${where}]` : ''}  ${c.uri}`);
      }
      ctx.io.err(
        result.mode === 'extractive'
          ? '(extractive answer: sentences quoted from the documents, no model provider configured)'
          : '(generated answer)',
      );
    });
}
