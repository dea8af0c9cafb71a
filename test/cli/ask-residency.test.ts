import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/connectors-harness.js';
import { runCli } from '../helpers/run-cli.js';
import {
  startScriptedOpenAiServer,
  type RecordedRequest,
  type ScriptedOpenAiServer,
} from '../helpers/scripted-openai-server.js';

/**
 * Issue 5's "Done when", through the real `kura` CLI and real OpenAI-protocol servers: a government
 * company's question never reaches a `us` provider (refused with residency_violation), and an
 * on-prem provider receives placeholders where the question had personal data while the printed
 * answer shows the values.
 */
const PHONE = '090-1234-5678';
const MY_NUMBER = '1234 5678 9018';
const QUESTION = `山田太郎様（電話 ${PHONE}、マイナンバー ${MY_NUMBER}）から問い合わせです。住民票の写しの交付手数料はいくらですか？`;
const DOC = `# 窓口手数料一覧

住民票の写しの交付手数料は、1通につき300円とする。

印鑑登録証明書の交付手数料は、1通につき300円とする。`;

interface AuditLine {
  action: string;
  outcome: string;
  payload: { provider: string; region: string; errorCode: string | null; tokensIn: number };
}

/** The scripted model: answers from source 1, echoes the question's placeholders, and cites a source that does not exist. */
function groundedReply(request: RecordedRequest) {
  const user = JSON.stringify(request.body?.messages?.at(-1)?.content ?? '');
  const placeholders = [...new Set(user.match(/〔[^〕]+〕/g) ?? [])];
  return {
    text: `住民票の写しの交付手数料は1通300円です[1]。${placeholders.join('、')}さまへご回答ください[9]。`,
  };
}

describe('kura ask with a model provider: residency and PII (issue 5, done when)', () => {
  const dataDir = tempFolder('kura-ask-residency-');
  const kura = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  let us: ScriptedOpenAiServer;
  let onprem: ScriptedOpenAiServer;
  beforeAll(async () => {
    us = await startScriptedOpenAiServer();
    onprem = await startScriptedOpenAiServer();
    onprem.script(groundedReply);
    const docs = tempFolder('kura-ask-residency-docs-');
    writeFileSync(path.join(docs, '窓口手数料.md'), DOC);
    expect((await kura('tenant', 'create', 'gov', '--name', '市役所', '--sector', 'government')).code).toBe(
      0,
    );
    expect((await kura('ingest', '--tenant', 'gov', docs)).code).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([us.close(), onprem.close()]);
  });

  it('a us provider: refused with residency_violation, and the us server received nothing', async () => {
    const add = await kura(
      'provider',
      'add',
      'us-cloud',
      '--kind',
      'openai-compatible',
      '--base-url',
      us.url,
      '--region',
      'us',
      '--chat-model',
      'scripted-chat',
    );
    expect(add.code, add.stderr).toBe(0);
    const refused = await kura('ask', '--tenant', 'gov', QUESTION);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('residency_violation');
    expect(refused.stderr).toContain('us-cloud');
    expect(refused.stdout).toBe('');
    expect(us.requests).toEqual([]);
    // The refusal is in the company's audit log, naming provider and region.
    const audit = await kura('audit', 'export', '--tenant', 'gov', '--action', 'model.refused');
    expect(audit.code, audit.stderr).toBe(0);
    const [event] = audit.stdout.split('\n').map((line) => JSON.parse(line) as AuditLine);
    expect(event).toMatchObject({
      action: 'model.refused',
      outcome: 'denied',
      payload: { provider: 'us-cloud', region: 'us', errorCode: 'residency_violation', tokensIn: 0 },
    });
  });

  it('an on-prem provider: a generative, cited answer; the provider saw placeholders, the user sees values', async () => {
    expect((await kura('provider', 'remove', 'us-cloud')).code).toBe(0);
    const add = await kura(
      'provider',
      'add',
      'onprem-llm',
      '--kind',
      'openai-compatible',
      '--base-url',
      onprem.url,
      '--region',
      'on-prem',
      '--chat-model',
      'scripted-chat',
    );
    expect(add.code, add.stderr).toBe(0);
    const result = await kura('ask', '--tenant', 'gov', '--json', QUESTION);
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as {
      answer: string;
      mode: string;
      citations: { n: number; title: string; quote: string }[];
    };
    expect(body.mode).toBe('generative');
    expect(body.answer).toContain('300円です[1]');
    expect(body.answer).not.toContain('[9]');
    expect(body.citations).toHaveLength(1);
    expect(body.citations[0]).toMatchObject({ n: 1, title: '窓口手数料' });
    expect(body.citations[0]!.quote).toContain('1通につき300円');
    // Restored for the user …
    expect(body.answer).toContain(PHONE);
    expect(body.answer).toContain(MY_NUMBER);
    expect(body.answer).toContain('山田太郎');
    // … while what left the process held placeholders only.
    const [sent] = onprem.modelRequests();
    expect(sent).toBeDefined();
    expect(sent!.rawBody).toContain('〔電話1〕');
    expect(sent!.rawBody).toContain('〔マイナンバー1〕');
    expect(sent!.rawBody).toContain('〔氏名1〕');
    for (const value of [PHONE, '09012345678', MY_NUMBER, '123456789018', '山田太郎'])
      expect(sent!.rawBody).not.toContain(value);
    // The retrieved document went to the model as delimited data.
    expect(sent!.rawBody).toMatch(/<source n=\\"1\\" title=\\"窓口手数料\\">/);
    expect(us.requests).toEqual([]);
    // What left is in the audit log: provider, region and tokens, never the text.
    const audit = await kura('audit', 'export', '--tenant', 'gov', '--action', 'model.egress');
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).not.toContain('山田');
    const events = audit.stdout.split('\n').map((line) => JSON.parse(line) as AuditLine);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.payload.provider === 'onprem-llm' && e.payload.region === 'on-prem')).toBe(
      true,
    );
  });
});
