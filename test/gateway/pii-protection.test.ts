import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/tenancy/actor.js';
import type { ModelCallContext, ModelMessage } from '../../src/platform/llm/model-gateway.js';
import { createCompany } from '../helpers/factories.js';
import { startGatewayHarness, type GatewayHarness } from '../helpers/gateway-harness.js';
import {
  startScriptedOpenAiServer,
  type RecordedRequest,
  type ScriptedOpenAiServer,
} from '../helpers/scripted-openai-server.js';

/**
 * What actually left the process under each PII mode, read from a real OpenAI-protocol server's
 * request log: with `pseudonymize` no planted value leaves on any path and the caller still sees
 * the values; `block` sends nothing; `detect` sends as is and meters what it found.
 */
const NAME = '山田太郎';
const PHONE = '090-1234-5678';
const MY_NUMBER = '1234 5678 9018';
const EMAIL = 'taro.yamada@example.co.jp';
const PLANTED = [NAME, PHONE, '09012345678', MY_NUMBER, '123456789018', EMAIL];
const QUESTION = `${NAME}様（電話 ${PHONE}、マイナンバー ${MY_NUMBER}）に連絡したい。メールは ${EMAIL} です。`;

const leaked = (requests: RecordedRequest[]) =>
  PLANTED.filter((v) => requests.some((r) => r.rawBody.includes(v) || JSON.stringify(r.body).includes(v)));
const placeholdersIn = (text: string) => [...new Set(text.match(/〔[^〕]+〕/g) ?? [])];
/** The scripted model answers by repeating every placeholder of the last message it received. */
const echoPlaceholders = (request: RecordedRequest) => {
  const last = request.body?.messages?.at(-1);
  return { text: `確認しました: ${placeholdersIn(JSON.stringify(last?.content ?? '')).join(' / ')}` };
};

describe('PII protection in the model gateway (real OpenAI-protocol server)', () => {
  let h: GatewayHarness;
  let server: ScriptedOpenAiServer;
  beforeAll(async () => {
    h = await startGatewayHarness();
    server = await startScriptedOpenAiServer();
    await h.addProvider({ name: 'onprem', url: server.url, region: 'on-prem' });
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });
  beforeEach(() => server.reset());

  const companyWith = async (piiMode: 'off' | 'detect' | 'pseudonymize' | 'block') => {
    const company = await createCompany(h.tenancy, { sector: 'government' });
    await h.governance.residency.update(OPERATOR, company.id, { piiMode });
    return company.id;
  };
  const ctxFor = (tenantId: string): ModelCallContext => ({ tenantId, userId: 'u-1', purpose: 'test.pii' });

  it('pseudonymize: chat, stream, tool rounds and embeddings send placeholders; the caller sees values', async () => {
    const tenantId = await companyWith('pseudonymize');
    const gw = h.governance.gateway;
    const ctx = ctxFor(tenantId);
    server.script(echoPlaceholders);
    const messages: ModelMessage[] = [{ role: 'user', content: QUESTION }];

    const answer = await gw.chat(ctx, { system: `担当: ${NAME}様`, messages });
    for (const value of [NAME, PHONE, MY_NUMBER, EMAIL]) expect(answer.text).toContain(value);
    expect(answer.text).not.toContain('〔');
    expect(answer.pii.counts).toMatchObject({ person_name: 2, phone: 1, my_number: 1, email: 1 });
    const sent = server.modelRequests()[0]!;
    expect(sent.rawBody).toContain('〔氏名1〕様');
    expect(sent.rawBody).toContain('〔電話1〕');
    expect(sent.rawBody).toContain('〔マイナンバー1〕');
    expect(sent.rawBody).toContain('〔メール1〕');

    // The next turn with the conversation's map: same placeholders, even where the name has no 様.
    const second = await gw.chat(ctx, {
      messages: [
        ...messages,
        { role: 'assistant', content: answer.text },
        { role: 'user', content: `${NAME}の電話は${PHONE}で合っていますか？` },
      ],
      pseudonyms: answer.pseudonyms,
    });
    expect(second.text).toBe(`確認しました: ${NAME} / ${PHONE}`);
    expect(server.modelRequests()[1]!.rawBody).toContain('〔氏名1〕の電話は〔電話1〕で');

    const deltas: string[] = [];
    let finish: unknown;
    for await (const event of gw.streamChat(ctx, { messages, pseudonyms: answer.pseudonyms })) {
      if (event.type === 'text-delta') {
        deltas.push(event.text);
        expect(event.text).not.toMatch(/〔|〕/);
      } else if (event.type === 'finish') finish = event;
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(`確認しました: ${NAME} / ${PHONE} / ${MY_NUMBER} / ${EMAIL}`);
    expect(finish).toMatchObject({ pii: { mode: 'pseudonymize' } });

    // A tool round: the model's tool input comes back restored; the tool result leaves pseudonymised.
    server.script(undefined);
    server.enqueue({ toolCalls: [{ name: 'lookup', arguments: { person: '〔氏名1〕' } }] }, { text: 'ok' });
    const tools = { lookup: { description: 'find a person', inputSchema: { type: 'object' } } };
    const round1 = await gw.chat(ctx, { messages, tools, pseudonyms: answer.pseudonyms });
    expect(round1.toolCalls[0]!.input).toEqual({ person: NAME });
    await gw.chat(ctx, {
      messages: [
        ...messages,
        ...round1.responseMessages,
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: round1.toolCalls[0]!.id,
              toolName: 'lookup',
              output: { type: 'json', value: { phone: PHONE, email: EMAIL } },
            },
          ],
        },
      ],
      tools,
      pseudonyms: answer.pseudonyms,
    });

    const embedded = await gw.embed(ctx, { texts: [QUESTION, `連絡先 ${EMAIL}`], batchSize: 1 });
    expect(embedded.embeddings).toHaveLength(2);
    const embedRequests = server.modelRequests().filter((r) => r.path.endsWith('/embeddings'));
    expect(embedRequests).toHaveLength(2);
    expect(String(embedRequests[1]!.body?.input)).toContain('〔メール1〕');

    expect(server.modelRequests()).toHaveLength(7);
    expect(leaked(server.requests), 'planted values found in recorded request bodies').toEqual([]);
    const events = await h.governance.usage.list(tenantId);
    expect(events.every((e) => e.outcome === 'ok' && e.piiCounts !== null)).toBe(true);
  });

  it('block: refuses with pii_blocked on every path and the provider receives nothing', async () => {
    const tenantId = await companyWith('block');
    const gw = h.governance.gateway;
    const ctx = ctxFor(tenantId);
    const messages: ModelMessage[] = [{ role: 'user', content: QUESTION }];
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'sent',
        (e: { code?: string }) => e.code,
      );
    expect(await codeOf(gw.chat(ctx, { messages }))).toBe('pii_blocked');
    expect(
      await codeOf(
        (async () => {
          for await (const _ of gw.streamChat(ctx, { messages }));
        })(),
      ),
    ).toBe('pii_blocked');
    expect(await codeOf(gw.embed(ctx, { texts: ['在庫の確認', `連絡先 ${EMAIL}`] }))).toBe('pii_blocked');
    expect(server.requests).toEqual([]);
    // Text without personal data still goes through.
    expect((await gw.chat(ctx, { messages: [{ role: 'user', content: '在庫を教えて' }] })).text).toBe(
      'scripted answer',
    );
    const refused = (await h.governance.usage.list(tenantId)).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => [e.operation, e.errorCode])).toEqual([
      ['chat', 'pii_blocked'],
      ['stream', 'pii_blocked'],
      ['embed', 'pii_blocked'],
    ]);
    expect(refused[0]!.piiCounts).toMatchObject({ my_number: 1, phone: 1, email: 1 });
    expect(JSON.stringify(refused)).not.toContain(PHONE);
  });

  it('detect: sends as is and meters the counts; off: sends as is and scans nothing', async () => {
    const detect = await companyWith('detect');
    const answer = await h.governance.gateway.chat(ctxFor(detect), {
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(answer.pii.counts).toMatchObject({ person_name: 1, phone: 1, my_number: 1, email: 1 });
    expect(server.modelRequests()[0]!.rawBody).toContain(PHONE);
    const [event] = await h.governance.usage.list(detect);
    expect(event).toMatchObject({ outcome: 'ok', piiCounts: { phone: 1, my_number: 1, email: 1 } });

    const off = await companyWith('off');
    await h.governance.gateway.chat(ctxFor(off), { messages: [{ role: 'user', content: QUESTION }] });
    expect(server.modelRequests()[1]!.rawBody).toContain(MY_NUMBER);
    const [offEvent] = await h.governance.usage.list(off);
    expect(offEvent!.piiCounts).toBeNull();
  });
});
