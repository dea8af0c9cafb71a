import { afterAll, describe, expect, it } from 'vitest';
import { makeDocx, makePdf, makeTruncatedPdf, makeZipBombDocx } from '../../../test/fixtures/index.js';
import { sharedAnalyzer, sharedDictionary } from '../../../test/helpers/connectors-harness.js';
import { inlinePreparer } from '../pipeline/prepare-document.js';
import { PreparationPool } from './preparation-pool.js';

/** A thread loads its code (seconds on a loaded 2-core machine); the dictionary is shared. */
const THREAD_START_BUDGET_MS = 120_000;
const dictionary = sharedDictionary;

describe('preparation threads', () => {
  const pool = new PreparationPool({ threads: 2, dictionary });
  afterAll(() => pool.close());

  it(
    'give the same chunks, anchors and tokens as preparing on the calling thread',
    async () => {
      const inline = inlinePreparer(await sharedAnalyzer());
      const docx = await makeDocx();
      const text = Buffer.from(
        '就業規則\n\n第1条 この規則は、社員の労働条件を定める。\n\n第2条 始業は9時とする。',
      );
      const [threadedDocx, threadedText, threadedRecord] = await Promise.all([
        pool.prepareFile(docx, '経費精算規程.docx'),
        pool.prepareFile(text, '就業規則.txt'),
        pool.prepareText('注文番号 1001: 株式会社蔵 様、ノートPC 3台', '注文'),
      ]);
      expect(threadedDocx).toEqual(await inline.prepareFile(docx, '経費精算規程.docx'));
      expect(threadedText).toEqual(await inline.prepareFile(text, '就業規則.txt'));
      expect(threadedRecord).toEqual(
        await inline.prepareText('注文番号 1001: 株式会社蔵 様、ノートPC 3台', '注文'),
      );
      expect(threadedDocx).toMatchObject({ ok: true, title: '経費精算規程' });
      if (threadedDocx.ok) expect(threadedDocx.chunks.flatMap((c) => c.tokens.split(' '))).toContain('精算');
    },
    THREAD_START_BUDGET_MS,
  );

  it('answer a bad file with its reason and keep serving the next ones', async () => {
    const results = await Promise.all([
      pool.prepareFile(await makeTruncatedPdf(), 'broken.pdf'),
      pool.prepareFile(await makeZipBombDocx(20), 'bomb.docx'),
      pool.prepareFile(Buffer.from('残りは正常です。'), 'ok.txt'),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['corrupt_file', 'archive_bomb', 'ok']);
  });

  it(
    'stop a parse that runs past its budget (parse_timeout) and replace the thread',
    async () => {
      const strict = new PreparationPool({ threads: 1, taskTimeoutMs: 1, dictionary });
      try {
        const pdf = await makePdf();
        expect(await strict.prepareFile(pdf, 'slow.pdf')).toMatchObject({ ok: false, code: 'parse_timeout' });
        // The replacement thread starts fresh; the same budget still applies to it.
        expect(await strict.prepareFile(pdf, 'slow.pdf')).toMatchObject({ ok: false, code: 'parse_timeout' });
      } finally {
        await strict.close();
      }
    },
    2 * THREAD_START_BUDGET_MS,
  );

  it(
    'fail only the task that ran past its budget; the one waiting on the same thread is prepared by the next',
    async () => {
      const strict = new PreparationPool({ threads: 1, taskTimeoutMs: 1_500, dictionary });
      try {
        // ~4 million characters to analyse: many seconds on any machine, far past 1.5 s.
        const long = Buffer.from('第1条 社員は経費を30日以内に申請する。'.repeat(200_000));
        const short = Buffer.from('残りは正常です。');
        const [slow, next] = await Promise.all([
          strict.prepareFile(long, 'long.txt'),
          strict.prepareFile(short, 'short.txt'),
        ]);
        expect(slow).toMatchObject({ ok: false, code: 'parse_timeout' });
        expect(next).toMatchObject({ ok: true, title: 'short' });
      } finally {
        await strict.close();
      }
    },
    2 * THREAD_START_BUDGET_MS,
  );

  it(
    'give a task to an idle thread rather than queue it behind a long one',
    async () => {
      const two = new PreparationPool({ threads: 2, dictionary });
      try {
        await two.warm();
        const finished: string[] = [];
        // ~1 million characters to analyse: seconds, where the short file takes milliseconds.
        const long = Buffer.from('第1条 社員は経費を30日以内に申請する。'.repeat(50_000));
        await Promise.all([
          two.prepareFile(long, 'long.txt').then(() => finished.push('long')),
          two.prepareFile(Buffer.from('残りは正常です。'), 'short.txt').then(() => finished.push('short')),
        ]);
        expect(finished).toEqual(['short', 'long']);
      } finally {
        await two.close();
      }
    },
    2 * THREAD_START_BUDGET_MS,
  );

  it('fail the waiting tasks with the reason when the dictionary cannot be loaded', async () => {
    const broken = new PreparationPool({
      threads: 1,
      dictionary: () => Promise.reject(new Error('the dictionary in /nowhere cannot be read')),
    });
    try {
      await expect(broken.prepareFile(Buffer.from('本文'), 'a.txt')).rejects.toThrow(
        'a preparation thread failed to start: the dictionary in /nowhere cannot be read',
      );
    } finally {
      await broken.close();
    }
  });
});
