/**
 * `node --import tsx bench/generative-ask.ts [questions]`: Kura's own time around a generative
 * answer, on the embedded database (PGlite, in process) with a local scripted OpenAI-protocol server.
 *
 * Each question goes through POST /api/v1/ask (JSON, API key): authentication, search under the
 * caller's ACL, context budget, PII step (government preset: pseudonymize), the streamed model call,
 * citation checks and the stored turn. The same streamed call made with the AI SDK directly against
 * the same server is measured too; the difference is Kura's overhead. Prints a Markdown table.
 */
import { performance } from 'node:perf_hooks';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText } from 'ai';
import { OPERATOR } from '../src/tenancy/actor.js';
import { bearer, createApiKey, createCompany } from '../test/helpers/factories.js';
import { startScriptedOpenAiServer } from '../test/helpers/scripted-openai-server.js';
import { startTestApp } from '../test/helpers/test-app.js';
import { plant, POLICY_EN, POLICY_JA } from '../test/assistant/assistant-world.js';

const n = Number(process.argv[2] ?? 200);
const QUESTIONS = [
  '経費は何日以内に申請する？',
  '宿泊費の上限はいくら？',
  'How many days to submit travel expenses?',
];
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function measure(fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 20; i += 1) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / n,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
}

const t = await startTestApp('pglite');
const server = await startScriptedOpenAiServer();
try {
  server.script(() => ({ text: '経費は発生日から30日以内に申請します[1]。' }));
  const company = await createCompany(t.tenancy, { sector: 'government' });
  const key = await createApiKey(t.tenancy, company.id, 'viewer');
  await plant(t, company.id, [
    { title: '経費精算規程.md', body: POLICY_JA },
    { title: 'travel-policy.txt', body: POLICY_EN },
  ]);
  await t.governance.providers.add(OPERATOR, {
    name: 'onprem-bench',
    kind: 'openai-compatible',
    baseUrl: server.url,
    region: 'on-prem',
    chatModel: 'scripted-chat',
    retainsData: false,
  });
  const ask = await measure(async (i) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: bearer(key),
      payload: { question: QUESTIONS[i % QUESTIONS.length]! },
    });
    const body = response.json<{ mode: string }>();
    if (response.statusCode !== 200 || body.mode !== 'generative') throw new Error(response.body);
  });
  const model = createOpenAICompatible({ name: 'direct', baseURL: server.url }).chatModel('scripted-chat');
  const direct = await measure(async () => {
    const stream = streamText({ model, prompt: QUESTIONS[0]!, maxRetries: 0 });
    for await (const _ of stream.textStream);
  });
  const row = (name: string, r: { mean: number; p50: number; p95: number }) =>
    `| ${name} | ${r.mean.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`;
  console.log(`${n} questions per row, after 20 warm-up`);
  console.log('| per answer | mean ms | p50 ms | p95 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('POST /api/v1/ask, generative (JSON)', ask));
  console.log(row('AI SDK streamText direct, same server', direct));
  console.log(
    `Kura overhead (ask − direct): mean ${(ask.mean - direct.mean).toFixed(1)} ms, p95 ${(ask.p95 - direct.p95).toFixed(1)} ms`,
  );
} finally {
  await server.close();
  await t.close();
}
