import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDocx, makeEml, makePdf, makePptx, makeXlsx } from '../../../test/fixtures/index.js';
import { parseDocument } from './parse-document.js';
import { ParseError } from './parse-error.js';

/** Each parse gets a deadline, so a hostile input that makes a library spin still ends (as parse_timeout). */
const LIMITS = { timeoutMs: 3_000, maxBytes: 1024 * 1024 };

async function parsesOrFailsCleanly(bytes: Uint8Array, fileName: string | undefined): Promise<void> {
  try {
    const doc = await parseDocument(Buffer.from(bytes), { fileName }, LIMITS);
    expect(doc.sections.every((section) => section.text.trim() !== '')).toBe(true);
    expect(doc.sections.every((section) => !section.text.includes('\u0000'))).toBe(true);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
  }
}

const fileName = fc.option(
  fc.constantFrom(
    'a.pdf',
    'a.docx',
    'a.xlsx',
    'a.pptx',
    'a.csv',
    'a.md',
    'a.txt',
    'a.eml',
    'a.html',
    '../\u0000x',
  ),
  {
    nil: undefined,
  },
);
/** Starts that steer random bytes into each parser's path, not only into "unknown binary". */
const prefix = fc.constantFrom(
  '',
  '%PDF-1.7\n',
  'PK\u0003\u0004',
  'PK\u0005\u0006',
  '\u00ef\u00bb\u00bf',
  '\u00ff\u00fe',
  'From: a@example.jp\r\nTo: b@example.jp\r\nSubject: x\r\n\r\n',
  '<!doctype html><html><body>',
  '# 見出し\n\n',
  '\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1',
);

describe('parseDocument never throws anything but ParseError', () => {
  it('on random bytes (with format-steering prefixes)', async () => {
    await fc.assert(
      fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 1024 }), fileName, async (start, tail, name) => {
        const bytes = Buffer.concat([Buffer.from(start, 'latin1'), Buffer.from(tail)]);
        await parsesOrFailsCleanly(bytes, name);
      }),
      { numRuns: 300 },
    );
  });

  describe('on damaged real files', () => {
    const originals: Buffer[] = [];
    beforeAll(async () => {
      originals.push(
        await makeDocx(),
        await makeXlsx(),
        await makePptx(),
        await makePdf([['壊れたPDFのテスト']]),
        makeEml({ subject: '件名', body: '本文' }),
      );
    });

    it('with bytes flipped, cut or spliced', async () => {
      const damage = fc.record({
        which: fc.nat(),
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(damage, async ({ which, flips, cut }) => {
          const original = originals[which % originals.length] ?? Buffer.alloc(0);
          const bytes = Buffer.from(original);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const damaged = cut === undefined ? bytes : bytes.subarray(0, Math.floor(bytes.length * cut));
          await parsesOrFailsCleanly(damaged, undefined);
        }),
        { numRuns: 120 },
      );
    });
  });
});
