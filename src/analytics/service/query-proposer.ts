import type { SemanticModel } from '../model/semantic-model.js';
import type { Clarification } from '../nl/parse-question.js';

/**
 * The hook for a model-proposed query: with a provider allowed, the gateway (src/platform/llm)
 * fills the semantic query object through a tool call. Its proposal is untrusted input — the
 * service validates it with the same zod schema, resolves it against the model and runs its SQL
 * through the same guard as the offline parser's. Numbers still come from SQL only.
 */
export interface QueryProposer {
  readonly name: string;
  propose(
    tenantId: string,
    question: string,
    model: SemanticModel,
    now: Date,
  ): Promise<{ kind: 'query'; query: unknown } | Clarification | null>;
}
