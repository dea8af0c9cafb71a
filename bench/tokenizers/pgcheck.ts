/**
 * Cross-checks the analyser + reference BM25 against PostgreSQL (PGlite + pg_textsearch):
 *  1. every token survives space-join → to_tsvector('simple') unchanged;
 *  2. pg_textsearch bm25 scores (text_config='simple', k1=1.2, b=0.75) match bench/bm25.ts.
 * Run: npx tsx pgcheck.ts [numQueries]
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_textsearch } from '@electric-sql/pglite/pg_textsearch';
import { createAnalyzer } from '../../src/search/analysis/create-analyzer.js';
import { Bm25Index } from './bm25.js';
import { loadBenchmark } from './data.js';

const nQueries = Number(process.argv[2] ?? 300);
const bench = loadBenchmark();
const analyzer = await createAnalyzer();
const docTokens = bench.docs.map((d) => analyzer.analyze(d));

const pg = await PGlite.create({ extensions: { pg_textsearch } });
await pg.exec(`CREATE EXTENSION pg_textsearch; CREATE TABLE docs (id int PRIMARY KEY, body text NOT NULL);`);
for (let i = 0; i < docTokens.length; i += 200) {
  const chunk = docTokens.slice(i, i + 200);
  const values = chunk.map((_, j) => `($${2 * j + 1}::int, $${2 * j + 2}::text)`).join(',');
  await pg.query(
    `INSERT INTO docs VALUES ${values}`,
    chunk.flatMap((t, j) => [i + j, t.join(' ')]),
  );
}

// 1. Token survival.
let badDocs = 0;
const bad = new Set<string>();
const res = await pg.query<{ id: number; lex: string[] }>(
  `SELECT id, tsvector_to_array(to_tsvector('simple', body)) AS lex FROM docs`,
);
for (const row of res.rows) {
  const expected = new Set(docTokens[row.id]);
  const got = new Set(row.lex);
  if (expected.size !== got.size || [...expected].some((t) => !got.has(t))) {
    badDocs++;
    for (const t of expected) if (!got.has(t)) bad.add(t);
  }
}
console.log(
  `token survival: ${res.rows.length - badDocs}/${res.rows.length} docs identical; tokens altered: ${[...bad].slice(0, 20).join(' ')}`,
);

// 2. Score agreement.
await pg.exec(
  `CREATE INDEX docs_bm25 ON docs USING bm25 (body) WITH (text_config = 'simple', k1 = 1.2, b = 0.75)`,
);
// Quantized doc lengths: pg_textsearch stores a 1-byte Lucene-style fieldnorm.
const ref = new Bm25Index(docTokens, 1.2, 0.75, false, true);
let maxAbs = 0;
let top1Agree = 0;
for (const q of bench.queries.slice(0, nQueries)) {
  const qt = analyzer.analyze(q.text);
  const r = await pg.query<{ id: number; score: number }>(
    `SELECT id, -(body <@> to_bm25query($1, 'docs_bm25')) AS score FROM docs ORDER BY body <@> to_bm25query($1, 'docs_bm25') LIMIT 10`,
    [qt.join(' ')],
  );
  const s = ref.scores(qt);
  for (const row of r.rows) maxAbs = Math.max(maxAbs, Math.abs(row.score - (s[row.id] as number)));
  let best = 0;
  s.forEach((v, i) => {
    if (v > (s[best] as number)) best = i;
  });
  if (r.rows[0]?.id === best) top1Agree++;
}
console.log(
  `bm25 agreement on ${nQueries} queries: top-1 identical ${top1Agree}/${nQueries}; max |score diff| in top-10 = ${maxAbs.toExponential(2)}`,
);
await pg.close();
