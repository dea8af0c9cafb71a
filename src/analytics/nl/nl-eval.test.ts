import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_SET, EVAL_TODAY } from '../../../test/fixtures/analytics/nl-eval-set.js';
import { gradeQuestions } from '../../../test/fixtures/analytics/grade-questions.js';
import { tempFolder } from '../../../test/helpers/connectors-harness.js';
import { salesModel, writeSalesSqlite } from '../../../test/helpers/sales-fixture-files.js';
import { SqliteExecutor } from '../engine/sqlite-executor.js';

const file = path.join(tempFolder('kura-nl-eval-'), 'sales.db');
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

describe('the offline parser on the evaluation set (SQLite, expected tables from hand-written SQL)', () => {
  it('answers ≥ 90% exactly, asks instead of guessing, and answers wrongly ≤ 3%', async () => {
    const outcomes = await gradeQuestions(EVAL_SET, EVAL_TODAY, { model, executor, reference });
    const count = (v: string) => outcomes.filter((o) => o.verdict === v).length;
    const failures = outcomes.filter((o) => o.verdict !== 'exact');
    console.log(
      `NL eval: ${count('exact')}/${outcomes.length} exact, ${count('clarified')} clarified, ${count('wrong')} wrong`,
      failures,
    );
    expect(EVAL_SET.length).toBeGreaterThanOrEqual(80);
    expect(count('exact') / outcomes.length).toBeGreaterThanOrEqual(0.9);
    expect(count('wrong') / outcomes.length).toBeLessThanOrEqual(0.03);
  });
});
