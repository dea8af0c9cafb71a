import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEncryptedPdf, makePdf, makeTruncatedPdf } from '../../../../test/fixtures/index.js';
import { parseDocument } from '../parse-document.js';
import { ParseError } from '../parse-error.js';
import { extractPdfText } from './extract-pdf-text.js';
import { fastPages, normalised, pdfJsPages } from './pdfjs-reference.test-support.js';
import { UnsupportedPdf } from './unsupported.js';

/** The fast path either reads a file or declines it with UnsupportedPdf: nothing else escapes it. */
function readsOrDeclines(bytes: Uint8Array): 'read' | 'declined' {
  try {
    extractPdfText(bytes);
    return 'read';
  } catch (error) {
    if (error instanceof UnsupportedPdf) return 'declined';
    throw error;
  }
}

async function parseFailure(bytes: Buffer): Promise<ParseError> {
  const error: unknown = await parseDocument(bytes, { fileName: 'x.pdf' }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

describe('the PDF fast path on bad input', () => {
  it('declines an encrypted PDF, and pdf.js reports encrypted_file as before', async () => {
    const bytes = await makeEncryptedPdf();
    expect(readsOrDeclines(bytes)).toBe('declined');
    expect((await parseFailure(bytes)).code).toBe('encrypted_file');
  });

  it('declines a truncated PDF, and pdf.js reports corrupt_file as before', async () => {
    const bytes = await makeTruncatedPdf();
    expect(readsOrDeclines(bytes)).toBe('declined');
    expect((await parseFailure(bytes)).code).toBe('corrupt_file');
  });

  it('declines a PDF whose body is garbage, and pdf.js reports corrupt_file as before', async () => {
    const bytes = Buffer.from(await makePdf([['壊れた本文']]));
    bytes.fill(0x7e, 15, bytes.length - 40); // keeps the header and the startxref tail, nothing between
    expect(readsOrDeclines(bytes)).toBe('declined');
    expect((await parseFailure(bytes)).code).toBe('corrupt_file');
  });

  describe('with bytes flipped, cut or spliced (fast-check)', () => {
    const originals: Uint8Array[] = [];
    beforeAll(async () => {
      const small = await makePdf([['壊れたPDFのテスト', 'ASCII text 123'], ['二ページ目']]);
      // The same document with object and xref streams: the other way a PDF is laid out.
      const compact = await (await PDFDocument.load(small)).save({ useObjectStreams: true });
      originals.push(small, compact, await makeEncryptedPdf());
    });

    it('never throws anything but UnsupportedPdf, and every call ends quickly', () => {
      const damage = fc.record({
        which: fc.nat(),
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        splice: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 64 })), { nil: undefined }),
        cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      });
      fc.assert(
        fc.property(damage, ({ which, flips, splice, cut }) => {
          const original = originals[which % originals.length] as Uint8Array;
          let bytes = Buffer.from(original);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          if (splice) {
            const at = splice[0] % bytes.length;
            bytes = Buffer.concat([bytes.subarray(0, at), splice[1], bytes.subarray(at)]);
          }
          if (cut !== undefined) bytes = bytes.subarray(0, Math.floor(bytes.length * cut));
          const started = performance.now();
          readsOrDeclines(bytes);
          expect(performance.now() - started).toBeLessThan(2_000);
        }),
        { numRuns: 400 },
      );
    });

    it('when it still reads a damaged file, it reads what pdf.js reads', async () => {
      const damage = fc.record({
        which: fc.nat(),
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      });
      let compared = 0;
      await fc.assert(
        fc.asyncProperty(damage, async ({ which, flips }) => {
          const bytes = Buffer.from(originals[which % 2] as Uint8Array);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const fast = fastPages(bytes);
          if (fast === 'unsupported') return;
          const reference = await pdfJsPages(bytes).catch(() => undefined);
          if (!reference) return; // pdf.js gave up on it: nothing to compare with
          compared++;
          expect(normalised(fast)).toEqual(normalised(reference));
        }),
        { numRuns: 200 },
      );
      expect(compared).toBeGreaterThan(20);
    });

    it('never throws anything but UnsupportedPdf on random bytes after a PDF header', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 200 }), (noise, text) => {
          readsOrDeclines(
            Buffer.concat([
              Buffer.from('%PDF-1.7\n'),
              noise,
              Buffer.from(text),
              Buffer.from('\nstartxref\n9\n%%EOF'),
            ]),
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
