import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import type { Company } from '../../src/tenancy/companies/company-repository.js';
import type { Group } from '../../src/tenancy/groups/group-repository.js';
import type { UserRole } from '../../src/tenancy/roles.js';
import type { User } from '../../src/tenancy/users/user-repository.js';
import { bearer, createCompany, createGroup, TEST_PASSWORD } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { ENGINES } from '../helpers/test-database.js';
import {
  cookieHeaders,
  errorCode,
  postLogin,
  randomId,
  registeredRoutes,
  signIn,
  seedUser,
} from '../api/http-helpers.js';

/**
 * Company B's credentials against company A's objects, route by route. The route table below must
 * name every authenticated /api/v1 route the application registers: a new route fails the coverage
 * test until its cross-company behaviour is written down here. /api/v1/auth/* (sign-in, SSO sign-in)
 * and the OpenAPI document are public and checked separately.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Credential {
  name: string;
  role: UserRole;
  headers: Record<string, string>;
}

/** One company with everything a client can reach, and its own credentials. */
interface World {
  group: Group;
  company: Company;
  sibling: Company;
  admin: User;
  member: User;
  groupAdmin: User;
  keys: Record<'admin' | 'member' | 'viewer', { id: string; prefix: string; key: string }>;
  adminSession: Record<string, string>;
  groupAdminSession: Record<string, string>;
  /** Strings that must never appear in an answer given to another company. */
  traces: string[];
}

const PUBLIC_ROUTE = /^(?:GET|HEAD|POST) \/api\/v1\/(?:auth\/.*|openapi\.json)$/;

describe.each(ENGINES)('cross-company isolation on %s', (engine) => {
  let t: TestApp;
  let a: World;
  let b: World;
  let bCredentials: Credential[];
  let aDocument: { id: string; title: string; sourceId: string; sourceName: string };
  let bDocument: { id: string; title: string; sourceId: string; sourceName: string };
  const SHARED_WORD = 'zephyrkite';
  const A_ONLY_WORD = 'quokkamarble';

  beforeAll(async () => {
    t = await startTestApp(engine);
    [a, b] = await Promise.all([world(), world()]);
    await t.tenancy.repos.ssoConfigs.upsert(a.company.id, {
      issuer: 'https://idp.company-a.example',
      clientId: `client-of-${a.company.slug}`,
      clientSecret: 'secret-of-company-a',
      defaultRole: 'member',
    });
    a.traces.push('https://idp.company-a.example', `client-of-${a.company.slug}`, 'secret-of-company-a');
    // One shared word in a document of each company, and a word only A's document has.
    aDocument = await plantDocument(a, `Quarterly report of A. ${SHARED_WORD} ${A_ONLY_WORD}.`);
    bDocument = await plantDocument(b, `Quarterly report of B. ${SHARED_WORD}.`);
    a.traces.push(aDocument.id, aDocument.title, A_ONLY_WORD);
    bCredentials = [
      { name: "B's admin key", role: 'admin', headers: bearer(b.keys.admin.key) },
      { name: "B's member key", role: 'member', headers: bearer(b.keys.member.key) },
      { name: "B's viewer key", role: 'viewer', headers: bearer(b.keys.viewer.key) },
      { name: "B's admin session", role: 'admin', headers: b.adminSession },
      { name: "B's group admin session", role: 'group_admin', headers: b.groupAdminSession },
    ];
  });
  afterAll(() => t.close());

  async function world(): Promise<World> {
    const group = await createGroup(t.tenancy);
    const [company, sibling] = await Promise.all([
      createCompany(t.tenancy, { groupId: group.id }),
      createCompany(t.tenancy, { groupId: group.id }),
    ]);
    const [admin, member, groupAdmin] = await Promise.all([
      seedUser(t.tenancy, company.id, 'admin'),
      seedUser(t.tenancy, company.id, 'member'),
      seedUser(t.tenancy, company.id, 'group_admin'),
    ]);
    const mint = async (role: 'admin' | 'member' | 'viewer') => {
      const created = await t.tenancy.apiKeys.create(OPERATOR, company.id, {
        role,
        name: `${role} key of ${company.slug}`,
      });
      return { id: created.apiKey.id, prefix: created.apiKey.prefix, key: created.key };
    };
    const keys = { admin: await mint('admin'), member: await mint('member'), viewer: await mint('viewer') };
    const adminSession = cookieHeaders(await signIn(t.app, company.slug, admin.email));
    const groupAdminSession = cookieHeaders(await signIn(t.app, company.slug, groupAdmin.email));
    const traces = [
      group.id,
      group.slug,
      group.name,
      ...[company, sibling].flatMap((c) => [c.id, c.slug, c.name]),
      ...[admin, member, groupAdmin].flatMap((u) => [u.id, u.email]),
      ...Object.values(keys).flatMap((k) => [k.id, k.prefix, k.key]),
    ];
    return {
      group,
      company,
      sibling,
      admin,
      member,
      groupAdmin,
      keys,
      adminSession,
      groupAdminSession,
      traces,
    };
  }

  /** A document everyone in the company may read, through the real ingest path. */
  async function plantDocument(
    owner: World,
    text: string,
  ): Promise<{ id: string; title: string; sourceId: string; sourceName: string }> {
    const source = await t.knowledge.repos.sources.insert(owner.company.id, {
      id: randomUUID(),
      kind: 'upload',
      name: `uploads of ${owner.company.slug}`,
      settings: {},
      secret: null,
    });
    const title = `report-of-${owner.company.slug}.md`;
    const outcome = await (
      await t.knowledge.ingest()
    ).ingest(
      owner.company.id,
      {
        sourceId: source.id,
        externalId: title,
        title,
        uri: `upload://${title}`,
        sizeBytes: text.length,
        modifiedAt: null,
        acl: ['everyone'],
      },
      Buffer.from(text),
    );
    expect(outcome.status).toBe('indexed');
    owner.traces.push(source.id, source.name);
    return {
      id: outcome.document.id,
      title: outcome.document.title,
      sourceId: source.id,
      sourceName: source.name,
    };
  }

  const call = (headers: Record<string, string>, method: Method, url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  function expectNoTraceOfA(response: LightMyRequestResponse, what: string): void {
    for (const trace of a.traces)
      expect(response.body, `${what} answered with A's ${trace}`).not.toContain(trace);
  }

  /** Everything of A, read through A's own credentials; `lastUsedAt` moves with A's own key use. */
  async function snapshotOfA(): Promise<unknown> {
    const admin = bearer(a.keys.admin.key);
    const responses = await Promise.all([
      call(admin, 'GET', `/api/v1/companies/${a.company.id}`),
      call(admin, 'GET', '/api/v1/users'),
      call(admin, 'GET', '/api/v1/api-keys'),
      call(admin, 'GET', '/api/v1/sso'),
      call(a.groupAdminSession, 'GET', '/api/v1/companies'),
      call(a.groupAdminSession, 'GET', `/api/v1/groups/${a.group.id}`),
      call(a.adminSession, 'GET', '/api/v1/me'),
      call(bearer(a.keys.member.key), 'GET', '/api/v1/me'),
      call(bearer(a.keys.viewer.key), 'GET', '/api/v1/me'),
    ]);
    return responses.map((r) => ({
      status: r.statusCode,
      body: JSON.parse(r.body, (key, value: unknown) =>
        key === 'lastUsedAt' ? undefined : value,
      ) as unknown,
    }));
  }

  let before: unknown;
  async function expectAUnchanged(after: string): Promise<void> {
    before ??= await snapshotOfA();
    expect(await snapshotOfA(), `A changed after ${after}`).toEqual(before);
  }

  /**
   * A route addressing one object by id: A's real ids answer exactly like a random UUID (no existence
   * leak): 404, or 403 when the caller's role may not do this even in its own company.
   */
  async function byId(
    method: Method,
    prefix: string,
    ids: () => string[],
    forbiddenFor: UserRole[],
    payload?: unknown,
  ): Promise<void> {
    for (const credential of bCredentials) {
      const expected = forbiddenFor.includes(credential.role) ? 403 : 404;
      const guess = await call(credential.headers, method, `${prefix}${randomId()}`, payload);
      expect(guess.statusCode, `${credential.name}: ${method} ${prefix}<random>`).toBe(expected);
      for (const id of ids()) {
        const what = `${credential.name}: ${method} ${prefix}${id}`;
        const response = await call(credential.headers, method, `${prefix}${id}`, payload);
        expect(response.statusCode, what).toBe(expected);
        expect(response.json(), what).toEqual(guess.json());
        if (method !== 'GET') await expectAUnchanged(what);
      }
    }
  }

  /** A company's residency policy addressed by B: A's companies answer exactly like a random id, and stay unchanged. */
  async function policyById(method: Method, payload?: unknown): Promise<void> {
    const policiesBefore = await Promise.all(
      [a.company.id, a.sibling.id].map((id) => t.governance.policies.find(id)),
    );
    for (const credential of bCredentials) {
      const guess = await call(credential.headers, method, `/api/v1/companies/${randomId()}/policy`, payload);
      expect(guess.statusCode, `${credential.name}: ${method} <random>/policy`).toBe(404);
      for (const id of [a.company.id, a.sibling.id]) {
        const what = `${credential.name}: ${method} /api/v1/companies/${id}/policy`;
        const response = await call(credential.headers, method, `/api/v1/companies/${id}/policy`, payload);
        expect(response.statusCode, what).toBe(404);
        expect(response.json(), what).toEqual(guess.json());
        expectNoTraceOfA(response, what);
      }
    }
    const policiesAfter = await Promise.all(
      [a.company.id, a.sibling.id].map((id) => t.governance.policies.find(id)),
    );
    expect(policiesAfter).toEqual(policiesBefore);
  }

  /** A list: B's roles that may list get their own company's objects and none of A's, whatever the query says. */
  async function list(
    url: string,
    forbiddenFor: UserRole[],
    ownItems: (body: unknown) => unknown[],
  ): Promise<void> {
    const smuggled = [
      url,
      `${url}?tenantId=${a.company.id}`,
      `${url}?companyId=${a.company.id}&groupId=${a.group.id}`,
    ];
    for (const credential of bCredentials) {
      for (const target of smuggled) {
        const what = `${credential.name}: GET ${target}`;
        const response = await call({ ...credential.headers, 'x-tenant-id': a.company.id }, 'GET', target);
        expect(response.statusCode, what).toBe(forbiddenFor.includes(credential.role) ? 403 : 200);
        expectNoTraceOfA(response, what);
        if (response.statusCode === 200) expect(ownItems(response.json()).length, what).toBeGreaterThan(0);
      }
    }
  }

  /** A conversation of A (its member key's), asked about A's own document. */
  let aConversation: Promise<{ id: string; messageId: string }> | undefined;
  const conversationOfA = () =>
    (aConversation ??= call(bearer(a.keys.member.key), 'POST', '/api/v1/ask', {
      question: `What is ${A_ONLY_WORD}?`,
    }).then((r) => {
      const body = r.json<{ conversationId: string; messageId: string }>();
      return { id: body.conversationId, messageId: body.messageId };
    }));
  const aConversationIntact = async (what: string) => {
    const { id } = await conversationOfA();
    const response = await call(bearer(a.keys.member.key), 'GET', `/api/v1/conversations/${id}`);
    expect(response.statusCode, what).toBe(200);
    expect(response.json<{ title: string; messages: unknown[] }>(), what).toMatchObject({
      title: `What is ${A_ONLY_WORD}?`,
      messages: [{ role: 'user' }, { role: 'assistant', feedback: null }],
    });
  };

  /** The route table: every authenticated /api/v1 route and how company B probes company A through it. */
  const ROUTES: Record<string, () => Promise<void>> = {
    'GET /api/v1/me': async () => {
      for (const credential of bCredentials) {
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          '/api/v1/me',
        );
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ company: { id: b.company.id }, role: credential.role });
        expectNoTraceOfA(response, credential.name);
      }
    },

    'GET /api/v1/companies': () =>
      list('/api/v1/companies', [], (body) => (body as { companies: unknown[] }).companies),
    'POST /api/v1/companies': async () => {
      for (const credential of bCredentials) {
        const slug = `intruder-${randomId().slice(0, 8)}`;
        const what = `${credential.name}: POST /api/v1/companies into A's group`;
        const response = await call(credential.headers, 'POST', '/api/v1/companies', {
          slug,
          name: 'Intruder',
          groupId: a.group.id,
        });
        expect(response.statusCode, what).toBe(403);
        expect(await t.tenancy.repos.companies.findBySlug(slug)).toBeUndefined();
        await expectAUnchanged(what);
      }
    },
    'GET /api/v1/companies/:id': () =>
      byId('GET', '/api/v1/companies/', () => [a.company.id, a.sibling.id], []),
    'PATCH /api/v1/companies/:id': () =>
      byId('PATCH', '/api/v1/companies/', () => [a.company.id, a.sibling.id], [], {
        name: 'Taken over',
        region: 'us',
      }),
    'DELETE /api/v1/companies/:id': () =>
      byId('DELETE', '/api/v1/companies/', () => [a.company.id, a.sibling.id], []),

    'GET /api/v1/users': () =>
      list('/api/v1/users', ['member', 'viewer'], (body) => (body as { users: unknown[] }).users),
    'POST /api/v1/users': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: POST /api/v1/users naming A`;
        const email = `planted-${randomId().slice(0, 8)}@example.com`;
        const response = await call(credential.headers, 'POST', '/api/v1/users', {
          email,
          role: 'admin',
          password: TEST_PASSWORD,
          tenantId: a.company.id,
          companyId: a.company.id,
        });
        if (credential.role === 'member' || credential.role === 'viewer') {
          expect(response.statusCode, what).toBe(403);
        } else {
          // Created, but in B: the body cannot name another company.
          expect(response.statusCode, what).toBe(201);
          expect(response.json<{ user: { tenantId: string } }>().user.tenantId).toBe(b.company.id);
          expect((await postLogin(t.app, a.company.slug, email)).statusCode, what).toBe(401);
        }
        await expectAUnchanged(what);
      }
    },
    'GET /api/v1/users/:id': () =>
      byId('GET', '/api/v1/users/', () => [a.admin.id, a.groupAdmin.id, a.member.id], ['member', 'viewer']),
    'PATCH /api/v1/users/:id': () =>
      byId(
        'PATCH',
        '/api/v1/users/',
        () => [a.admin.id, a.groupAdmin.id, a.member.id],
        ['member', 'viewer'],
        {
          name: 'Taken over',
          disabled: true,
          password: 'attacker chosen password',
        },
      ),
    'DELETE /api/v1/users/:id': () =>
      byId('DELETE', '/api/v1/users/', () => [a.admin.id, a.groupAdmin.id, a.member.id], [
        'member',
        'viewer',
      ]),

    'GET /api/v1/api-keys': () =>
      list(
        '/api/v1/api-keys',
        ['member', 'viewer', 'group_admin'],
        (body) => (body as { apiKeys: unknown[] }).apiKeys,
      ),
    'POST /api/v1/api-keys': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: POST /api/v1/api-keys naming A`;
        const response = await call(credential.headers, 'POST', '/api/v1/api-keys', {
          name: 'planted',
          role: 'admin',
          tenantId: a.company.id,
        });
        if (credential.role !== 'admin') {
          expect(response.statusCode, what).toBe(403);
        } else {
          expect(response.statusCode, what).toBe(201);
          const me = await call(bearer(response.json<{ key: string }>().key), 'GET', '/api/v1/me');
          expect(me.json()).toMatchObject({ company: { id: b.company.id } });
        }
        await expectAUnchanged(what);
      }
    },
    'DELETE /api/v1/api-keys/:id': () =>
      byId('DELETE', '/api/v1/api-keys/', () => Object.values(a.keys).map((k) => k.id), [
        'member',
        'viewer',
        'group_admin',
      ]),

    'GET /api/v1/groups': () =>
      list('/api/v1/groups', ['admin', 'member', 'viewer'], (body) => (body as { groups: unknown[] }).groups),
    'GET /api/v1/groups/:id': () => byId('GET', '/api/v1/groups/', () => [a.group.id], []),
    'PATCH /api/v1/groups/:id': () =>
      byId('PATCH', '/api/v1/groups/', () => [a.group.id], [], { name: 'Taken over' }),
    'GET /api/v1/groups/:id/usage': async () => {
      for (const credential of bCredentials) {
        const guess = await call(
          credential.headers,
          'GET',
          `/api/v1/groups/${randomId()}/usage?month=2026-11`,
        );
        expect(guess.statusCode, credential.name).toBe(404);
        const response = await call(
          credential.headers,
          'GET',
          `/api/v1/groups/${a.group.id}/usage?month=2026-11`,
        );
        expect(response.statusCode, credential.name).toBe(404);
        expect(response.json()).toEqual(guess.json());
      }
    },

    // A group's budget: B's credentials answer for A's group exactly like for a random id.
    ...Object.fromEntries(
      (['GET', 'PUT', 'DELETE'] as const).map((method) => [
        `${method} /api/v1/groups/:id/budget`,
        async () => {
          const payload =
            method === 'PUT' ? { monthlyTokens: 1, split: 'shares', allocations: [] } : undefined;
          for (const credential of bCredentials) {
            const guess = await call(
              credential.headers,
              method,
              `/api/v1/groups/${randomId()}/budget`,
              payload,
            );
            expect(guess.statusCode, credential.name).toBe(404);
            const response = await call(
              credential.headers,
              method,
              `/api/v1/groups/${a.group.id}/budget`,
              payload,
            );
            expect(response.statusCode, credential.name).toBe(404);
            expect(response.json()).toEqual(guess.json());
          }
          expect((await t.governance.groupBudgets.get(OPERATOR, a.group.id)).monthlyTokens).toBeNull();
        },
      ]),
    ),

    'GET /api/v1/search': async () => {
      for (const credential of bCredentials) {
        for (const query of [
          `q=${SHARED_WORD}`,
          `q=${A_ONLY_WORD}`,
          `q=${SHARED_WORD}&limit=50&tenantId=${a.company.id}`,
        ]) {
          const what = `${credential.name}: GET /api/v1/search?${query}`;
          const response = await call(
            { ...credential.headers, 'x-tenant-id': a.company.id },
            'GET',
            `/api/v1/search?${query}`,
          );
          // Search is content: a group admin gets none.
          expect(response.statusCode, what).toBe(credential.role === 'group_admin' ? 403 : 200);
          expectNoTraceOfA(response, what);
        }
        // Naming A's source (by id or name) answers like naming a source that does not exist.
        const unknown = randomId();
        const guess = await call(
          credential.headers,
          'GET',
          `/api/v1/search?q=${SHARED_WORD}&source=${unknown}`,
        );
        for (const source of [aDocument.sourceId, aDocument.sourceName]) {
          const what = `${credential.name}: GET /api/v1/search?source=${source}`;
          const response = await call(
            credential.headers,
            'GET',
            `/api/v1/search?q=${SHARED_WORD}&source=${encodeURIComponent(source)}`,
          );
          expect(response.statusCode, what).toBe(guess.statusCode);
          expect(response.body.replaceAll(source, '?'), what).toBe(guess.body.replaceAll(unknown, '?'));
        }
        if (credential.role === 'group_admin') continue;
        // The search does work for B: its own document is found by the shared word.
        const own = await call(credential.headers, 'GET', `/api/v1/search?q=${SHARED_WORD}`);
        expect(
          own.json<{ results: Array<{ documentId: string }> }>().results.map((r) => r.documentId),
        ).toEqual([bDocument.id]);
      }
      // And A, with its own key, finds its own.
      const mine = await call(bearer(a.keys.viewer.key), 'GET', `/api/v1/search?q=${A_ONLY_WORD}`);
      expect(
        mine.json<{ results: Array<{ documentId: string }> }>().results.map((r) => r.documentId),
      ).toEqual([aDocument.id]);
    },

    'GET /api/v1/search/synonyms': async () => {
      const aWords = [[A_ONLY_WORD, 'a-only-synonym']];
      const set = await call(bearer(a.keys.admin.key), 'PUT', '/api/v1/search/synonyms', { groups: aWords });
      expect(set.statusCode).toBe(200);
      for (const credential of bCredentials) {
        const what = `${credential.name}: GET /api/v1/search/synonyms`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          `/api/v1/search/synonyms?tenantId=${a.company.id}`,
        );
        expect(response.statusCode, what).toBe(credential.role === 'group_admin' ? 403 : 200);
        expectNoTraceOfA(response, what);
        expect(response.body, what).not.toContain('a-only-synonym');
      }
      const mine = await call(bearer(a.keys.viewer.key), 'GET', '/api/v1/search/synonyms');
      expect(mine.json()).toEqual({ groups: aWords });
    },
    'PUT /api/v1/search/synonyms': async () => {
      const aWords = [[A_ONLY_WORD, 'a-only-synonym']];
      await call(bearer(a.keys.admin.key), 'PUT', '/api/v1/search/synonyms', { groups: aWords });
      for (const credential of bCredentials) {
        const what = `${credential.name}: PUT /api/v1/search/synonyms`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'PUT',
          `/api/v1/search/synonyms?tenantId=${a.company.id}`,
          { groups: [['b-word', 'b-other-word']] },
        );
        // B's admin writes B's own dictionary; nobody of B reaches A's.
        expect(response.statusCode, what).toBe(credential.role === 'admin' ? 200 : 403);
        expectNoTraceOfA(response, what);
      }
      const mine = await call(bearer(a.keys.viewer.key), 'GET', '/api/v1/search/synonyms');
      expect(mine.json()).toEqual({ groups: aWords });
    },

    'GET /api/v1/search/embeddings': async () => {
      const own = await call(bearer(a.keys.admin.key), 'GET', '/api/v1/search/embeddings');
      expect(own.statusCode).toBe(200);
      const aChunks = own.json<{ chunks: number }>().chunks;
      expect(aChunks).toBeGreaterThan(0);
      for (const credential of bCredentials) {
        const what = `${credential.name}: GET /api/v1/search/embeddings`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          `/api/v1/search/embeddings?tenantId=${a.company.id}`,
        );
        // B's admin reads B's own index; nobody of B reaches A's.
        expect(response.statusCode, what).toBe(credential.role === 'admin' ? 200 : 403);
        expectNoTraceOfA(response, what);
      }
    },

    'GET /api/v1/sso': async () => {
      for (const credential of bCredentials) {
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          '/api/v1/sso',
        );
        // B has no SSO: its admin hears 404, the others may not read SSO at all.
        expect(response.statusCode, credential.name).toBe(credential.role === 'admin' ? 404 : 403);
        expectNoTraceOfA(response, credential.name);
      }
    },
    'PUT /api/v1/sso': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: PUT /api/v1/sso`;
        const response = await call(credential.headers, 'PUT', '/api/v1/sso', {
          issuer: 'http://127.0.0.1:9/',
          clientId: `client-of-${a.company.slug}`,
          tenantId: a.company.id,
        });
        expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, what).toBeLessThan(500);
        expectNoTraceOfA(response, what);
        await expectAUnchanged(what);
      }
    },
    'DELETE /api/v1/sso': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: DELETE /api/v1/sso`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'DELETE',
          '/api/v1/sso',
        );
        expect(response.statusCode, what).toBe(credential.role === 'admin' ? 404 : 403);
        await expectAUnchanged(what);
      }
    },

    // Sources, jobs and documents (issue 3): only admins manage sources and read jobs; documents
    // are read by admins, members and viewers of their own company, never by a group admin.
    'GET /api/v1/sources': () =>
      list(
        '/api/v1/sources',
        ['member', 'viewer', 'group_admin'],
        (body) => (body as { sources: unknown[] }).sources,
      ),
    'POST /api/v1/sources': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: POST /api/v1/sources naming A`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'POST',
          '/api/v1/sources',
          {
            kind: 'folder',
            name: 'planted',
            settings: { path: '/' },
            tenantId: a.company.id,
          },
        );
        // No folder roots are allowed in this app: admins are refused the folder, the others the action.
        expect(response.statusCode, what).toBe(403);
        expectNoTraceOfA(response, what);
        await expectAUnchanged(what);
      }
    },
    'GET /api/v1/sources/:id': () =>
      byId('GET', '/api/v1/sources/', () => [aDocument.sourceId], ['member', 'viewer', 'group_admin']),
    'PATCH /api/v1/sources/:id': () =>
      byId('PATCH', '/api/v1/sources/', () => [aDocument.sourceId], ['member', 'viewer', 'group_admin'], {
        name: 'Taken over',
      }),
    'DELETE /api/v1/sources/:id': () =>
      byId('DELETE', '/api/v1/sources/', () => [aDocument.sourceId], ['member', 'viewer', 'group_admin']),
    'POST /api/v1/sources/:id/sync': async () => {
      for (const credential of bCredentials) {
        const expected = credential.role === 'admin' ? 404 : 403;
        const guess = await call(credential.headers, 'POST', `/api/v1/sources/${randomId()}/sync`);
        expect(guess.statusCode, `${credential.name}: sync <random>`).toBe(expected);
        const what = `${credential.name}: POST /api/v1/sources/<A's source>/sync`;
        const response = await call(credential.headers, 'POST', `/api/v1/sources/${aDocument.sourceId}/sync`);
        expect(response.statusCode, what).toBe(expected);
        expect(response.json(), what).toEqual(guess.json());
        await expectAUnchanged(what);
      }
      expect(await t.jobs.repository.listForTenant(a.company.id)).toEqual([]);
    },
    'GET /api/v1/jobs/:id': async () => {
      const job = await t.jobs.enqueue(
        'source.sync',
        { tenantId: a.company.id, sourceId: aDocument.sourceId },
        { tenantId: a.company.id, dedupeKey: `isolation-${randomId()}` },
      );
      await byId('GET', '/api/v1/jobs/', () => [job.id], ['member', 'viewer', 'group_admin']);
    },
    'GET /api/v1/documents': () =>
      list('/api/v1/documents', ['group_admin'], (body) => (body as { documents: unknown[] }).documents),
    'POST /api/v1/documents': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: POST /api/v1/documents naming A`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'POST',
          '/api/v1/documents',
          {
            tenantId: a.company.id,
            sourceId: aDocument.sourceId,
          },
        );
        // Admins may upload (into their own company, as multipart only); the others may not at all.
        expect(response.statusCode, what).toBe(credential.role === 'admin' ? 415 : 403);
        expectNoTraceOfA(response, what);
        await expectAUnchanged(what);
      }
    },
    'GET /api/v1/documents/:id': () => byId('GET', '/api/v1/documents/', () => [aDocument.id], []),
    // The viewer's text (issue 8): the same answer as for a document that does not exist; a group
    // admin, who may read no company's documents, gets "not found" too (journey 3 of issue 8).
    'GET /api/v1/documents/:id/text': async () => {
      for (const credential of bCredentials) {
        const expected = 404;
        const guess = await call(credential.headers, 'GET', `/api/v1/documents/${randomId()}/text`);
        const what = `${credential.name}: GET /api/v1/documents/<A's>/text`;
        const response = await call(credential.headers, 'GET', `/api/v1/documents/${aDocument.id}/text`);
        expect(guess.statusCode, what).toBe(expected);
        expect(response.statusCode, what).toBe(expected);
        expect(response.json(), what).toEqual(guess.json());
        expectNoTraceOfA(response, what);
      }
    },
    'DELETE /api/v1/documents/:id': async () => {
      await byId('DELETE', '/api/v1/documents/', () => [aDocument.id], ['member', 'viewer', 'group_admin']);
      expect(await t.knowledge.repos.documents.findById(a.company.id, aDocument.id)).toMatchObject({
        status: 'indexed',
      });
    },

    // Residency policy (src/governance): A's policy, read or changed by B, answers like a random id.
    'GET /api/v1/companies/:id/policy': () => policyById('GET'),
    'PUT /api/v1/companies/:id/policy': () =>
      policyById('PUT', {
        allowedRegions: ['us'],
        allowedProviders: null,
        allowRetaining: true,
        piiMode: 'off',
      }),
    // Sector presets are global and hold no company data: B's admins read the same table, with no
    // trace of A (also when B names A's company); members and viewers are refused.
    'GET /api/v1/sector-presets': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: GET /api/v1/sector-presets`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          '/api/v1/sector-presets',
        );
        expect(response.statusCode, what).toBe(['member', 'viewer'].includes(credential.role) ? 403 : 200);
        expectNoTraceOfA(response, what);
      }
    },
    // Model providers are global and the operator's: B's admins may list them (no company data), nobody
    // over HTTP may add or remove one.
    'GET /api/v1/providers': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: GET /api/v1/providers`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          '/api/v1/providers',
        );
        expect(response.statusCode, what).toBe(['member', 'viewer'].includes(credential.role) ? 403 : 200);
        expectNoTraceOfA(response, what);
      }
    },
    'POST /api/v1/providers': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: POST /api/v1/providers`;
        const response = await call(credential.headers, 'POST', '/api/v1/providers', {
          name: `exfil-${randomId().slice(0, 8)}`,
          kind: 'openai-compatible',
          baseUrl: 'http://203.0.113.9/v1',
          region: 'jp-east',
          chatModel: 'm',
        });
        expect(response.statusCode, what).toBe(403);
        await expectAUnchanged(what);
      }
      expect(await t.governance.providers.all()).toEqual([]);
    },
    'DELETE /api/v1/providers/:name': async () => {
      for (const credential of bCredentials) {
        const response = await call(credential.headers, 'DELETE', '/api/v1/providers/any-provider');
        expect(response.statusCode, `${credential.name}: DELETE /api/v1/providers/any-provider`).toBe(403);
      }
    },
    // Governance: the audit log is the caller's own company's; quotas are addressed by company id.
    // B's log holds B's own refused probes of A (the ids B's callers typed, outcome denied, target
    // as sent): forensic evidence of the attempt, no more than the caller knew. Nothing else of A.
    'GET /api/v1/audit': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: GET /api/v1/audit naming A`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          `/api/v1/audit?tenantId=${a.company.id}&limit=1000`,
        );
        expect(response.statusCode, what).toBe(credential.role === 'admin' ? 200 : 403);
        if (response.statusCode !== 200) {
          expectNoTraceOfA(response, what);
          continue;
        }
        const { events } = response.json<{
          events: { tenantId: string; outcome: string; actor: { id: string | null }; target: unknown }[];
        }>();
        expect(events.length, what).toBeGreaterThan(0);
        for (const event of events) {
          expect(event.tenantId, what).toBe(b.company.id);
          const { target, ...rest } = event;
          for (const trace of a.traces)
            expect(JSON.stringify(rest), `${what}: ${trace}`).not.toContain(trace);
          if (a.traces.some((trace) => JSON.stringify(target).includes(trace)))
            expect(event.outcome, what).toBe('denied');
        }
      }
    },
    'GET /api/v1/audit/export': async () => {
      for (const credential of bCredentials) {
        const what = `${credential.name}: GET /api/v1/audit/export naming A`;
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          `/api/v1/audit/export?tenantId=${a.company.id}&actor=${a.admin.id}`,
        );
        expect(response.statusCode, what).toBe(credential.role === 'admin' ? 200 : 403);
        expectNoTraceOfA(response, what);
      }
    },
    'GET /api/v1/audit/verify': async () => {
      for (const credential of bCredentials) {
        const response = await call(
          { ...credential.headers, 'x-tenant-id': a.company.id },
          'GET',
          '/api/v1/audit/verify',
        );
        expect(response.statusCode, credential.name).toBe(credential.role === 'admin' ? 200 : 403);
        expectNoTraceOfA(response, credential.name);
      }
    },
    'GET /api/v1/companies/:id/quota': async () => {
      for (const credential of bCredentials) {
        const guess = await call(credential.headers, 'GET', `/api/v1/companies/${randomId()}/quota`);
        expect(guess.statusCode, credential.name).toBe(404);
        for (const id of [a.company.id, a.sibling.id]) {
          const response = await call(credential.headers, 'GET', `/api/v1/companies/${id}/quota`);
          expect(response.statusCode, `${credential.name}: quota of ${id}`).toBe(404);
          expect(response.json()).toEqual(guess.json());
        }
      }
    },
    'PUT /api/v1/companies/:id/quota': async () => {
      for (const credential of bCredentials) {
        for (const id of [randomId(), a.company.id, a.sibling.id]) {
          const what = `${credential.name}: PUT quota of ${id}`;
          const response = await call(credential.headers, 'PUT', `/api/v1/companies/${id}/quota`, {
            requestsPerMinute: 1,
          });
          expect(response.statusCode, what).toBe(404);
          expectNoTraceOfA(response, what);
        }
      }
      expect(await t.governance.quotas.limits(a.company.id, Number.MAX_SAFE_INTEGER)).toMatchObject({
        requestsPerMinute: null,
      });
    },
    // The assistant (issue 6): content, so never a group admin's; a conversation is its owner's.
    'POST /api/v1/ask': async () => {
      const { id } = await conversationOfA();
      for (const credential of bCredentials) {
        for (const accept of ['application/json', 'text/event-stream']) {
          const what = `${credential.name}: POST /api/v1/ask (${accept})`;
          const headers = { ...credential.headers, accept, 'x-tenant-id': a.company.id };
          const plain = await call(headers, 'POST', '/api/v1/ask', {
            // A's words without A's unique one (B's stored title must not carry a trace of A).
            question: 'What does the quarterly report of A say?',
            tenantId: a.company.id,
          });
          expect(plain.statusCode, what).toBe(credential.role === 'group_admin' ? 403 : 200);
          expect(plain.body, what).not.toContain(aDocument.id);
          expect(plain.body, what).not.toContain(aDocument.title);
          expect(plain.body, what).not.toContain('Quarterly report of A');
          expectNoTraceOfA(plain, what);
          const continued = await call(headers, 'POST', '/api/v1/ask', {
            question: 'And then?',
            conversationId: id,
          });
          expect(continued.statusCode, what).toBe(credential.role === 'group_admin' ? 403 : 404);
          expectNoTraceOfA(continued, what);
        }
      }
      await aConversationIntact('B asked');
    },
    'GET /api/v1/conversations': async () => {
      await conversationOfA();
      for (const credential of bCredentials)
        if (credential.role !== 'group_admin')
          await call(credential.headers, 'POST', '/api/v1/ask', { question: 'quarterly report?' });
      await list(
        '/api/v1/conversations',
        ['group_admin'],
        (body) => (body as { conversations: unknown[] }).conversations,
      );
    },
    'GET /api/v1/conversations/:id': async () => {
      const { id } = await conversationOfA();
      await byId('GET', '/api/v1/conversations/', () => [id], ['group_admin']);
    },
    'PATCH /api/v1/conversations/:id': async () => {
      const { id } = await conversationOfA();
      await byId('PATCH', '/api/v1/conversations/', () => [id], ['group_admin'], { title: 'Taken over' });
      await aConversationIntact('PATCH');
    },
    'DELETE /api/v1/conversations/:id': async () => {
      const { id } = await conversationOfA();
      await byId('DELETE', '/api/v1/conversations/', () => [id], ['group_admin']);
      await aConversationIntact('DELETE');
    },
    'PUT /api/v1/conversations/:id/messages/:messageId/feedback': async () => {
      const { id, messageId } = await conversationOfA();
      for (const credential of bCredentials) {
        const what = `${credential.name}: PUT feedback on A's answer`;
        const response = await call(
          credential.headers,
          'PUT',
          `/api/v1/conversations/${id}/messages/${messageId}/feedback`,
          {
            rating: 'bad',
            comment: 'planted',
          },
        );
        expect(response.statusCode, what).toBe(credential.role === 'group_admin' ? 403 : 404);
        expectNoTraceOfA(response, what);
      }
      await aConversationIntact('feedback');
    },
    // Analytics: B's callers reach only B's model and sources (B has none: 404, or 403 by role).
    'POST /api/v1/data/ask': () => dataProbe('POST', '/api/v1/data/ask', { question: '地域別の売上' }),
    'POST /api/v1/data/query': () =>
      dataProbe('POST', '/api/v1/data/query', { query: { metrics: ['sales'] } }),
    'GET /api/v1/data/model': () => dataProbe('GET', '/api/v1/data/model'),
    'PUT /api/v1/data/model': () =>
      dataProbe('PUT', '/api/v1/data/model', {
        yaml: 'source: uploads\ntables: [{name: t, table: t}]\nmeasures: [{name: n, label: n, table: t, aggregation: count}]',
      }),
    'POST /api/v1/data/model/propose': () =>
      dataProbe('POST', '/api/v1/data/model/propose', { source: 'uploads' }),
    'GET /api/v1/data/tables': () => dataProbe('GET', `/api/v1/data/tables?source=${a.company.id}`),
  };

  async function dataProbe(method: Method, url: string, payload?: unknown): Promise<void> {
    for (const credential of bCredentials) {
      const what = `${credential.name}: ${method} ${url}`;
      const response = await call(
        { ...credential.headers, 'x-tenant-id': a.company.id },
        method,
        url,
        payload,
      );
      expect([400, 403, 404], what).toContain(response.statusCode);
      expectNoTraceOfA(response, what);
      await expectAUnchanged(what);
    }
  }

  it('the route table names every authenticated /api/v1 route', () => {
    const routes = registeredRoutes(t.app);
    expect(routes).toContain('DELETE /api/v1/users/:id');
    expect(routes).toContain('POST /api/v1/auth/login');
    const authenticated = [
      ...new Set(
        routes.filter((r) => / \/api\/v1\//.test(r) && !r.startsWith('HEAD ') && !PUBLIC_ROUTE.test(r)),
      ),
    ].sort();
    expect(authenticated, 'a route is missing from ROUTES in test/isolation/cross-company.test.ts').toEqual(
      Object.keys(ROUTES).sort(),
    );
  });

  it('every route in the table refuses a caller without credentials (401), and a cookie without its CSRF token', async () => {
    for (const route of Object.keys(ROUTES)) {
      const [method, path] = route.split(' ') as [Method, string];
      const url = path.replace(':id', a.company.id);
      const anonymous = await call({}, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(anonymous.statusCode, route).toBe(401);
      expectNoTraceOfA(anonymous, route);
      if (method !== 'GET') {
        const { 'x-csrf-token': _csrf, ...withoutCsrf } = b.adminSession;
        const forged = await call(withoutCsrf, method, url, method === 'DELETE' ? undefined : {});
        expect(forged.statusCode, route).toBe(403);
        expect(errorCode(forged), route).toBe('csrf_failed');
      }
    }
    await expectAUnchanged('anonymous and CSRF-less requests');
  });

  for (const route of Object.keys(ROUTES)) {
    it(`${route}: B's keys and sessions never reach A`, async () => {
      await ROUTES[route]!();
      await expectAUnchanged(route);
    });
  }

  it('B’s users cannot sign in to A with their own password, and A’s sign-in is unaffected', async () => {
    for (const email of [b.admin.email, b.groupAdmin.email]) {
      const response = await postLogin(t.app, a.company.slug, email, { remoteAddress: '203.0.113.50' });
      expect(response.statusCode).toBe(401);
      expect(response.cookies).toEqual([]);
    }
    await signIn(t.app, a.company.slug, a.admin.email, { remoteAddress: '203.0.113.51' });
  });

  it('B’s session cookie with A’s company id spliced in is refused', async () => {
    const token = /kura_session=([^;]+)/.exec(b.adminSession.cookie!)![1]!;
    const [, sessionId, secret] = token.split('.');
    const spliced = `${a.company.id}.${sessionId}.${secret}`;
    const response = await call({ cookie: `kura_session=${spliced}` }, 'GET', '/api/v1/me');
    expect(response.statusCode).toBe(401);
    expectNoTraceOfA(response, 'spliced cookie');
  });

  describe('group admins', () => {
    /** Group G (holding G0 with a group admin, G1, G2) and group H (H1 with its own admin key). */
    async function groups() {
      const [g, h] = await Promise.all([createGroup(t.tenancy), createGroup(t.tenancy)]);
      const [g0, g1, g2, h1] = await Promise.all([
        createCompany(t.tenancy, { groupId: g.id }),
        createCompany(t.tenancy, { groupId: g.id }),
        createCompany(t.tenancy, { groupId: g.id }),
        createCompany(t.tenancy, { groupId: h.id }),
      ]);
      const groupAdmin = await seedUser(t.tenancy, g0.id, 'group_admin');
      const headers = cookieHeaders(await signIn(t.app, g0.slug, groupAdmin.email));
      const hAdmin = bearer((await t.tenancy.apiKeys.create(OPERATOR, h1.id, { role: 'admin' })).key);
      return { g, h, g0, g1, g2, h1, groupAdmin, headers, hAdmin };
    }

    it("a group admin sees and manages its group's companies only", async () => {
      const { g, g0, g1, g2, headers } = await groups();
      const listed = (await call(headers, 'GET', '/api/v1/companies')).json<{ companies: Company[] }>()
        .companies;
      expect(listed.map((c) => c.id).sort()).toEqual([g0.id, g1.id, g2.id].sort());
      expect(listed.every((c) => c.groupId === g.id)).toBe(true);

      expect((await call(headers, 'GET', `/api/v1/companies/${g1.id}`)).statusCode).toBe(200);
      const renamed = await call(headers, 'PATCH', `/api/v1/companies/${g2.id}`, {
        name: 'Renamed by the holding',
      });
      expect(renamed.statusCode).toBe(200);
      expect((await t.tenancy.repos.companies.findById(g2.id))?.name).toBe('Renamed by the holding');
    });

    it("another group's company answers 404 to every method, and stays as it was", async () => {
      const { h, h1, headers, hAdmin } = await groups();
      const before = (await call(hAdmin, 'GET', `/api/v1/companies/${h1.id}`)).json<Company>();
      const guess = await call(headers, 'GET', `/api/v1/companies/${randomId()}`);
      for (const [method, payload] of [
        ['GET', undefined],
        ['PATCH', { name: 'Annexed' }],
        ['DELETE', undefined],
      ] as const) {
        const response = await call(headers, method, `/api/v1/companies/${h1.id}`, payload);
        expect(response.statusCode, method).toBe(404);
        expect(response.json()).toEqual(guess.json());
      }
      const created = await call(headers, 'POST', '/api/v1/companies', {
        slug: `annex-${randomId().slice(0, 8)}`,
        name: 'Annex',
        groupId: h.id,
      });
      expect(created.statusCode).toBe(403);
      expect((await call(hAdmin, 'GET', `/api/v1/companies/${h1.id}`)).json()).toEqual(before);
      expect((await call(hAdmin, 'GET', '/api/v1/me')).statusCode).toBe(200);
      expect((await t.tenancy.repos.companies.listByGroup(h.id)).map((c) => c.id)).toEqual([h1.id]);
    });

    it("sees and renames its own group only; another group's answers 404 and keeps its name", async () => {
      const { g, h, headers } = await groups();
      expect((await call(headers, 'GET', '/api/v1/groups')).json()).toEqual({
        groups: [expect.objectContaining({ id: g.id })],
      });
      expect((await call(headers, 'GET', `/api/v1/groups/${h.id}`)).statusCode).toBe(404);
      expect((await call(headers, 'PATCH', `/api/v1/groups/${h.id}`, { name: 'Annexed' })).statusCode).toBe(
        404,
      );
      expect((await t.tenancy.repos.groups.findById(h.id))?.name).toBe(h.name);
      const renamed = await call(headers, 'PATCH', `/api/v1/groups/${g.id}`, { name: 'Holding renamed' });
      expect(renamed.statusCode).toBe(200);
      expect((await t.tenancy.repos.groups.findById(g.id))?.name).toBe('Holding renamed');
    });

    it("gets no content of the group's companies: users are its own company's, API keys are refused (403)", async () => {
      const { g0, g1, headers } = await groups();
      const g1User = await seedUser(t.tenancy, g1.id, 'member');
      const users = (await call(headers, 'GET', '/api/v1/users')).json<{ users: User[] }>().users;
      expect(users.length).toBeGreaterThan(0);
      expect(users.every((u) => u.tenantId === g0.id)).toBe(true);
      expect(JSON.stringify(users)).not.toContain(g1User.id);
      expect((await call(headers, 'GET', `/api/v1/users/${g1User.id}`)).statusCode).toBe(404);

      const keys = await call(headers, 'GET', '/api/v1/api-keys');
      expect(keys.statusCode).toBe(403);
      expect(keys.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect((await call(headers, 'POST', '/api/v1/api-keys', { name: 'x' })).statusCode).toBe(403);
    });
  });
});
