import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import type { Company } from '../../src/tenancy/companies/company-repository.js';
import type { Group } from '../../src/tenancy/groups/group-repository.js';
import type { UserRole } from '../../src/tenancy/roles.js';
import { cookieHeaders, registeredRoutes, seedUser, signIn } from '../api/http-helpers.js';
import { bearer, createCompany, createGroup, TEST_PASSWORD } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The authorisation matrix: every registered route × every role (as a session and as an API key)
 * × own company / another company / no credentials, against one declarative table (MATRIX below).
 * A route the application registers without an entry fails the suite. Statuses are exact: 2xx for
 * an allowed call, 403 for a role the rule table denies in its own company, 404 for another
 * company's object, 401 without credentials.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Kind = 'session' | 'key';

interface Credential {
  name: string;
  role: UserRole;
  kind: Kind;
  headers: Record<string, string>;
}

/** One company of a group with credentials for every role and one object of each kind. */
interface World {
  group: Group;
  company: Company;
  credentials: Credential[];
  sourceId: string;
  documentId: string;
  /** A conversation of the member key (conversations are their owner's alone). */
  conversation: { id: string; messageId: string };
  /** Strings only this company has: none may appear in an answer given to another company. */
  markers: string[];
  /** The word only this company's document holds (content, where `markers` also has ids). */
  word: string;
}

/** What a call needs: its URL and body in the world addressed, made fresh for destructive calls. */
interface Request {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

/** Expected status per role; a role not named is denied (403) in its own company. */
type ByRole = Partial<Record<UserRole, number>>;

interface Entry {
  /** The request against `target`, made by `caller` (of the same or of another company). */
  request: (target: World, caller: Credential) => Promise<Request> | Request;
  own: ByRole;
  /** Sessions differ from keys (the OpenAI-compatible and MCP routes take API keys only). */
  ownSession?: ByRole;
  /**
   * Another company's caller naming this company's objects. Default for routes with ids: 404 where
   * the role is allowed, 403 where it is denied. Routes without ids act on the caller's own company:
   * the same status as `own`, and no marker of the other company in the answer.
   */
  other?: ByRole;
  otherSession?: ByRole;
  /** Without credentials (default 401; public routes answer as for everyone). */
  anonymous?: number;
  /**
   * The audit log keeps a company's own refused probes, with the ids its callers typed: only the
   * other company's content (not the ids the caller sent) must stay out of the answer.
   */
  echoesProbes?: boolean;
}

const ROLES: UserRole[] = ['admin', 'member', 'viewer', 'group_admin'];
const ALL = (status: number): ByRole => ({
  admin: status,
  member: status,
  viewer: status,
  group_admin: status,
});
const COMPANY_ROLES = (status: number): ByRole => ({ admin: status, member: status, viewer: status });
/** A group's own routes: its group admin only; to a company's own roles the group does not exist. */
const GROUP_ONLY = (status: number): ByRole => ({
  group_admin: status,
  admin: 404,
  member: 404,
  viewer: 404,
});

describe('authorisation matrix (embedded database)', () => {
  let t: TestApp;
  let a: World;
  let b: World;
  const folderRoot = mkdtempSync(path.join(os.tmpdir(), 'kura-matrix-'));
  writeFileSync(path.join(folderRoot, 'note.md'), '# note\n\nmatrix');

  beforeAll(async () => {
    t = await startTestApp('pglite', { KURA_FOLDER_ROOTS: folderRoot });
    a = await world('alpha');
    b = await world('bravo');
  });
  afterAll(async () => {
    await t.close();
    rmSync(folderRoot, { recursive: true, force: true });
  });

  async function world(marker: string): Promise<World> {
    const group = await createGroup(t.tenancy);
    const company = await createCompany(t.tenancy, { groupId: group.id });
    const credentials: Credential[] = [];
    for (const role of ROLES) {
      const user = await seedUser(t.tenancy, company.id, role);
      const session = await signIn(t.app, company.slug, user.email);
      credentials.push({ name: `${role} session`, role, kind: 'session', headers: cookieHeaders(session) });
      if (role === 'group_admin') continue; // API keys carry company roles only
      const key = await t.tenancy.apiKeys.create(OPERATOR, company.id, { role, name: `${role} key` });
      credentials.push({ name: `${role} key`, role, kind: 'key', headers: bearer(key.key) });
    }
    const source = await t.knowledge.repos.sources.insert(company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: `uploads ${marker}`,
      settings: {},
      secret: null,
    });
    const word = `${marker}${randomUUID().slice(0, 8)}`;
    const text = `Report of ${word}. matrixword.`;
    const outcome = await (
      await t.knowledge.ingest()
    ).ingest(
      company.id,
      {
        sourceId: source.id,
        externalId: `${word}.md`,
        title: `${word}.md`,
        uri: `upload://${word}.md`,
        sizeBytes: text.length,
        modifiedAt: null,
        acl: ['everyone'],
      },
      Buffer.from(text),
    );
    const memberKey = credentials.find((c) => c.name === 'member key')!;
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: memberKey.headers,
      payload: { question: `What is ${word}?` },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const { conversationId, messageId } = asked.json<{ conversationId: string; messageId: string }>();
    return {
      group,
      company,
      credentials,
      sourceId: source.id,
      documentId: outcome.document.id,
      conversation: { id: conversationId, messageId },
      markers: [company.id, company.slug, group.id, source.id, outcome.document.id, word, conversationId],
      word,
    };
  }

  const key = (w: World, role: UserRole) => w.credentials.find((c) => c.role === role && c.kind === 'key')!;
  const fresh = () => randomUUID().slice(0, 8);
  /** A conversation of the caller itself (a group admin may not ask: any id then). */
  async function ownConversation(w: World, caller: Credential): Promise<{ id: string; messageId: string }> {
    if (caller.role === 'group_admin') return { id: randomUUID(), messageId: randomUUID() };
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: caller.headers,
      payload: { question: 'matrixword?' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const body = asked.json<{ conversationId: string; messageId: string }>();
    return { id: body.conversationId, messageId: body.messageId };
  }
  /** The caller's own conversation in its own company; another company's caller gets the target's. */
  const conversationFor = async (w: World, caller: Credential) =>
    w.credentials.includes(caller) ? ownConversation(w, caller) : w.conversation;

  /**
   * THE TABLE. Expected statuses follow src/tenancy/policies.ts (RULES): write here what each role
   * may do, and a route the server registers without a line here fails the suite.
   */
  const MATRIX: Record<string, Entry> = {
    // Public: the same answer with or without credentials, for everyone.
    'GET /api/v1/openapi.json': {
      request: () => ({ url: '/api/v1/openapi.json' }),
      own: ALL(200),
      anonymous: 200,
    },
    'POST /api/v1/auth/login': {
      // Each attempt from its own address: the sign-in limiter is not what this table checks.
      request: () => ({
        url: '/api/v1/auth/login',
        payload: { company: 'nope', email: `${fresh()}@example.com`, password: 'wrong password' },
        remoteAddress: `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      }),
      own: ALL(401),
      anonymous: 401,
    },
    'POST /api/v1/auth/logout': {
      // A fresh session of its own each time: logging out must not end the matrix's sessions.
      request: async (w) => {
        const user = await seedUser(t.tenancy, w.company.id, 'member');
        return {
          url: '/api/v1/auth/logout',
          headers: cookieHeaders(await signIn(t.app, w.company.slug, user.email)),
        };
      },
      own: ALL(204),
      anonymous: 204,
    },
    'GET /api/v1/auth/sso/callback': {
      // Back to the console's sign-in page with an error: no flow was started.
      request: () => ({ url: '/api/v1/auth/sso/callback?code=x&state=y' }),
      own: ALL(302),
      anonymous: 302,
    },
    'GET /api/v1/auth/sso/:company': {
      request: (w) => ({ url: `/api/v1/auth/sso/${w.company.slug}` }),
      own: ALL(200),
      anonymous: 200,
    },
    'GET /api/v1/auth/sso/:company/start': {
      request: (w) => ({ url: `/api/v1/auth/sso/${w.company.slug}/start` }),
      own: ALL(404),
      anonymous: 404,
    },
    'GET /healthz': { request: () => ({ url: '/healthz' }), own: ALL(200), anonymous: 200 },
    // Loopback only (light-my-request connects from 127.0.0.1).
    'GET /metrics': { request: () => ({ url: '/metrics' }), own: ALL(200), anonymous: 200 },

    'GET /api/v1/me': { request: () => ({ url: '/api/v1/me' }), own: ALL(200) },

    'GET /api/v1/groups': { request: () => ({ url: '/api/v1/groups' }), own: { group_admin: 200 } },
    'GET /api/v1/groups/:id': {
      request: (w) => ({ url: `/api/v1/groups/${w.group.id}` }),
      own: GROUP_ONLY(200),
      other: ALL(404),
    },
    'PATCH /api/v1/groups/:id': {
      request: (w) => ({ url: `/api/v1/groups/${w.group.id}`, payload: { name: `Group ${fresh()}` } }),
      own: GROUP_ONLY(200),
      other: ALL(404),
    },
    'GET /api/v1/groups/:id/usage': {
      request: (w) => ({ url: `/api/v1/groups/${w.group.id}/usage?month=2026-11` }),
      own: GROUP_ONLY(200),
      other: ALL(404),
    },
    'GET /api/v1/groups/:id/budget': {
      request: (w) => ({ url: `/api/v1/groups/${w.group.id}/budget` }),
      own: GROUP_ONLY(200),
      other: ALL(404),
    },
    'PUT /api/v1/groups/:id/budget': {
      request: (w) => ({
        url: `/api/v1/groups/${w.group.id}/budget`,
        payload: {
          monthlyTokens: 1_000_000,
          split: 'shares',
          allocations: [{ company: w.company.id, value: 1 }],
        },
      }),
      own: GROUP_ONLY(200),
      other: ALL(404),
    },
    'DELETE /api/v1/groups/:id/budget': {
      request: (w) => ({ url: `/api/v1/groups/${w.group.id}/budget` }),
      own: GROUP_ONLY(200),
      other: ALL(404),
    },

    'GET /api/v1/companies': { request: () => ({ url: '/api/v1/companies' }), own: ALL(200) },
    'POST /api/v1/companies': {
      request: (w) => ({
        url: '/api/v1/companies',
        payload: { slug: `m-${fresh()}`, name: 'New', groupId: w.group.id },
      }),
      own: { group_admin: 201 },
      other: {},
    },
    'GET /api/v1/companies/:id': {
      request: (w) => ({ url: `/api/v1/companies/${w.company.id}` }),
      own: ALL(200),
    },
    'PATCH /api/v1/companies/:id': {
      request: (w) => ({ url: `/api/v1/companies/${w.company.id}`, payload: { name: `Company ${fresh()}` } }),
      own: { admin: 200, group_admin: 200 },
      other: ALL(404),
    },
    'DELETE /api/v1/companies/:id': {
      // A fresh company of the group: a company's own users are not in reach of deleting it.
      request: async (w) => ({
        url: `/api/v1/companies/${(await createCompany(t.tenancy, { groupId: w.group.id })).id}`,
      }),
      own: { group_admin: 204, admin: 404, member: 404, viewer: 404 },
      other: ALL(404),
    },
    'GET /api/v1/companies/:id/policy': {
      request: (w) => ({ url: `/api/v1/companies/${w.company.id}/policy` }),
      own: { admin: 200, group_admin: 200 },
      other: ALL(404),
    },
    'PUT /api/v1/companies/:id/policy': {
      request: (w) => ({
        url: `/api/v1/companies/${w.company.id}/policy`,
        payload: { allowedRegions: null, allowedProviders: null, allowRetaining: true, piiMode: 'off' },
      }),
      own: { admin: 200, group_admin: 200 },
      other: ALL(404),
    },
    'GET /api/v1/companies/:id/quota': {
      request: (w) => ({ url: `/api/v1/companies/${w.company.id}/quota` }),
      own: { admin: 200, group_admin: 200 },
      other: ALL(404),
    },
    'PUT /api/v1/companies/:id/quota': {
      request: (w) => ({
        url: `/api/v1/companies/${w.company.id}/quota`,
        payload: { requestsPerMinute: null },
      }),
      own: { group_admin: 200 },
      other: ALL(404),
    },

    'GET /api/v1/users': { request: () => ({ url: '/api/v1/users' }), own: { admin: 200, group_admin: 200 } },
    'POST /api/v1/users': {
      request: () => ({
        url: '/api/v1/users',
        payload: { email: `u-${fresh()}@example.com`, role: 'member', password: TEST_PASSWORD },
      }),
      own: { admin: 201, group_admin: 201 },
    },
    'GET /api/v1/users/:id': {
      request: async (w) => ({ url: `/api/v1/users/${(await seedUser(t.tenancy, w.company.id)).id}` }),
      own: { admin: 200, group_admin: 200 },
    },
    'PATCH /api/v1/users/:id': {
      request: async (w) => ({
        url: `/api/v1/users/${(await seedUser(t.tenancy, w.company.id)).id}`,
        payload: { name: 'Renamed' },
      }),
      own: { admin: 200, group_admin: 200 },
    },
    'DELETE /api/v1/users/:id': {
      request: async (w) => ({ url: `/api/v1/users/${(await seedUser(t.tenancy, w.company.id)).id}` }),
      own: { admin: 204, group_admin: 204 },
    },

    'GET /api/v1/api-keys': { request: () => ({ url: '/api/v1/api-keys' }), own: { admin: 200 } },
    'POST /api/v1/api-keys': {
      request: () => ({ url: '/api/v1/api-keys', payload: { name: `k-${fresh()}`, role: 'viewer' } }),
      own: { admin: 201 },
    },
    'DELETE /api/v1/api-keys/:id': {
      request: async (w) => ({
        url: `/api/v1/api-keys/${(await t.tenancy.apiKeys.create(OPERATOR, w.company.id, { role: 'viewer' })).apiKey.id}`,
      }),
      own: { admin: 200 },
    },

    'GET /api/v1/sso': { request: () => ({ url: '/api/v1/sso' }), own: { admin: 404 } },
    // An issuer that cannot be reached: refused, the configuration unchanged.
    'PUT /api/v1/sso': {
      request: () => ({
        url: '/api/v1/sso',
        payload: { issuer: 'http://127.0.0.1:9/', clientId: 'c', clientSecret: 's' },
      }),
      own: { admin: 400 },
    },
    'DELETE /api/v1/sso': { request: () => ({ url: '/api/v1/sso' }), own: { admin: 404 } },

    'GET /api/v1/search': {
      request: () => ({ url: '/api/v1/search?q=matrixword' }),
      own: COMPANY_ROLES(200),
    },
    'GET /api/v1/search/synonyms': {
      request: () => ({ url: '/api/v1/search/synonyms' }),
      own: COMPANY_ROLES(200),
    },
    'PUT /api/v1/search/synonyms': {
      request: () => ({ url: '/api/v1/search/synonyms', payload: { groups: [['matrixword', 'gridword']] } }),
      own: { admin: 200 },
    },
    'GET /api/v1/search/embeddings': {
      request: () => ({ url: '/api/v1/search/embeddings' }),
      own: { admin: 200 },
    },
    'GET /api/v1/sector-presets': {
      request: () => ({ url: '/api/v1/sector-presets' }),
      own: { admin: 200, group_admin: 200 },
    },

    'GET /api/v1/sources': { request: () => ({ url: '/api/v1/sources' }), own: { admin: 200 } },
    'POST /api/v1/sources': {
      request: () => ({
        url: '/api/v1/sources',
        payload: { kind: 'folder', name: `folder ${fresh()}`, settings: { path: folderRoot } },
      }),
      own: { admin: 201 },
    },
    'GET /api/v1/sources/:id': {
      request: (w) => ({ url: `/api/v1/sources/${w.sourceId}` }),
      own: { admin: 200 },
    },
    'PATCH /api/v1/sources/:id': {
      request: (w) => ({ url: `/api/v1/sources/${w.sourceId}`, payload: { name: `uploads ${fresh()}` } }),
      own: { admin: 200 },
    },
    'DELETE /api/v1/sources/:id': {
      request: async (w) => {
        const source = await t.knowledge.repos.sources.insert(w.company.id, {
          id: randomUUID(),
          kind: 'upload',
          name: `doomed ${fresh()}`,
          settings: {},
          secret: null,
        });
        return { url: `/api/v1/sources/${source.id}` };
      },
      own: { admin: 204 },
    },
    'POST /api/v1/sources/:id/sync': {
      request: (w) => ({ url: `/api/v1/sources/${w.sourceId}/sync` }),
      own: { admin: 202 },
    },
    'GET /api/v1/jobs/:id': {
      request: async (w) => {
        const job = await t.jobs.enqueue(
          'source.sync',
          { tenantId: w.company.id, sourceId: w.sourceId },
          { tenantId: w.company.id, dedupeKey: `matrix-${fresh()}` },
        );
        return { url: `/api/v1/jobs/${job.id}` };
      },
      own: { admin: 200 },
    },

    'GET /api/v1/documents': { request: () => ({ url: '/api/v1/documents' }), own: COMPANY_ROLES(200) },
    'POST /api/v1/documents': {
      request: () => {
        const upload = multipartBody({}, [
          { name: 'file', fileName: `m-${fresh()}.md`, content: `# upload\n\nmatrix ${fresh()}` },
        ]);
        return { url: '/api/v1/documents', payload: upload.payload, headers: upload.headers };
      },
      own: { admin: 201 },
    },
    'GET /api/v1/documents/:id': {
      request: (w) => ({ url: `/api/v1/documents/${w.documentId}` }),
      // A role that may read no document learns nothing of any: 404 (issue 8, journey 3).
      own: { ...COMPANY_ROLES(200), group_admin: 404 },
      other: { ...COMPANY_ROLES(404), group_admin: 404 },
    },
    'GET /api/v1/documents/:id/text': {
      request: (w) => ({ url: `/api/v1/documents/${w.documentId}/text` }),
      // A role that may read no document learns nothing of any: 404 (issue 8, journey 3).
      own: { ...COMPANY_ROLES(200), group_admin: 404 },
      other: { ...COMPANY_ROLES(404), group_admin: 404 },
    },
    'DELETE /api/v1/documents/:id': {
      request: async (w) => {
        const upload = multipartBody(key(w, 'admin').headers, [
          { name: 'file', fileName: `doomed-${fresh()}.md`, content: '# doomed\n\nmatrix' },
        ]);
        const created = await t.app.inject({ method: 'POST', url: '/api/v1/documents', ...upload });
        const id = created.json<{ results: { document: { id: string } }[] }>().results[0]!.document.id;
        return { url: `/api/v1/documents/${id}` };
      },
      own: { admin: 204 },
    },

    'GET /api/v1/providers': {
      request: () => ({ url: '/api/v1/providers' }),
      own: { admin: 200, group_admin: 200 },
    },
    'POST /api/v1/providers': {
      request: () => ({
        url: '/api/v1/providers',
        payload: {
          name: `p-${fresh()}`,
          kind: 'openai-compatible',
          baseUrl: 'http://127.0.0.1:9/v1',
          region: 'jp-east',
          chatModel: 'm',
        },
      }),
      own: {},
    },
    'DELETE /api/v1/providers/:name': {
      request: () => ({ url: '/api/v1/providers/none' }),
      own: {},
      other: {},
    },

    // Company B has no analytics source: allowed callers hear 404 (nothing to ask), never 5xx.
    'POST /api/v1/data/ask': {
      request: () => ({ url: '/api/v1/data/ask', payload: { question: '地域別の売上' } }),
      own: COMPANY_ROLES(404),
    },
    'POST /api/v1/data/query': {
      request: () => ({ url: '/api/v1/data/query', payload: { query: { metrics: ['sales'] } } }),
      own: COMPANY_ROLES(404),
    },
    'GET /api/v1/data/model': {
      request: () => ({ url: '/api/v1/data/model' }),
      own: { admin: 404, member: 404 },
    },
    'PUT /api/v1/data/model': {
      request: () => ({
        url: '/api/v1/data/model',
        payload: {
          yaml: 'source: nosuch\ntables: [{name: t, table: t}]\nmeasures: [{name: n, label: n, table: t, aggregation: count}]',
        },
      }),
      own: { admin: 404 },
    },
    'POST /api/v1/data/model/propose': {
      request: () => ({ url: '/api/v1/data/model/propose', payload: { source: 'nosuch' } }),
      own: { admin: 404 },
    },
    'GET /api/v1/data/tables': {
      request: () => ({ url: '/api/v1/data/tables?source=nosuch' }),
      own: { admin: 404 },
    },

    'GET /api/v1/audit': {
      request: () => ({ url: '/api/v1/audit' }),
      own: { admin: 200 },
      echoesProbes: true,
    },
    'GET /api/v1/audit/export': {
      request: () => ({ url: '/api/v1/audit/export' }),
      own: { admin: 200 },
      echoesProbes: true,
    },
    'GET /api/v1/audit/verify': { request: () => ({ url: '/api/v1/audit/verify' }), own: { admin: 200 } },

    'POST /api/v1/ask': {
      request: () => ({ url: '/api/v1/ask', payload: { question: 'matrixword?' } }),
      own: COMPANY_ROLES(200),
    },
    'GET /api/v1/conversations': {
      request: () => ({ url: '/api/v1/conversations' }),
      own: COMPANY_ROLES(200),
    },
    'GET /api/v1/conversations/:id': {
      request: async (w, caller) => ({
        url: `/api/v1/conversations/${(await conversationFor(w, caller)).id}`,
      }),
      own: COMPANY_ROLES(200),
    },
    'PATCH /api/v1/conversations/:id': {
      request: async (w, caller) => ({
        url: `/api/v1/conversations/${(await conversationFor(w, caller)).id}`,
        payload: { title: 'Renamed' },
      }),
      own: COMPANY_ROLES(200),
    },
    'DELETE /api/v1/conversations/:id': {
      request: async (w, caller) => ({
        url: `/api/v1/conversations/${(await conversationFor(w, caller)).id}`,
      }),
      own: COMPANY_ROLES(204),
    },
    'PUT /api/v1/conversations/:id/messages/:messageId/feedback': {
      request: async (w, caller) => {
        const { id, messageId } = await conversationFor(w, caller);
        return {
          url: `/api/v1/conversations/${id}/messages/${messageId}/feedback`,
          payload: { rating: 'good' },
        };
      },
      own: COMPANY_ROLES(204),
    },

    // OpenAI-compatible and MCP: API keys only (a browser session is not a credential here).
    'GET /v1/models': {
      request: () => ({ url: '/v1/models' }),
      own: COMPANY_ROLES(200),
      ownSession: ALL(401),
    },
    'POST /v1/chat/completions': {
      request: () => ({
        url: '/v1/chat/completions',
        payload: { model: 'kura', messages: [{ role: 'user', content: 'matrixword?' }] },
      }),
      own: COMPANY_ROLES(200),
      ownSession: ALL(401),
    },
    'POST /mcp': {
      request: () => ({
        url: '/mcp',
        headers: { accept: 'application/json, text/event-stream' },
        payload: {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-03-26',
            capabilities: {},
            clientInfo: { name: 'matrix', version: '1' },
          },
        },
      }),
      own: COMPANY_ROLES(200),
      ownSession: ALL(401),
    },
    'GET /mcp': { request: () => ({ url: '/mcp' }), own: COMPANY_ROLES(405), ownSession: ALL(405) },
    'DELETE /mcp': { request: () => ({ url: '/mcp' }), own: COMPANY_ROLES(405), ownSession: ALL(405) },
  };

  function expected(entry: Entry, credential: Credential, sameCompany: boolean, route: string): number {
    const ownTable = credential.kind === 'session' && entry.ownSession ? entry.ownSession : entry.own;
    const ownStatus = ownTable[credential.role] ?? 403;
    if (sameCompany) return ownStatus;
    const otherTable = credential.kind === 'session' && entry.otherSession ? entry.otherSession : entry.other;
    if (otherTable) return otherTable[credential.role] ?? 403;
    if (!route.includes(':') || entry.anonymous !== undefined) return ownStatus;
    // Another company's object: 404 for a caller who could act on its own, 403 for one who could not.
    return ownStatus >= 200 && ownStatus < 300 ? 404 : ownStatus;
  }

  async function send(
    route: string,
    request: Request,
    headers: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    const method = route.split(' ')[0] as Method;
    return t.app.inject({
      method,
      url: request.url,
      headers: { ...headers, ...request.headers },
      ...(request.payload === undefined ? {} : { payload: request.payload as object }),
      ...(request.remoteAddress ? { remoteAddress: request.remoteAddress } : {}),
    });
  }

  it('the table names every registered route', () => {
    // The console's static files (present once web/dist is built) are public and the same for everyone.
    const CONSOLE_FILE = /^GET \/(?!api\/|v1\/|mcp$|healthz$|metrics$)/;
    const registered = [
      ...new Set(registeredRoutes(t.app).filter((r) => !r.startsWith('HEAD ') && !CONSOLE_FILE.test(r))),
    ].sort();
    expect(registered.length).toBeGreaterThan(60);
    expect(
      registered,
      'a route is missing from MATRIX in test/security/authorization-matrix.test.ts',
    ).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.keys(MATRIX))('%s', async (route) => {
    const entry = MATRIX[route]!;
    const failures: string[] = [];
    const check = (what: string, response: LightMyRequestResponse, status: number) => {
      if (response.statusCode !== status)
        failures.push(
          `${what}: expected ${status}, got ${response.statusCode} ${response.body.slice(0, 160)}`,
        );
      if (response.statusCode >= 500) failures.push(`${what}: server error`);
    };

    const anonymous = await send(route, await entry.request(a, a.credentials[0]!), {});
    check('no credentials', anonymous, entry.anonymous ?? 401);

    for (const credential of a.credentials) {
      const response = await send(route, await entry.request(a, credential), credential.headers);
      check(`own company, ${credential.name}`, response, expected(entry, credential, true, route));
    }
    for (const credential of b.credentials) {
      const what = `other company, ${credential.name}`;
      const response = await send(route, await entry.request(a, credential), {
        ...credential.headers,
        'x-tenant-id': a.company.id,
      });
      check(what, response, expected(entry, credential, false, route));
      for (const marker of entry.echoesProbes ? [a.word] : a.markers)
        if (response.body.includes(marker))
          failures.push(`${what}: the answer carries the other company's ${marker}`);
    }
    expect(failures).toEqual([]);
  });
});
