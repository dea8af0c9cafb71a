import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startConnectors,
  tempFolder,
  type ConnectorsHarness,
} from '../../../test/helpers/connectors-harness.js';
import { createCompany } from '../../../test/helpers/factories.js';
import { startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js';
import { createServerDatabase, ENGINES } from '../../../test/helpers/test-database.js';
import { IngestTracker } from '../../ingest/pipeline/ingest-tracker.js';
import { FIRST_LOAD_MIN_FILES } from '../sync/first-load.js';
import { OPERATOR } from '../../tenancy/actor.js';
import type { TableSpec } from './database-settings.js';
import { MysqlSource } from './mysql-source.js';

/** A small Japanese company database: customers, products, orders (with updated_at). */
const SCHEMA = [
  `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, prefecture TEXT NOT NULL)`,
  `CREATE TABLE products (code TEXT PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL)`,
  `CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, product_code TEXT NOT NULL, quantity INTEGER NOT NULL, note TEXT, updated_at TEXT NOT NULL)`,
];
const DATA = [
  `INSERT INTO customers VALUES (1, '山田商事', '東京都'), (2, '大阪物産', '大阪府'), (3, '札幌食品', '北海道')`,
  `INSERT INTO products VALUES ('P-100', 'ソラ5Gルーター', 19800), ('P-200', '光回線工事', 22000)`,
  `INSERT INTO orders VALUES (1001, 1, 'P-100', 3, '至急', '2025-10-01 09:00:00'), (1002, 2, 'P-200', 1, NULL, '2025-10-02 10:00:00'),
     (1003, 3, 'P-100', 10, '年度末納品', '2025-10-03 11:00:00')`,
];

interface Fixture {
  kind: 'sqlite' | 'postgres' | 'mysql';
  settings: Record<string, unknown>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

async function sqliteFixture(): Promise<Fixture> {
  const file = path.join(tempFolder('kura-sqlite-'), 'company.db');
  const db = new Database(file);
  for (const sql of [...SCHEMA, ...DATA]) db.exec(sql);
  return {
    kind: 'sqlite',
    settings: { path: file },
    exec: async (sql) => void db.exec(sql),
    close: async () => {
      db.close();
    },
  };
}

async function postgresFixture(): Promise<Fixture> {
  const url = await createServerDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const sql of [...SCHEMA.map((s) => s.replace('updated_at TEXT', 'updated_at TIMESTAMPTZ')), ...DATA])
    await client.query(sql);
  // As an administrator would connect Kura: a role that may only read (information_schema hides
  // the keys of tables such a role may not write; Kura must find them all the same).
  const reader = `kura_reader_${Math.random().toString(36).slice(2, 10)}`;
  await client.query(`CREATE ROLE ${reader} LOGIN PASSWORD 'kura-secret-pw'`);
  await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`);
  await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${reader}`);
  const withPassword = new URL(url);
  withPassword.username = reader;
  withPassword.password = 'kura-secret-pw';
  return {
    kind: 'postgres',
    settings: { url: withPassword.toString() },
    exec: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  };
}

/** One MariaDB server for the file (it takes seconds to start), a fresh database per fixture. */
let maria: Promise<MariaDbServer> | undefined;
afterAll(async () => (await maria)?.stop());

async function mariaDbFixture(): Promise<Fixture> {
  const server = await (maria ??= startMariaDb());
  const name = `shop_${Math.random().toString(36).slice(2, 10)}`;
  const url = server.createDatabase(name);
  const connection = await mysql.createConnection({ uri: url });
  const schema = SCHEMA.map((sql) =>
    sql
      .replace('code TEXT PRIMARY KEY', 'code VARCHAR(20) PRIMARY KEY')
      .replace('updated_at TEXT', 'updated_at DATETIME'),
  );
  for (const sql of [...schema, ...DATA]) await connection.query(sql);
  return {
    kind: 'mysql',
    // Kura reads through a user that may only SELECT, as an administrator would set it up.
    settings: { url: server.readerOf(name) },
    exec: async (sql) => void (await connection.query(sql)),
    close: () => connection.end(),
  };
}

const FIXTURES = [
  ['SQLite', sqliteFixture],
  ['PostgreSQL', postgresFixture],
  ['MariaDB', mariaDbFixture],
] as const;

const TABLES: TableSpec[] = [
  { name: 'customers', template: '{name}（{prefecture}）', title: '顧客 {name}' },
  { name: 'products' },
  {
    name: 'orders',
    title: '注文 {id}',
    template: '顧客{customer_id}が{product_code}を{quantity}個注文。備考: {note}',
    updatedAt: 'updated_at',
    acl: ['group:営業'],
  },
];

describe.each(ENGINES)('database sources on %s', (engine) => {
  let h: ConnectorsHarness;
  beforeAll(async () => {
    h = await startConnectors(engine);
  });
  afterAll(() => h.close());

  it('a table of many rows into a new company: its index is built once at the end, and every row is found', async () => {
    const file = path.join(tempFolder('kura-sqlite-'), 'minutes.db');
    const sqlite = new Database(file);
    sqlite.exec('CREATE TABLE minutes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = sqlite.prepare('INSERT INTO minutes VALUES (?, ?)');
    for (let i = 1; i <= FIRST_LOAD_MIN_FILES + 10; i++) insert.run(i, `取締役会 第${i}回 決議事項${i}号`);
    sqlite.close();
    const company = await createCompany(h.tenancy);
    const source = await h.connectors.sources.create(OPERATOR, company.id, {
      kind: 'sqlite',
      name: '議事録DB',
      settings: { path: file, tables: [{ name: 'minutes' }] },
    } as never);
    const phases: string[] = [];
    const tracker = new IngestTracker((p) => {
      if (phases.at(-1) !== p.phase) phases.push(p.phase);
    }, 0);
    await h.connectors.sync.syncSource(company.id, source.id, tracker);
    expect(phases).toContain('building');
    expect(tracker.summary()).toMatchObject({
      files: FIRST_LOAD_MIN_FILES + 10,
      indexed: FIRST_LOAD_MIN_FILES + 10,
    });
    const search = await h.knowledge.search();
    for (const i of [1, 37, FIRST_LOAD_MIN_FILES + 10]) {
      const found = await search.search(OPERATOR, company.id, { q: `決議事項${i}号` });
      expect(found.results[0]?.uri).toMatch(new RegExp(`#minutes/${i}$`));
    }
  });

  describe.each(FIXTURES)('a %s company database', (_name, makeFixture) => {
    let fx: Fixture;
    beforeAll(async () => {
      fx = await makeFixture();
    });
    afterAll(() => fx.close());

    it('indexes rows as records, incrementally; keeps what a vanished table held; never stores the password in settings', async () => {
      const company = await createCompany(h.tenancy);
      const source = await h.connectors.sources.create(OPERATOR, company.id, {
        kind: fx.kind,
        name: '基幹DB',
        settings: { ...fx.settings, tables: TABLES },
      } as never);
      expect(JSON.stringify(source.settings)).not.toContain('kura-secret-pw');
      expect(source.state.schema).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'orders',
            primaryKey: ['id'],
            columns: expect.arrayContaining([expect.objectContaining({ name: 'quantity' })]),
          }),
        ]),
      );
      const sync = async () => {
        const tracker = new IngestTracker();
        await h.connectors.sync.syncSource(company.id, source.id, tracker);
        return tracker.summary();
      };
      const documents = async () =>
        new Map(
          (await h.connectors.documents.list(OPERATOR, company.id, { limit: 100 })).documents.map((d) => [
            d.externalId,
            d,
          ]),
        );
      const text = async (externalId: string) =>
        (
          await h.connectors.sync['deps'].documents.chunks(
            company.id,
            (await documents()).get(externalId)!.id,
          )
        )
          .map((c) => c.text)
          .join('\n');

      expect(await sync()).toMatchObject({ files: 8, indexed: 8, failed: 0 });
      const docs = await documents();
      expect([...docs.keys()].sort()).toEqual(
        [
          'customers/1',
          'customers/2',
          'customers/3',
          'orders/1001',
          'orders/1002',
          'orders/1003',
          'products/P-100',
          'products/P-200',
        ].sort(),
      );
      expect(docs.get('orders/1001')).toMatchObject({
        title: '注文 1001',
        acl: ['group:営業'],
        mimeType: 'text/plain',
      });
      expect(await text('orders/1001')).toContain('顧客1がP-100を3個注文。備考: 至急');
      expect(await text('customers/2')).toContain('大阪物産（大阪府）');
      expect(await text('products/P-100')).toMatch(/name: ソラ5Gルーター[\s\S]*price: 19800/);

      // Unchanged: nothing indexed again (orders are read from the high-water mark only).
      expect(await sync()).toMatchObject({ indexed: 0, deleted: 0, failed: 0 });

      // Change, add, delete.
      await fx.exec(`UPDATE orders SET quantity = 5, updated_at = '2025-10-05 08:00:00' WHERE id = 1002`);
      await fx.exec(`INSERT INTO orders VALUES (1004, 1, 'P-200', 2, '追加注文', '2025-10-06 09:00:00')`);
      await fx.exec(`DELETE FROM orders WHERE id = 1001`);
      await fx.exec(`UPDATE customers SET prefecture = '京都府' WHERE id = 2`);
      const third = await sync();
      expect(third).toMatchObject({ indexed: 3, deleted: 1, failed: 0 });
      expect(third.files).toBe(8); // orders: only the 3 rows at or after the mark were read, not all 4
      const after = await documents();
      expect(after.has('orders/1001')).toBe(false);
      expect(await text('orders/1002')).toContain('5個注文');
      expect(await text('orders/1004')).toContain('追加注文');
      expect(await text('customers/2')).toContain('京都府');

      // A table that disappears: its documents stay, the run names it, the rest syncs.
      await fx.exec('DROP TABLE products');
      await fx.exec(`UPDATE customers SET name = '山田ホールディングス' WHERE id = 1`);
      const fourth = await sync();
      expect(fourth.warnings.join('\n')).toMatch(/^products: the table no longer exists/m);
      expect(fourth).toMatchObject({ indexed: 1, deleted: 0 });
      expect((await documents()).has('products/P-100')).toBe(true);
      // The source itself carries the reason, for `kura source list` and the API.
      expect((await h.connectors.sources.get(OPERATOR, company.id, source.id)).lastError).toMatch(
        /^products: the table no longer exists/,
      );
    });

    it('answers an unreachable database or unknown table clearly, and a sync that cannot connect deletes nothing', async () => {
      const company = await createCompany(h.tenancy);
      const bad =
        fx.kind === 'sqlite'
          ? { path: path.join(tempFolder(), 'missing.db'), tables: [] }
          : { url: `${fx.kind}://kura:pw@127.0.0.1:1/none`, tables: [] };
      if (fx.kind === 'mysql') {
        // A real password check: the wrong one is refused and named, without the password.
        const wrong = new URL(String(fx.settings.url));
        wrong.password = 'wrong-password';
        await expect(
          h.connectors.sources.create(OPERATOR, company.id, {
            kind: 'mysql',
            settings: { url: wrong.toString(), tables: [] },
          }),
        ).rejects.toMatchObject({
          code: 'source_unreachable',
          message: expect.stringMatching(/Access denied for user 'ro_shop_\w+'/),
        });
      }
      await expect(
        h.connectors.sources.create(OPERATOR, company.id, { kind: fx.kind, settings: bad } as never),
      ).rejects.toMatchObject({
        code: 'source_unreachable',
        message: expect.not.stringContaining(':pw@'),
      });
      await expect(
        h.connectors.sources.create(OPERATOR, company.id, {
          kind: fx.kind,
          settings: { ...fx.settings, tables: [{ name: 'no_such_table' }] },
        } as never),
      ).rejects.toMatchObject({
        code: 'unknown_table',
        message: expect.stringMatching(/No table or view named no_such_table \(found: .*customers/),
      });

      const source = await h.connectors.sources.create(OPERATOR, company.id, {
        kind: fx.kind,
        settings: { ...fx.settings, tables: [{ name: 'customers' }] },
      } as never);
      const tracker = new IngestTracker();
      await h.connectors.sync.syncSource(company.id, source.id, tracker);
      expect(tracker.summary().indexed).toBeGreaterThan(0);
      await h.connectors.sources.update(OPERATOR, company.id, source.id, { settings: bad });
      await expect(
        h.connectors.sync.syncSource(company.id, source.id, new IngestTracker()),
      ).rejects.toMatchObject({ code: 'source_unavailable' });
      const view = await h.connectors.sources.get(OPERATOR, company.id, source.id);
      expect(view).toMatchObject({
        status: 'failed',
        lastError: expect.stringMatching(/cannot (connect|open)/),
        documents: { indexed: tracker.summary().indexed },
      });
    });

    it('indexes a table without a primary key (as a view is) by its rows’ content: changes replace, deletions go', async () => {
      await fx.exec('CREATE TABLE visits (customer VARCHAR(40) NOT NULL, note VARCHAR(80) NOT NULL)');
      await fx.exec(
        `INSERT INTO visits VALUES ('山田商事', '新製品の説明'), ('大阪物産', '見積の提出'), ('大阪物産', '見積の提出')`,
      );
      const company = await createCompany(h.tenancy);
      const source = await h.connectors.sources.create(OPERATOR, company.id, {
        kind: fx.kind,
        settings: { ...fx.settings, tables: [{ name: 'visits', template: '{customer}: {note}' }] },
      } as never);
      const sync = async () => {
        const tracker = new IngestTracker();
        await h.connectors.sync.syncSource(company.id, source.id, tracker);
        return tracker.summary();
      };
      const texts = async () => {
        const { documents } = await h.connectors.documents.list(OPERATOR, company.id, { limit: 100 });
        const chunks = await Promise.all(
          documents.map((d) => h.connectors.sync['deps'].documents.chunks(company.id, d.id)),
        );
        return chunks.map((c) => c.map((chunk) => chunk.text).join('\n')).sort();
      };

      const first = await sync();
      // Three rows, two of them the same: two records.
      expect(first).toMatchObject({ files: 3, unit: 'rows', indexed: 2, unchanged: 1, failed: 0 });
      expect(first.warnings.join('\n')).toMatch(
        /^visits: no primary key: its rows are told apart by their content/m,
      );
      expect(await texts()).toEqual([
        expect.stringContaining('大阪物産: 見積の提出'),
        expect.stringContaining('山田商事: 新製品の説明'),
      ]);
      expect(await sync()).toMatchObject({ indexed: 0, deleted: 0 });

      // Key columns named in the settings that are not unique: the first row is kept, the other named.
      const keyed = await h.connectors.sources.create(OPERATOR, company.id, {
        kind: fx.kind,
        name: '訪問（顧客別）',
        settings: { ...fx.settings, tables: [{ name: 'visits', key: ['customer'], template: '{note}' }] },
      } as never);
      const byCustomer = new IngestTracker();
      await h.connectors.sync.syncSource(company.id, keyed.id, byCustomer);
      expect(byCustomer.summary()).toMatchObject({
        indexed: 2,
        skipped: 1,
        problems: [{ code: 'duplicate_key', path: expect.stringMatching(/visits\/%E5%A4%A7%E9%98%AA/) }],
      });
      await h.connectors.sources.remove(OPERATOR, company.id, keyed.id);

      await fx.exec(`UPDATE visits SET note = '契約の締結' WHERE customer = '山田商事'`);
      expect(await sync()).toMatchObject({ indexed: 1, deleted: 1 });
      expect((await texts()).join('\n')).toMatch(/山田商事: 契約の締結/);
      expect((await texts()).join('\n')).not.toMatch(/新製品の説明/);

      await fx.exec(`DELETE FROM visits WHERE customer = '大阪物産'`);
      expect(await sync()).toMatchObject({ indexed: 0, deleted: 1 });
      expect(await texts()).toHaveLength(1);
      // Not a problem of the source: nothing is left out.
      expect((await h.connectors.sources.get(OPERATOR, company.id, source.id)).lastError).toBeNull();
    });
  });
});

describe('MariaDB scans by key, not by OFFSET', () => {
  it('reads every row of a large composite-key table exactly once, in key order, incrementally too', async () => {
    const server = await (maria ??= startMariaDb());
    const url = server.createDatabase(`big_${Math.random().toString(36).slice(2, 10)}`);
    const connection = await mysql.createConnection({ uri: url });
    await connection.query(
      'CREATE TABLE order_lines (order_id INT NOT NULL, line INT NOT NULL, item VARCHAR(40) NOT NULL, updated_at DATETIME NOT NULL, PRIMARY KEY (order_id, line))',
    );
    const values = Array.from({ length: 1203 }, (_, i) => [
      Math.floor(i / 7),
      i % 7,
      `品目${i}`,
      `2025-10-${String(1 + (i % 28)).padStart(2, '0')} 00:00:00`,
    ]);
    await connection.query('INSERT INTO order_lines VALUES ?', [values]);
    const source = await MysqlSource.connect(url);
    try {
      const table = (await source.describe()).find((t) => t.name === 'order_lines')!;
      const read = async (since?: { column: string; value: unknown }) => {
        const keys: string[] = [];
        let batches = 0;
        for await (const rows of source.scan(table, ['item'], since, 100)) {
          batches++;
          for (const row of rows) keys.push(`${String(row.order_id)}/${String(row.line)}`);
        }
        return { keys, batches };
      };
      const all = await read();
      const expected = values.map(([order, line]) => `${order}/${line}`);
      expect(all.keys).toEqual(expected);
      expect(all.batches).toBe(13);
      const late = await read({ column: 'updated_at', value: new Date('2025-10-25T00:00:00Z') });
      expect(late.keys).toEqual(
        values.filter((v) => Number(String(v[3]).slice(8, 10)) >= 25).map(([o, l]) => `${o}/${l}`),
      );
    } finally {
      await source.close();
      await connection.end();
    }
  });
});
