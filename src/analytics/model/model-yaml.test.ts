import { describe, expect, it } from 'vitest';
import { SALES_MODEL_YAML } from '../../../test/helpers/sales-fixture-files.js';
import { ModelValidationError, modelToYaml, parseModelYaml } from './model-yaml.js';
import { proposeModel } from './propose-model.js';

function problems(yaml: string) {
  try {
    parseModelYaml(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelValidationError);
    return (error as ModelValidationError).problems;
  }
  throw new Error('expected the model to be refused');
}

describe('the semantic model as YAML', () => {
  it('reads the fixture model with defaults (April fiscal year) and writes it back', () => {
    const model = parseModelYaml(SALES_MODEL_YAML);
    expect(model.fiscalYearStartMonth).toBe(4);
    expect(model.measures.map((m) => m.name)).toContain('sales');
    expect(parseModelYaml(modelToYaml(model))).toEqual(model);
  });

  it('names the line of each problem', () => {
    const bad = SALES_MODEL_YAML.replace(
      'aggregation: sum\n    column: amount',
      'aggregation: median\n    column: amount',
    );
    const median = problems(bad).find((p) => p.path === 'measures.0.aggregation')!;
    expect(bad.split('\n')[median.line! - 1]).toContain('median');
    const dangling = SALES_MODEL_YAML.replace(
      '- { from: orders, fromColumn: customer_id, to: customers, toColumn: id }',
      '- { from: orders, fromColumn: customer_id, to: clients, toColumn: id }',
    );
    const join = problems(dangling).find((p) => p.path === 'joins.2.to')!;
    expect(join.message).toContain('clients');
    expect(dangling.split('\n')[join.line! - 1]).toContain('clients');
  });

  it('refuses broken YAML, unsafe names, duplicates and dangling references with clear messages', () => {
    expect(problems('tables: [\n  - a\n')[0]!.line).toBeGreaterThan(0);
    expect(
      problems(SALES_MODEL_YAML.replace('name: sales\n', 'name: "sales; DROP TABLE x"\n')).map((p) => p.path),
    ).toContain('measures.0.name');
    expect(
      problems(SALES_MODEL_YAML.replace('column: amount', "column: 'amount\"; --'")).map((p) => p.path),
    ).toContain('measures.0.column');
    expect(
      problems(SALES_MODEL_YAML.replace('name: quantity\n', 'name: sales\n'))
        .map((p) => p.message)
        .join(),
    ).toContain('already');
    expect(
      problems(
        SALES_MODEL_YAML.replace('measure: sales, derivation: yoy', 'measure: profit, derivation: yoy'),
      )
        .map((p) => p.message)
        .join(),
    ).toContain('profit');
    expect(
      problems(SALES_MODEL_YAML.replace('fiscalYearStartMonth: 4', 'fiscalYearStartMonth: 13'))[0]!.line,
    ).toBe(4);
  });

  it('proposes a model from tables and a sample: joins from x_id columns, dates, categories with values, sums', () => {
    const col = (name: string, type: string) => ({ name, type, nullable: false });
    const model = proposeModel(
      '基幹DB',
      [
        {
          schema: 'public',
          name: 'regions',
          kind: 'table',
          columns: [col('id', 'integer'), col('name', 'text')],
          primaryKey: ['id'],
        },
        {
          schema: 'public',
          name: 'customers',
          kind: 'table',
          columns: [
            col('id', 'integer'),
            col('name', 'text'),
            col('region_id', 'integer'),
            col('email', 'text'),
          ],
          primaryKey: ['id'],
        },
        {
          schema: 'public',
          name: 'orders',
          kind: 'table',
          columns: [
            col('id', 'integer'),
            col('customer_id', 'integer'),
            col('order_date', 'date'),
            col('amount', 'numeric'),
          ],
          primaryKey: ['id'],
        },
      ],
      new Map([
        [
          'regions',
          [
            { id: 1, name: '関東' },
            { id: 2, name: '関西' },
          ],
        ],
      ]),
    );
    expect(model.joins).toEqual([
      { from: 'customers', fromColumn: 'region_id', to: 'regions', toColumn: 'id' },
      { from: 'orders', fromColumn: 'customer_id', to: 'customers', toColumn: 'id' },
    ]);
    expect(model.defaultTimeDimension).toBe('order_date');
    expect(model.dimensions.find((d) => d.name === 'region')).toMatchObject({
      label: '地域',
      values: ['関東', '関西'],
    });
    expect(model.dimensions.find((d) => d.column === 'email')).toMatchObject({ personal: true });
    expect(model.measures.find((m) => m.name === 'sales')).toMatchObject({
      label: '売上',
      aggregation: 'sum',
      format: 'yen',
    });
    expect(model.metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining(['sales_yoy', 'sales_share', 'sales_cumulative']),
    );
    expect(parseModelYaml(modelToYaml(model))).toEqual(model);
  });
});
