/**
 * `node --import tsx bench/ask-ttft-http.ts [requests] [paragraphs]`: time to the first streamed
 * token of `POST /api/v1/ask` (`Accept: text/event-stream`) through real HTTP against a listening
 * Kura server (embedded PGlite), in both modes, on JSQuAD paragraphs (../shared/bench).
 *
 * TTFT is measured by the client: from sending the request to the first `event: text` frame.
 * Extractive mode runs first (no provider registered); then a local scripted OpenAI-protocol
 * provider is registered and the same questions run generative. Kura's own overhead is the
 * generative TTFT minus the provider's own time to its first token, measured by streaming from the
 * same provider directly with the AI SDK (median). Prints a Markdown table and the load average.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText } from 'ai';
import { OPERATOR } from '../src/tenancy/actor.js';
import { bearer, createApiKey, createCompany } from '../test/helpers/factories.js';
import { startScriptedOpenAiServer } from '../test/helpers/scripted-openai-server.js';
import { startTestApp } from '../test/helpers/test-app.js';
import { plant } from '../test/assistant/assistant-world.js';

const requests = Number(process.argv[2] ?? 200);
const paragraphCount = Number(process.argv[3] ?? 400);
const WARM_UP = 20;
const PER_DOCUMENT = 4;

interface Squad {
  data: { paragraphs: { context: string; qas: { question: string }[] }[] }[];
}
const dataset = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../shared/bench/jsquad/test-v1.3.json'), 'utf8'),
) as Squad;
const paragraphs = dataset.data.flatMap((a) => a.paragraphs).slice(0, paragraphCount);
const questions = paragraphs.flatMap((p) => p.qas.map((q) => q.question));

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

/** One streamed ask: ms to the first text frame and to the end of the stream. */
async function streamedAsk(url: string, headers: Record<string, string>, question: string) {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  let first: number | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (first === undefined && seen.includes('event: text')) first = performance.now() - start;
  }
  if (first === undefined || !seen.includes('event: done'))
    throw new Error(`no answer: ${seen.slice(0, 300)}`);
  return { ttft: first, total: performance.now() - start, generative: seen.includes('"mode":"generative"') };
}

async function run(url: string, headers: Record<string, string>, mode: 'extractive' | 'generative') {
  const ttft: number[] = [];
  const total: number[] = [];
  let cpu = process.cpuUsage();
  for (let i = 0; i < WARM_UP + requests; i += 1) {
    if (i === WARM_UP) cpu = process.cpuUsage();
    const r = await streamedAsk(url, headers, questions[i % questions.length]!);
    if (r.generative !== (mode === 'generative')) throw new Error(`expected ${mode}`);
    if (i < WARM_UP) continue;
    ttft.push(r.ttft);
    total.push(r.total);
  }
  // CPU the process spent per ask (server, client and scripted provider share it): what the
  // request costs, as opposed to the wall time a loaded machine stretches.
  const used = process.cpuUsage(cpu);
  return { ttft, total, cpuMs: (used.user + used.system) / 1000 / requests };
}

console.log(
  `load average (1, 5, 15 min) at the start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
);
const t = await startTestApp('pglite');
const provider = await startScriptedOpenAiServer();
try {
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const company = await createCompany(t.tenancy, { sector: 'government' });
  const key = bearer(await createApiKey(t.tenancy, company.id, 'viewer'));
  const docs = Array.from({ length: Math.ceil(paragraphs.length / PER_DOCUMENT) }, (_, i) => ({
    title: `文書${i + 1}.md`,
    body: paragraphs
      .slice(i * PER_DOCUMENT, (i + 1) * PER_DOCUMENT)
      .map((p, j) => `## 第${j + 1}節\n\n${p.context.replace(/^.*?\[SEP\]\s*/u, '')}`)
      .join('\n\n'),
  }));
  const ingestStart = performance.now();
  await plant(t, company.id, docs);
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  const url = `${base}/api/v1/ask`;

  const extractive = await run(url, key, 'extractive');

  provider.script(() => ({ text: '答えは資料の通りです[1]。詳しくは出典をご覧ください[2]。' }));
  await t.governance.providers.add(OPERATOR, {
    name: 'onprem-bench',
    kind: 'openai-compatible',
    baseUrl: provider.url,
    region: 'on-prem',
    chatModel: 'scripted-chat',
    retainsData: false,
  });
  const generative = await run(url, key, 'generative');

  const model = createOpenAICompatible({ name: 'direct', baseURL: provider.url }).chatModel('scripted-chat');
  const direct: number[] = [];
  for (let i = 0; i < WARM_UP + requests; i += 1) {
    const start = performance.now();
    const stream = streamText({ model, prompt: questions[i % questions.length]!, maxRetries: 0 });
    let first: number | undefined;
    for await (const _ of stream.textStream) first ??= performance.now() - start;
    if (i >= WARM_UP) direct.push(first!);
  }
  const providerTtft = percentile(direct, 0.5);
  const overhead = generative.ttft.map((ms) => ms - providerTtft);

  const ms = (v: number) => v.toFixed(1);
  const row = (name: string, values: number[]) =>
    `| ${name} | ${ms(percentile(values, 0.5))} | ${ms(percentile(values, 0.95))} |`;
  console.log(
    `${docs.length} documents (${paragraphs.length} JSQuAD paragraphs, ingested in ${ingestSeconds.toFixed(0)} s); ${requests} streamed asks per mode after ${WARM_UP} warm-up, one at a time`,
  );
  console.log('| POST /api/v1/ask, Accept: text/event-stream, real HTTP | p50 ms | p95 ms |');
  console.log('| --- | --- | --- |');
  console.log(row('extractive: time to first text event', extractive.ttft));
  console.log(row('extractive: whole answer', extractive.total));
  console.log(row('generative (scripted provider): time to first text event', generative.ttft));
  console.log(row('generative: whole answer', generative.total));
  console.log(row('provider alone (AI SDK direct): time to first token', direct));
  console.log(row('Kura overhead: generative TTFT − provider TTFT (median)', overhead));
  console.log(
    `CPU time of the whole process per ask: extractive ${ms(extractive.cpuMs)} ms, generative ${ms(generative.cpuMs)} ms`,
  );
  console.log(
    `load average (1, 5, 15 min) at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
} finally {
  await provider.close();
  await t.close();
}
