/** How an uploaded sheet's headers and name become identifiers Kura writes (and quotes) in SQL. */

const SLUG = /^[a-z][a-z0-9_]{0,40}$/u;
/** Columns every loaded table has: a header must never collide with them. */
const RESERVED = new Set(['tenant_id', '_row']);

/** "Order Date" → order_date; Japanese, symbols, quotes or `; DROP` → undefined (a numbered name instead). */
export function slugOf(text: string): string | undefined {
  const slug = text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/gu, '_');
  return SLUG.test(slug) && !RESERVED.has(slug) ? slug : undefined;
}

/** One physical name per header, unique: the header's slug when it has one, else col_<n>. */
export function columnNames(headers: string[]): string[] {
  const used = new Set<string>();
  return headers.map((header, i) => {
    const base = slugOf(header) ?? `col_${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}

/** A table name not yet used in the company's schema. */
export function tableNameFor(sheet: string, taken: Set<string>): string {
  const base = slugOf(sheet) ?? 'sheet';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

/** The company's own schema in Kura's database. */
export function companySchema(tenantId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(tenantId))
    throw new Error(`a company schema needs a company id, got ${JSON.stringify(tenantId)}`);
  return `kura_data_${tenantId.replace(/-/gu, '').toLowerCase()}`;
}
