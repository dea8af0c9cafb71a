/**
 * `node --import tsx bench/gateway.ts [iterations]`: what the egress guard costs per model call,
 * for a 4,000-character prompt, on the embedded database (PGlite, in process).
 *
 *  1. the decision alone (`refusalReason`: policy × provider, no I/O);
 *  2. the guard as the gateway runs it (`PolicyEgressGuard.check`: the company's policy from its
 *     1 s cache, then the decision), and with the cache off (an RLS-bound PGlite read every call);
 *  3. the whole gateway around a real HTTP call to a local OpenAI-protocol server (provider lookup,
 *     guard, credential unsealing, retries wrapper, metering row) minus the same call made with the
 *     AI SDK directly.
 * Prints a Markdown table for docs/BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import { PolicyEgressGuard, refusalReason } from '../src/governance/residency/egress-guard.js';
import { PolicyCache } from '../src/governance/residency/policy-cache.js';
import { OPERATOR } from '../src/tenancy/actor.js';
import { startGatewayHarness } from '../test/helpers/gateway-harness.js';
import { startScriptedOpenAiServer } from '../test/helpers/scripted-openai-server.js';

const iterations = Number(process.argv[2] ?? 1000);
const prompt = '東京都千代田区の山田太郎様（電話 03-1234-5678）からの問い合わせ。'.repeat(200).slice(0, 4000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
async function measure(n: number, fn: () => unknown): Promise<{ mean: number; p50: number; p95: number }> {
  for (let i = 0; i < Math.min(50, n); i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / n,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
}

const h = await startGatewayHarness('pglite');
const server = await startScriptedOpenAiServer();
try {
  const provider = await h.addProvider({ name: 'onprem-bench', url: server.url, region: 'on-prem' });
  const company = await h.tenancy.companies.create(OPERATOR, {
    slug: 'bench-gov',
    name: 'Bench',
    sector: 'government',
  });
  const policy = (await h.governance.policies.find(company.id))!;
  const messages = [{ role: 'user' as const, content: prompt }];
  const ctx = { tenantId: company.id, userId: null, purpose: 'bench.gateway' };

  const decision = await measure(iterations * 100, () => refusalReason(policy, provider));
  const guard = await measure(iterations, () => h.governance.guard.check(company.id, provider));
  // The same guard with its policy cache off: one RLS-bound PGlite read per call (a cache miss).
  const uncached = new PolicyEgressGuard(new PolicyCache(h.governance.policies, 0));
  const guardCold = await measure(iterations, () => uncached.check(company.id, provider));
  const direct = createOpenAICompatible({ name: 'direct', baseURL: server.url }).chatModel('scripted-chat');
  const sdk = await measure(iterations, () => generateText({ model: direct, messages, maxRetries: 0 }));
  const gateway = await measure(iterations, () => h.governance.gateway.chat(ctx, { messages }));

  const row = (name: string, r: { mean: number; p50: number; p95: number }) =>
    `| ${name} | ${r.mean.toFixed(4)} | ${r.p50.toFixed(4)} | ${r.p95.toFixed(4)} |`;
  console.log(
    `prompt: ${prompt.length} characters; ${iterations} calls per row (decision: ${iterations * 100})`,
  );
  console.log('| per call | mean ms | p50 ms | p95 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('guard decision (no I/O)', decision));
  console.log(row('guard, policy from its 1 s cache', guard));
  console.log(row('guard, policy read from PGlite every call', guardCold));
  console.log(row('AI SDK direct, local HTTP server', sdk));
  console.log(row('ModelGateway.chat, same server', gateway));
  console.log(
    `gateway overhead (mean, gateway − direct): ${(gateway.mean - sdk.mean).toFixed(2)} ms; of which guard ${guard.mean.toFixed(2)} ms`,
  );
} finally {
  await server.close();
  await h.close();
}
