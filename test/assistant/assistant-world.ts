import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/test-app.js';

export const POLICY_JA = `# 経費精算規程

## 第2条 申請期限

経費は発生日から30日以内に申請しなければならない。期限を過ぎた申請は、部長の承認を要する。

## 第3条 宿泊費

出張の宿泊費は、一泊あたり12,000円を上限とする。`;

export const POLICY_EN = `Travel expense policy

Employees must submit travel expenses within 30 days. Late claims need the approval of a director.
The hotel allowance is 150 dollars per night.`;

/** Only the CEO may read it: nobody else may ever see its title, text or a citation of it. */
export const SECRET =
  '役員報酬規程：取締役の賞与は毎年6月の取締役会で決定する。賞与の上限は基本報酬の40%とする。';
/** Its title as ingested (the file name without its extension). */
export const SECRET_TITLE = '役員報酬規程-confidential';

/** Ingests documents into a company through the real ingest path; returns their ids by title. */
export async function plant(
  t: TestApp,
  tenantId: string,
  docs: readonly { title: string; body: string; acl?: string[] }[],
): Promise<Map<string, string>> {
  const ingest = await t.knowledge.ingest();
  const source = await t.knowledge.repos.sources.insert(tenantId, {
    id: randomUUID(),
    kind: 'upload',
    name: `uploads-${randomUUID().slice(0, 8)}`,
    settings: {},
    secret: null,
  });
  const ids = new Map<string, string>();
  for (const d of docs) {
    const outcome = await ingest.ingest(
      tenantId,
      {
        sourceId: source.id,
        externalId: d.title,
        title: d.title,
        uri: `upload://${d.title}`,
        sizeBytes: d.body.length,
        modifiedAt: null,
        acl: d.acl ?? ['everyone'],
      },
      Buffer.from(d.body),
    );
    if (outcome.status !== 'indexed') throw new Error(`${d.title}: ${outcome.status}`);
    ids.set(d.title, outcome.document.id);
  }
  return ids;
}

/** Server-Sent Events of a response body: [{event, data}] in order. */
export function parseEventStream(body: string): { event: string | null; data: string }[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else throw new Error(`not an SSE line: ${JSON.stringify(line)}`);
      }
      return { event, data: data.join('\n') };
    });
}
