import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditGovernance, type AuditGovernance } from '../../src/governance/audit-module.js';
import { createLogger } from '../../src/platform/log/logger.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrations.js';
import { PostgresDatabase } from '../../src/platform/db/postgres-database.js';
import { createTenancy, type Tenancy } from '../../src/tenancy/tenancy-module.js';
import { OPERATOR } from '../../src/tenancy/actor.js';
import { createCompany } from '../helpers/factories.js';
import { runCli, TEST_MASTER_KEY } from '../helpers/run-cli.js';
import { createServerDatabase } from '../helpers/test-database.js';

const KEY = 'audit-test-key-0123456789abcdef0123456789abcdef';

/**
 * The audit log on the PostgreSQL server: the application role can only append, concurrent writers
 * get gapless sequence numbers, and `kura audit verify` (the real command) names the first bad event
 * after each kind of tampering done directly in the database with the owner's connection.
 */
describe('audit log: hash chain, append-only, verification', () => {
  let url: string;
  let db: Database;
  let tenancy: Tenancy;
  let governance: AuditGovernance;
  const cli = (...args: string[]) =>
    runCli(args, { DATABASE_URL: url, KURA_AUDIT_KEY: KEY, KURA_MASTER_KEY: TEST_MASTER_KEY });

  beforeAll(async () => {
    url = await createServerDatabase();
    db = await PostgresDatabase.connect(url);
    await migrate(db);
    tenancy = createTenancy(db, { sessionTtlMs: 3_600_000, login: { maxFailures: 5, lockoutMs: 60_000 } });
    governance = createAuditGovernance(db, tenancy, {
      auditKey: KEY,
      dataDir: '/nonexistent',
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await db.close();
  });

  /** A company with six events: sign-ins, a key, a search. */
  async function companyWithEvents(): Promise<{ id: string; slug: string }> {
    const company = await createCompany(tenancy);
    for (let i = 0; i < 6; i += 1) {
      await governance.audit.record(company.id, {
        action: i % 2 ? 'search.query' : 'auth.sign_in',
        payload: i % 2 ? { queryHmac: 'a'.repeat(64), queryLength: i } : { method: 'password' },
        actor: { kind: 'user', id: `user-${i}` },
        ip: '192.0.2.1',
        requestId: `req-${i}`,
      });
    }
    return company;
  }

  /** Runs SQL as the database owner with the append-only trigger out of the way, as an attacker with that access would. */
  async function tamper(tenantId: string, ...statements: string[]): Promise<void> {
    await db.owner(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      for (const sql of statements) await tx.query(sql, [tenantId]);
      await tx.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    });
  }

  it('numbers events 1, 2, 3 … and links each to the previous hash; verify exits 0', async () => {
    const company = await companyWithEvents();
    const events = await governance.audit.list(company.id, { limit: 100 });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    const result = await cli('audit', 'verify', '--tenant', company.slug);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/intact: 6 events/);
  });

  it('gives concurrent writers of one company gapless, unique sequence numbers', async () => {
    const company = await createCompany(tenancy);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        governance.audit.record(company.id, {
          action: 'document.viewed',
          payload: {},
          actor: { kind: 'api_key', id: `k${i}` },
          target: { type: 'document', id: `d${i}` },
        }),
      ),
    );
    const events = await governance.audit.list(company.id, { limit: 100 });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await governance.audit.verify(company.id)).toMatchObject({ ok: true, events: 40 });
  });

  it('refuses UPDATE and DELETE by the application role, and by the owner while the trigger stands', async () => {
    const company = await companyWithEvents();
    await expect(
      db.tenant(company.id, (tx) =>
        tx.query(`UPDATE audit_events SET action = 'x' WHERE tenant_id = $1`, [company.id]),
      ),
    ).rejects.toThrow(/permission denied|append-only/);
    await expect(
      db.tenant(company.id, (tx) => tx.query('DELETE FROM audit_events WHERE tenant_id = $1', [company.id])),
    ).rejects.toThrow(/permission denied|append-only/);
    await expect(
      db.owner((tx) => tx.query(`UPDATE audit_events SET action = 'x' WHERE tenant_id = $1`, [company.id])),
    ).rejects.toThrow(/append-only/);
    expect(await governance.audit.verify(company.id)).toMatchObject({ ok: true, events: 6 });
  });

  it('names an edited event', async () => {
    const company = await companyWithEvents();
    await tamper(company.id, `UPDATE audit_events SET ip = '203.0.113.9' WHERE tenant_id = $1 AND seq = 4`);
    const result = await cli('audit', 'verify', '--tenant', company.slug);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BROKEN at event 4 \(hash_mismatch\)/);
  });

  it('names a deleted event', async () => {
    const company = await companyWithEvents();
    await tamper(company.id, 'DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3');
    const result = await cli('audit', 'verify', '--tenant', company.slug);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BROKEN at event 3 \(missing\)/);
  });

  it('names the newest events when they are deleted from the end', async () => {
    const company = await companyWithEvents();
    await tamper(company.id, 'DELETE FROM audit_events WHERE tenant_id = $1 AND seq >= 5');
    const result = await cli('audit', 'verify', '--tenant', company.slug);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BROKEN at event 5 \(missing\)/);
  });

  it('names an inserted event, even one whose own hash is consistent', async () => {
    const company = await companyWithEvents();
    // Make room at 3 and plant a forged event there, hashed correctly over its own content but
    // linked to nothing real: what a forger without the previous hash would write.
    const [three] = await governance.audit.list(company.id, { afterSeq: 2, limit: 1 });
    const { chainHash } = await import('../../src/governance/audit/audit-chain.js');
    const forged = {
      ...three!,
      id: '00000000-0000-4000-8000-00000000f00d',
      seq: 3,
      payload: { method: 'sso' },
    };
    const forgedPrev = 'f'.repeat(64);
    const forgedHash = chainHash(forgedPrev, forged);
    await tamper(
      company.id,
      'UPDATE audit_events SET seq = seq + 1000 WHERE tenant_id = $1 AND seq >= 3',
      'UPDATE audit_events SET seq = seq - 999 WHERE tenant_id = $1 AND seq >= 1000',
      `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, action, outcome, actor_kind, actor_id, target_type, target_id, request_id, ip, payload, prev_hash, hash)
       SELECT tenant_id, 3, '${forged.id}', occurred_at, action, outcome, actor_kind, actor_id, target_type, target_id, request_id, ip, '{"method":"sso"}', '${forgedPrev}', '${forgedHash}'
         FROM audit_events WHERE tenant_id = $1 AND seq = 4`,
    );
    const result = await cli('audit', 'verify', '--tenant', company.slug);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BROKEN at event 3 \(broken_link\)/);
  });

  it('names reordered events', async () => {
    const company = await companyWithEvents();
    await tamper(
      company.id,
      'UPDATE audit_events SET seq = 100 WHERE tenant_id = $1 AND seq = 2',
      'UPDATE audit_events SET seq = 2 WHERE tenant_id = $1 AND seq = 5',
      'UPDATE audit_events SET seq = 5 WHERE tenant_id = $1 AND seq = 100',
    );
    const result = await cli('audit', 'verify', '--tenant', company.slug, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, seq: 2, problem: 'hash_mismatch' });
  });

  it('keeps verification passing after retention prunes old events behind a signed checkpoint', async () => {
    const company = await createCompany(tenancy, { sector: 'medical' });
    const day = 86_400_000;
    const now = Date.now();
    for (const age of [2000, 1900, 1000, 10, 1]) {
      await governance.audit.record(company.id, {
        action: 'document.viewed',
        payload: {},
        actor: { kind: 'user', id: 'u' },
        occurredAt: new Date(now - age * day),
      });
    }
    // Medical keeps five years (1,825 days): the two oldest go.
    const pruned = await cli('audit', 'prune', '--tenant', company.slug);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/pruned 2 events through event 2 \(retention 1825 days\)/);
    const remaining = await governance.audit.list(company.id, { limit: 100 });
    expect(remaining.map((e) => e.action)).toEqual([
      'document.viewed',
      'document.viewed',
      'document.viewed',
      'audit.pruned',
    ]);
    const verified = await cli('audit', 'verify', '--tenant', company.slug);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/intact: 4 events \(from the retention checkpoint at event 2\)/);

    // A checkpoint not signed with this Kura's key is refused.
    const other = await runCli(['audit', 'verify', '--tenant', company.slug], {
      DATABASE_URL: url,
      KURA_AUDIT_KEY: 'another-key-0123456789abcdef0123456789abcdef',
      KURA_MASTER_KEY: TEST_MASTER_KEY,
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/checkpoint_forged/);
  });

  it('refuses to prune a broken log (that would destroy the evidence)', async () => {
    const company = await companyWithEvents();
    await tamper(
      company.id,
      `UPDATE audit_events SET actor_id = 'someone-else' WHERE tenant_id = $1 AND seq = 1`,
    );
    const result = await cli('audit', 'prune', '--tenant', company.slug, '--days', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken at event 1/);
  });

  it('exports JSON Lines and CSV with filters, and records who exported', async () => {
    const company = await companyWithEvents();
    const jsonl = await cli('audit', 'export', '--tenant', company.slug, '--action', 'search.query');
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout.split('\n').map((l) => JSON.parse(l) as { seq: number; action: string });
    expect(lines.map((l) => l.seq)).toEqual([2, 4, 6]);
    const csv = await cli(
      'audit',
      'export',
      '--tenant',
      company.slug,
      '--format',
      'csv',
      '--actor',
      'user-0',
    );
    const rows = csv.stdout.split(/\r?\n/);
    expect(rows[0]).toMatch(/^seq,occurred_at,action,outcome,actor_kind,actor_id/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^1,.*,auth\.sign_in,success,user,user-0,/);
    const since = await cli(
      'audit',
      'export',
      '--tenant',
      company.slug,
      '--since',
      new Date(Date.now() + 60_000).toISOString(),
    );
    expect(since.stdout).toBe('');
    const events = await governance.audit.list(company.id, { action: 'audit.read', limit: 10 });
    expect(events.map((e) => e.actor.kind)).toEqual(['operator', 'operator', 'operator']);
    expect(await governance.audit.verify(company.id)).toMatchObject({ ok: true });
  });

  it('erases the log with its company (the purge of a deleted company)', async () => {
    const company = await companyWithEvents();
    await tenancy.companies.remove(OPERATOR, company.id);
    const left = await db.owner((tx) =>
      tx.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_events WHERE tenant_id = $1', [
        company.id,
      ]),
    );
    expect(left[0]!.n).toBe('0');
  });

  it('sets and shows quotas from the command line (kura tenant set-quota / quota), audited as the operator', async () => {
    const company = await createCompany(tenancy);
    const set = await cli(
      'tenant',
      'set-quota',
      company.slug,
      '--rpm',
      '120',
      '--storage-mb',
      '512',
      '--monthly-tokens',
      '2000000',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe(
      `${company.slug}: rpm=120 storage=512 MB monthly-tokens=2000000 (storage in use 0.0 MB)`,
    );
    const lifted = await cli('tenant', 'set-quota', company.slug, '--rpm', 'none');
    expect(lifted.stdout).toMatch(/rpm=unlimited storage=512 MB/);
    const shown = await cli('tenant', 'quota', company.slug, '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({
      requestsPerMinute: null,
      storageMb: 512,
      monthlyTokens: 2_000_000,
    });
    const bad = await cli('tenant', 'set-quota', company.slug, '--rpm', 'lots');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--rpm takes a number/);
    expect((await cli('tenant', 'set-quota', company.slug)).code).toBe(1);
    const audited = await governance.audit.list(company.id, { action: 'policy.quota_updated', limit: 10 });
    expect(audited.map((e) => [e.actor.kind, e.payload])).toEqual([
      ['operator', { requestsPerMinute: 120, storageMb: 512, monthlyTokens: 2_000_000 }],
      ['operator', { requestsPerMinute: null }],
    ]);
  });
});
