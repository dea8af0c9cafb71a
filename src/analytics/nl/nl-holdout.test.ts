import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDOUT_SET, HOLDOUT_TODAY } from '../../../test/fixtures/analytics/nl-holdout-set.js';
import { gradeQuestions } from '../../../test/fixtures/analytics/grade-questions.js';
import { tempFolder } from '../../../test/helpers/connectors-harness.js';
import { salesModel, writeSalesSqlite } from '../../../test/helpers/sales-fixture-files.js';
import { SqliteExecutor } from '../engine/sqlite-executor.js';

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
    const outcomes = await gradeQuestions(HOLDOUT_SET, HOLDOUT_TODAY, { model, executor, reference });
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
