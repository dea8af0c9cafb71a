import type { Analytics } from '../analytics/analytics-module.js';
import type { AskResponse } from '../analytics/service/analytics-service.js';
import type { Actor } from '../tenancy/actor.js';
import { authorizeOn } from '../tenancy/policies.js';
import type { DataAccess } from './engine/answer-engine.js';

/** The caller's `query_data` for one answer, or undefined when it is not to be offered. */
export type DataAccessFor = (actor: Actor, tenantId: string) => Promise<DataAccess | undefined>;

/** Rows of one result the model sees; the rest is counted, not sent. */
const ROWS_FOR_MODEL = 50;

/**
 * `query_data` over the analytics service's own API (`ask`: natural language → semantic query →
 * guarded, read-only SQL; the caller's permissions and column masking apply). Offered only to
 * callers allowed to ask data questions in a company that has a data model.
 */
export function dataQuestionsOver(analytics: Pick<Analytics, 'service' | 'models'>): DataAccessFor {
  return async (actor, tenantId) => {
    try {
      authorizeOn(actor, 'data.ask', { tenantId, groupId: actor.groupId }, 'Company');
    } catch {
      return undefined;
    }
    if (!(await analytics.models.current(tenantId))) return undefined;
    return { query: async (question) => forModel(await analytics.service.ask(actor, tenantId, question)) };
  };
}

/** What the model needs of an analytics response: numbers and labels, not SQL or chart specs. */
function forModel(response: AskResponse) {
  if (response.kind !== 'answer')
    return { clarification: response.question, reason: response.reason, choices: response.choices };
  return {
    columns: response.columns.map((c) => ({ name: c.name, label: c.label, format: c.format })),
    rows: response.rows.slice(0, ROWS_FOR_MODEL),
    rowCount: response.rows.length,
    truncated: response.truncated || response.rows.length > ROWS_FOR_MODEL,
    narrative: response.narrative,
    // Numbers from a rollup are as of its refresh: the model can say so.
    ...(response.from === 'rollup' ? { asOf: response.refreshedAt } : {}),
  };
}
