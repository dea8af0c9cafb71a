import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeaders, errorCode, randomId, seedUser, signIn } from '../api/http-helpers.js';
import { bearer, createApiKey, createCompany, createGroup } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { ENGINES } from '../helpers/test-database.js';
import { parseEventStream, plant, POLICY_EN, POLICY_JA, SECRET, SECRET_TITLE } from './assistant-world.js';

interface AskBody {
  answer: string;
  mode: string;
  found: boolean;
  citations: {
    n: number;
    documentId: string;
    title: string;
    uri: string;
    quote: string;
    chunkOrdinal: number;
  }[];
  conversationId: string | null;
  messageId: string | null;
}

describe.each(ENGINES)('the assistant over HTTP on %s', (engine) => {
  let t: TestApp;
  let tenantId: string;
  let slug: string;
  let key: string;
  let memberA: Record<string, string>;
  let memberB: Record<string, string>;
  let ceo: Record<string, string>;
  let groupAdmin: Record<string, string>;
  let ids: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp(engine);
    const group = await createGroup(t.tenancy);
    const company = await createCompany(t.tenancy, { groupId: group.id });
    tenantId = company.id;
    slug = company.slug;
    key = await createApiKey(t.tenancy, tenantId, 'viewer');
    const [a, b, boss, gAdmin] = await Promise.all([
      seedUser(t.tenancy, tenantId, 'member'),
      seedUser(t.tenancy, tenantId, 'member'),
      seedUser(t.tenancy, tenantId, 'member'),
      seedUser(t.tenancy, tenantId, 'group_admin'),
    ]);
    memberA = cookieHeaders(await signIn(t.app, slug, a.email));
    memberB = cookieHeaders(await signIn(t.app, slug, b.email));
    ceo = cookieHeaders(await signIn(t.app, slug, boss.email));
    groupAdmin = cookieHeaders(await signIn(t.app, slug, gAdmin.email));
    ids = await plant(t, tenantId, [
      { title: '経費精算規程.md', body: POLICY_JA },
      { title: 'travel-policy.txt', body: POLICY_EN },
      { title: `${SECRET_TITLE}.txt`, body: SECRET, acl: [`user:${boss.id}`] },
    ]);
  });
  afterAll(() => t.close());

  const ask = (headers: Record<string, string>, payload: unknown, accept?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: { ...headers, ...(accept ? { accept } : {}) },
      payload: payload as object,
    });

  it('answers a Japanese question with a cited, extractive answer of at most 200 characters', async () => {
    const response = await ask(bearer(key), {
      question: '経費は発生日から何日以内に申請しなければならないか？',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<AskBody>();
    expect(body.mode).toBe('extractive');
    expect(body.found).toBe(true);
    expect(body.answer).toContain('30日以内');
    expect(body.answer).toContain('[1]');
    expect([...body.answer].length).toBeLessThanOrEqual(200);
    expect(body.citations[0]).toMatchObject({
      n: 1,
      documentId: ids.get('経費精算規程.md'),
      title: '経費精算規程',
      uri: 'upload://経費精算規程.md',
    });
    // The quote is the exact stored passage text, and the answer is taken from it verbatim.
    const sentence = '経費は発生日から30日以内に申請しなければならない。';
    expect(body.answer).toContain(sentence);
    expect(body.citations[0]!.quote).toContain(sentence);
    expect(body.citations[0]!.quote).toBe(
      POLICY_JA.slice(
        POLICY_JA.indexOf('第2条'),
        POLICY_JA.indexOf('第2条') + body.citations[0]!.quote.length,
      ),
    );
  });

  it('answers an English question in English, and says "not found" in the question\'s language', async () => {
    const english = (
      await ask(bearer(key), { question: 'Within how many days must travel expenses be submitted?' })
    ).json<AskBody>();
    expect(english.found).toBe(true);
    expect(english.answer).toContain('30 days');
    expect(english.citations[0]!.title).toBe('travel-policy');

    const none = (
      await ask(bearer(key), { question: 'What is the boiling point of liquid nitrogen on Mars?' })
    ).json<AskBody>();
    expect(none).toMatchObject({ found: false, mode: 'extractive', citations: [] });
    expect(none.answer).toMatch(/could not find/);

    const noneJa = (
      await ask(bearer(key), { question: '火星の液体窒素の沸点は何度ですか？' })
    ).json<AskBody>();
    expect(noneJa).toMatchObject({ found: false, citations: [] });
    expect(noneJa.answer).toMatch(/見つかりませんでした/);
  });

  it('never gives a caller a citation, quote or title of a document they may not see', async () => {
    const question = '取締役の賞与の上限は基本報酬の何%か？';
    for (const headers of [bearer(key), memberA]) {
      const response = await ask(headers, { question });
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain(SECRET_TITLE);
      expect(response.body).not.toContain('40%');
      expect(response.body).not.toContain(ids.get(`${SECRET_TITLE}.txt`));
      const sse = await ask(headers, { question }, 'text/event-stream');
      expect(sse.body).not.toContain(SECRET_TITLE);
      expect(sse.body).not.toContain('40%');
    }
    // The one person allowed gets it, cited.
    const allowed = (await ask(ceo, { question })).json<AskBody>();
    expect(allowed.answer).toContain('40%');
    expect(allowed.citations[0]!.title).toBe(SECRET_TITLE);
  });

  it('streams Server-Sent Events: text deltas, citations, then done', async () => {
    const response = await ask(memberA, { question: '宿泊費の上限はいくらですか？' }, 'text/event-stream');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseEventStream(response.body);
    const kinds = events.map((e) => e.event);
    expect(kinds[kinds.length - 1]).toBe('done');
    expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
    expect(kinds).toContain('citation');
    expect(kinds).toContain('text');
    const text = events
      .filter((e) => e.event === 'text')
      .map((e) => (JSON.parse(e.data) as { delta: string }).delta)
      .join('');
    expect(text).toContain('12,000円');
    const citation = JSON.parse(events.find((e) => e.event === 'citation')!.data) as {
      citation: { title: string };
    };
    expect(citation.citation.title).toBe('経費精算規程');
    const done = JSON.parse(events[events.length - 1]!.data) as {
      mode: string;
      found: boolean;
      conversationId: string;
    };
    expect(done).toMatchObject({ mode: 'extractive', found: true });
    // The streamed turn was stored in the caller's conversation.
    const stored = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${done.conversationId}`,
      headers: memberA,
    });
    expect(stored.json<{ messages: { content: string }[] }>().messages.map((m) => m.content)).toEqual([
      '宿泊費の上限はいくらですか？',
      text,
    ]);
  });

  it('rejects bad questions with 400 invalid_question, before anything streams or is stored', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: memberB })
    ).json<{ conversations: unknown[] }>();
    for (const question of [
      '',
      '   ',
      'あ'.repeat(10_000),
      'what\u0000is this',
      'bell\u0007',
      'x'.repeat(100_000),
    ]) {
      for (const accept of [undefined, 'text/event-stream']) {
        const response = await ask(memberB, { question }, accept);
        expect(response.statusCode, JSON.stringify(question.slice(0, 20))).toBe(400);
        expect(errorCode(response)).toBe('invalid_question');
        expect(response.headers['content-type']).toMatch(/json/);
      }
    }
    for (const payload of [{}, { question: 42 }, { question: 'ok?', conversationId: 'not-a-uuid' }]) {
      const response = await ask(memberB, payload);
      expect(response.statusCode).toBe(400);
      expect(errorCode(response)).toBe('invalid_request');
    }
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: memberB })
    ).json<{ conversations: unknown[] }>();
    expect(after.conversations).toEqual(before.conversations);
  });

  it('keeps conversations per caller: titles, follow-ups, rename, feedback, and a delete that removes every row', async () => {
    const first = (
      await ask(memberA, { question: '経費の申請期限は？\n詳しく教えてください' })
    ).json<AskBody>();
    const id = first.conversationId!;
    const second = (await ask(memberA, { question: '宿泊費の上限は？', conversationId: id })).json<AskBody>();
    expect(second.conversationId).toBe(id);

    const list = (
      await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: memberA })
    ).json<{
      conversations: { id: string; title: string }[];
    }>();
    expect(list.conversations.find((c) => c.id === id)?.title).toBe('経費の申請期限は？');

    // Another member of the same company, a key, a group admin: 404 (never 403), and nothing changes.
    for (const other of [memberB, bearer(key)]) {
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: other }))
          .statusCode,
      ).toBe(404);
      expect((await ask(other, { question: 'hello?', conversationId: id })).statusCode).toBe(404);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/conversations/${id}`, headers: other }))
          .statusCode,
      ).toBe(404);
    }
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: groupAdmin })).statusCode,
    ).toBe(403);
    expect((await ask(groupAdmin, { question: '経費の申請期限は？' })).statusCode).toBe(403);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${id}`,
      headers: memberA,
      payload: { title: '  経費について  ' },
    });
    expect(renamed.json()).toMatchObject({ id, title: '経費について' });
    expect(
      errorCode(
        await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/conversations/${id}`,
          headers: memberA,
          payload: { title: ' ' },
        }),
      ),
    ).toBe('invalid_title');

    const feedback = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/conversations/${id}/messages/${second.messageId}/feedback`,
      headers: memberA,
      payload: { rating: 'bad', comment: '金額が古い' },
    });
    expect(feedback.statusCode).toBe(204);
    const full = (
      await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: memberA })
    ).json<{
      messages: { role: string; feedback: unknown; citations: unknown[] }[];
    }>();
    expect(full.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(full.messages[3]!.feedback).toEqual({ rating: 'bad', comment: '金額が古い' });
    expect(full.messages[3]!.citations.length).toBeGreaterThan(0);
    // Feedback on a question (not an answer), or on an unknown message: 404.
    const questionId = randomId();
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/conversations/${id}/messages/${questionId}/feedback`,
          headers: memberA,
          payload: { rating: 'good' },
        })
      ).statusCode,
    ).toBe(404);

    const rows = () =>
      t.db.owner(async (tx) =>
        Promise.all(
          ['messages', 'citations', 'message_feedback'].map(async (table) =>
            Number(
              (
                await tx.query<{ n: string }>(
                  `SELECT count(*)::text AS n FROM ${table} x WHERE x.tenant_id = $1 AND ${
                    table === 'messages'
                      ? 'x.conversation_id = $2'
                      : 'x.message_id IN (SELECT id FROM messages WHERE conversation_id = $2)'
                  }`,
                  [tenantId, id],
                )
              )[0]!.n,
            ),
          ),
        ),
      );
    expect((await rows())[0]).toBe(4);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/conversations/${id}`,
      headers: memberA,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await rows()).toEqual([0, 0, 0]);
    const gone = await t.db.owner((tx) =>
      tx.query('SELECT 1 FROM conversations WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    );
    expect(gone).toEqual([]);
    // Nothing of it is left in the database, not even the question text.
    const anywhere = await t.db.owner((tx) =>
      tx.query(`SELECT 1 FROM messages WHERE content LIKE '%詳しく教えてください%'`),
    );
    expect(anywhere).toEqual([]);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: memberA }))
        .statusCode,
    ).toBe(404);
  });
});
