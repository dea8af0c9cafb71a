import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDOUT_SET, HOLDOUT_TODAY } from '../../../test/fixtures/analytics/nl-holdout-set.js';
import { tempFolder } from '../../../test/helpers/connectors-harness.js';
import { salesModel, writeSalesSqlite } from '../../../test/helpers/sales-fixture-files.js';
import { SqliteExecutor } from '../engine/sqlite-executor.js';
import { runSemanticQuery } from '../engine/run-query.js';
import { compareTables } from './compare-tables.js';
import { parseQuestion } from './parse-question.js';

const file = path.join(tempFolder('kura-nl-holdout-'), 'sales.db');
const model = salesModel();
let executor: SqliteExecutor;
let reference: Database.Database;

beforeAll(() => {
  writeSalesSqlite(file);
  executor = SqliteExecutor.open(file);
  reference = new Database(file, { readonly: true });
});
afterAll(async () => {
  await executor.close();
  reference.close();
});

describe('the offline parser on the held-out set (questions not used to tune it)', () => {
  it('answers ≥ 90% exactly and ≤ 3% wrongly; the rest ask back', async () => {
    const outcomes: { q: string; verdict: 'exact' | 'clarified' | 'wrong'; detail?: string }[] = [];
    for (const c of HOLDOUT_SET) {
      const parsed = parseQuestion(c.q, model, HOLDOUT_TODAY);
      if (c.sql === null) {
        outcomes.push({ q: c.q, verdict: parsed.kind === 'clarification' ? 'exact' : 'wrong' });
        continue;
      }
      if (parsed.kind === 'clarification') {
        outcomes.push({ q: c.q, verdict: 'clarified', detail: parsed.question });
        continue;
      }
      const result = await runSemanticQuery(model, parsed.query, executor, {
        maxRows: 10_000,
        timeoutMs: 10_000,
      });
      const expected = reference.prepare(c.sql).all() as Record<string, unknown>[];
      const difference = compareTables(result.rows, expected, c.ordered ?? false);
      outcomes.push({
        q: c.q,
        verdict: difference ? 'wrong' : 'exact',
        ...(difference ? { detail: `${difference} ${JSON.stringify(parsed.query)}` } : {}),
      });
    }
    const count = (v: string) => outcomes.filter((o) => o.verdict === v).length;
    console.log(
      `NL held-out: ${count('exact')}/${outcomes.length} exact, ${count('clarified')} clarified, ${count('wrong')} wrong`,
      JSON.stringify(
        outcomes.filter((o) => o.verdict !== 'exact'),
        null,
        1,
      ),
    );
    expect(HOLDOUT_SET.length).toBeGreaterThanOrEqual(40);
    expect(count('exact') / outcomes.length).toBeGreaterThanOrEqual(0.9);
    expect(count('wrong') / outcomes.length).toBeLessThanOrEqual(0.03);
  });
});
