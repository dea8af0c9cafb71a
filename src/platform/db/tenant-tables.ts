import type { Queryable } from './database.js';
import { GLOBAL_TABLES } from './global-tables.js';

/**
 * Company tables the application role may only read and append to (the audit log): no UPDATE or
 * DELETE grant, and a trigger refuses both unless the owner's transaction sets kura.audit_erase
 * (retention with a signed checkpoint, or the purge of a deleted company).
 */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_events', 'audit_checkpoints'];

/**
 * Tables (partitions excepted) that carry `tenant_id`, read from the catalog and ordered so that a table comes before
 * every table it references: deleting in this order never trips a foreign key.
 */
export async function tenantTablesChildrenFirst(tx: Queryable): Promise<string[]> {
  const tables = (
    await tx.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
          -- A partition is reached through its parent (search_chunks' per-company partitions).
          AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.oid = format('%I', c.table_name)::regclass AND p.relispartition)`,
    )
  )
    .map((r) => r.table_name)
    .filter((name) => !GLOBAL_TABLES.has(name));
  const edges = await tx.query<{ child: string; parent: string }>(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
       FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
  );
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string): void => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const edge of edges) if (edge.parent === table && edge.child !== table) visit(edge.child);
    ordered.push(table);
  };
  for (const table of tables.sort()) visit(table);
  return ordered.filter((t) => tables.includes(t));
}
