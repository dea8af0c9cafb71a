import { z } from 'zod';
import { AppError } from '../../platform/errors/errors.js';
import type { ToolCall, ToolDefinition } from '../../platform/llm/model-gateway.js';
import type { Passage } from '../../search/search-service.js';
import type { AnswerRequest } from './answer-engine.js';
import { assembleContext } from './context-assembly.js';
import { asData, sourceElements } from './grounded-prompt.js';

export const SEARCH_DOCUMENTS = 'search_documents';
export const QUERY_DATA = 'query_data';

/** Passages one search_documents call may add, and their share of the prompt. */
const TOOL_PASSAGES = 6;
const TOOL_CONTEXT_TOKENS = 1_500;
/** Characters of one query_data result sent back (rows beyond are summarised as truncated). */
const MAX_DATA_CHARS = 6_000;

const searchInput = z.object({
  query: z.string().trim().min(1).max(500),
  limit: z.number().int().min(1).max(TOOL_PASSAGES).optional(),
});
const dataInput = z.object({ question: z.string().trim().min(1).max(1_000) });

/** The tools offered to the model for this request: search always, data questions when the caller has them. */
export function answerTools(request: AnswerRequest): Record<string, ToolDefinition> {
  const tools: Record<string, ToolDefinition> = {
    [SEARCH_DOCUMENTS]: {
      description:
        "Search the company's documents for more passages (Japanese or English). Returns numbered <source> elements to cite with [n].",
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What to look for' },
          limit: { type: 'integer', minimum: 1, maximum: TOOL_PASSAGES },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
  };
  if (request.data)
    tools[QUERY_DATA] = {
      description:
        "Ask the company's business databases a question in natural language (e.g. 2024年度の地域別売上). Returns columns and rows computed by SQL.",
      inputSchema: {
        type: 'object',
        properties: { question: { type: 'string', description: 'The data question' } },
        required: ['question'],
        additionalProperties: false,
      },
    };
  return tools;
}

/**
 * Runs the model's tool calls for one answer. Everything a tool returns goes back to the model as
 * data, delimited exactly like the retrieved chunks (<source>, or <data> for query results), and
 * passages come only from the caller's retrieval — so the assistant validates their citations like
 * any other. `sources` is the answer's numbered source list; new passages are appended to it.
 */
export class AnswerToolRunner {
  constructor(
    private readonly request: AnswerRequest,
    private readonly sources: Passage[],
  ) {}

  async run(call: ToolCall): Promise<string> {
    try {
      if (call.name === SEARCH_DOCUMENTS) return await this.search(call.input);
      if (call.name === QUERY_DATA && this.request.data) return await this.queryData(call.input);
      return `<error>Unknown tool "${asData(call.name)}".</error>`;
    } catch (error) {
      if (error instanceof AppError && error.expose)
        return `<error code="${error.code}">${asData(error.message)}</error>`;
      throw error;
    }
  }

  private async search(raw: unknown): Promise<string> {
    const input = searchInput.safeParse(raw);
    if (!input.success) return '<error>search_documents needs {"query": "…"}.</error>';
    const found = await this.request.retrieval.passages(input.data.query, input.data.limit ?? TOOL_PASSAGES);
    const known = new Map(this.sources.map((p, i) => [`${p.documentId}/${p.ordinal}`, i + 1]));
    const fresh = found.filter((p) => !known.has(`${p.documentId}/${p.ordinal}`));
    const again = found.map((p) => known.get(`${p.documentId}/${p.ordinal}`)).filter((n) => n !== undefined);
    const context = assembleContext(fresh, TOOL_CONTEXT_TOKENS, this.sources.length + 1);
    this.sources.push(...context.passages);
    const note =
      again.length > 0
        ? `\n(Also found, already given above: sources ${[...new Set(again)].join(', ')}.)`
        : '';
    if (context.blocks.length === 0) return `<sources>\n</sources>${note || '\n(No passages found.)'}`;
    return `${sourceElements(context.blocks)}${note}`;
  }

  private async queryData(raw: unknown): Promise<string> {
    const input = dataInput.safeParse(raw);
    if (!input.success) return '<error>query_data needs {"question": "…"}.</error>';
    const result = JSON.stringify(await this.request.data!.query(input.data.question));
    const text = result.length > MAX_DATA_CHARS ? `${result.slice(0, MAX_DATA_CHARS)}… (truncated)` : result;
    return `<data>\n${asData(text)}\n</data>`;
  }
}
