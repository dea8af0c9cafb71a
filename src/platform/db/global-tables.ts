/**
 * The few tables that are not owned by one company (Citus reference or coordinator tables). Every
 * other table is company-owned: tenant_id in its key, row-level security on. Adding a table here is
 * a deliberate decision, checked by citus-rules.test.ts and rls.test.ts.
 */
export const GLOBAL_TABLES: ReadonlySet<string> = new Set([
  'kura_migrations',
  'groups',
  'tenants',
  'instance_settings',
  // Job metadata and ids only; workers claim across companies (see migrations/0002_jobs.sql).
  'jobs',
  // Wrapped data keys per scope and the operator's model providers (migrations/0005_gateway.sql).
  'data_keys',
  'model_providers',
  // A group's monthly token budget and its split across companies (migrations/0013_group_budgets.sql).
  'group_budgets',
]);
