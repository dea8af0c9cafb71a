import { OPERATOR } from '../../tenancy/actor.js';
import { generatePassword } from '../../tenancy/users/passwords.js';
import type { Runtime } from '../runtime.js';
import { seedDemoDocuments, type DemoDocumentsResult } from './demo-documents.js';
import { seedDemoSales } from './demo-sales.js';

/** The demo group: a holding company and two operating companies, with one account per role. */
export const DEMO = {
  group: { slug: 'sora', name: 'ソラグループ' },
  companies: [
    { slug: 'sora-hd', name: 'ソラホールディングス株式会社', region: 'jp-east', sector: 'general' },
    { slug: 'sora-mobile', name: 'ソラモバイル株式会社', region: 'jp-east', sector: 'general' },
    { slug: 'sora-pay', name: 'ソラペイ株式会社', region: 'jp-west', sector: 'finance' },
  ],
  users: [
    { company: 'sora-hd', email: 'group-admin@sora-hd.example', name: '持株 太郎', role: 'group_admin' },
    { company: 'sora-mobile', email: 'admin@sora-mobile.example', name: '管理 花子', role: 'admin' },
    { company: 'sora-mobile', email: 'member@sora-mobile.example', name: '社員 一郎', role: 'member' },
    { company: 'sora-mobile', email: 'viewer@sora-mobile.example', name: '閲覧 次郎', role: 'viewer' },
    { company: 'sora-pay', email: 'admin@sora-pay.example', name: '管理 美咲', role: 'admin' },
    { company: 'sora-pay', email: 'member@sora-pay.example', name: '社員 健太', role: 'member' },
    { company: 'sora-pay', email: 'viewer@sora-pay.example', name: '閲覧 由美', role: 'viewer' },
  ],
} as const;

const MARKER = 'demo_seeded';

const DEMO_COMPANY_SLUGS = DEMO.companies.map((c) => c.slug);

export interface DemoSeedResult {
  /** Present only on the run that created the demo: the password of every demo account. */
  password?: string;
  created: boolean;
  /** Demo documents indexed on this start (first start, or the first start of a version that has them). */
  documents: DemoDocumentsResult[];
}

/** Seeds the demo on first start only; a marker row makes later starts (and a crash midway) safe. */
export async function seedDemo(
  rt: Runtime,
  passwordFromEnv: string | undefined,
  options: { sales: boolean } = { sales: true },
): Promise<DemoSeedResult> {
  const marker = await rt.db.global((tx) =>
    tx.query('SELECT 1 FROM instance_settings WHERE key = $1', [MARKER]),
  );
  if (marker.length > 0) {
    // The sales database first: its curated model must not follow a proposal from a demo XLSX.
    if (options.sales) await seedDemoSales(rt, DEMO_COMPANY_SLUGS);
    return { created: false, documents: await seedDemoDocuments(rt, DEMO_COMPANY_SLUGS) };
  }
  const password = passwordFromEnv ?? generatePassword();
  const { tenancy } = rt;
  const group =
    (await tenancy.repos.groups.findBySlug(DEMO.group.slug)) ??
    (await tenancy.groups.create(OPERATOR, DEMO.group));
  const companies = new Map<string, string>();
  for (const c of DEMO.companies) {
    const company =
      (await tenancy.repos.companies.findBySlug(c.slug)) ??
      (await tenancy.companies.create(OPERATOR, { ...c, groupId: group.id }));
    companies.set(c.slug, company.id);
  }
  for (const u of DEMO.users) {
    const tenantId = companies.get(u.company)!;
    if (await tenancy.repos.users.findByEmailWithSecret(tenantId, u.email)) continue;
    await tenancy.users.create(OPERATOR, tenantId, { email: u.email, name: u.name, role: u.role, password });
  }
  await rt.db.global((tx) =>
    tx.query('INSERT INTO instance_settings (key, value) VALUES ($1, $2)', [
      MARKER,
      JSON.stringify({ at: new Date().toISOString() }),
    ]),
  );
  if (options.sales) await seedDemoSales(rt, DEMO_COMPANY_SLUGS);
  return { created: true, password, documents: await seedDemoDocuments(rt, DEMO_COMPANY_SLUGS) };
}
