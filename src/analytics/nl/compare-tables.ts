/**
 * Compares a result with an expected table: same columns, same rows (in order when `ordered`),
 * numbers equal to a relative 1e-9. Returns what differs, or null.
 */
export function compareTables(
  actual: Record<string, unknown>[],
  expected: Record<string, unknown>[],
  ordered: boolean,
): string | null {
  if (actual.length !== expected.length) return `rows: ${actual.length} ≠ ${expected.length}`;
  if (actual.length === 0) return null;
  const columns = Object.keys(expected[0]!).sort();
  const got = Object.keys(actual[0]!).sort();
  if (columns.join(',') !== got.join(',')) return `columns: [${got.join(', ')}] ≠ [${columns.join(', ')}]`;
  const norm = (v: unknown) =>
    v === null || v === undefined
      ? null
      : typeof v === 'number' ||
          (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) && /^-?[\d.]+(e-?\d+)?$/u.test(v))
        ? Number(v)
        : String(v);
  const key = (row: Record<string, unknown>) =>
    JSON.stringify(
      columns.map((c) => {
        const v = norm(row[c]);
        return typeof v === 'number' ? Number(v.toPrecision(9)) : v;
      }),
    );
  const a = actual.map((r) => ({ r, k: key(r) }));
  const e = expected.map((r) => ({ r, k: key(r) }));
  if (!ordered) {
    a.sort((x, y) => x.k.localeCompare(y.k));
    e.sort((x, y) => x.k.localeCompare(y.k));
  }
  for (let i = 0; i < a.length; i++)
    for (const c of columns) {
      const [x, y] = [norm(a[i]!.r[c]), norm(e[i]!.r[c])];
      const same =
        typeof x === 'number' && typeof y === 'number'
          ? Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y))
          : x === y;
      if (!same) return `row ${i} ${c}: ${String(x)} ≠ ${String(y)}`;
    }
  return null;
}
