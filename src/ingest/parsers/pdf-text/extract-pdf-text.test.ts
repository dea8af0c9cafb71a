import fontkit from '@pdf-lib/fontkit';
import fc from 'fast-check';
import { degrees, PDFDict, PDFDocument, PDFName, StandardFonts, type PDFFont } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { makePdf, PDF_PAGES } from '../../../../test/fixtures/index.js';
import { japaneseFont } from '../../../../test/fixtures/japanese-font.js';
import { parseDocument } from '../parse-document.js';
import { extractPdfText } from './extract-pdf-text.js';
import { fastPages, joinedAll, normalised, pdfJsPages } from './pdfjs-reference.test-support.js';
import { buildContentPdf, contentSpec } from './random-content.test-support.js';

/** Characters pdf-lib can draw with the embedded Japanese font (IPAGothic covers all of these). */
const JAPANESE = [...'あいうえおかきくけこ漢字日本語規程経費精算第一条。、「」（）・アイウエオカタカナ　ー'];
const ASCII = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()-/ '];
/** What the standard fonts can draw (WinAnsi). */
const LATIN = [...ASCII, ...'éüß€'];

const FONT_KINDS = ['japanese', 'helvetica', 'times'] as const;
type FontKind = (typeof FONT_KINDS)[number];

interface Run {
  font: FontKind;
  text: string;
  x: number;
  y: number;
  size: number;
  rotate: number;
}

const chars = (alphabet: string[], max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: max }).map((list) => list.join(''));

const run = (fonts: readonly FontKind[]): fc.Arbitrary<Run> =>
  fc.constantFrom(...fonts).chain((font) =>
    fc.record({
      font: fc.constant(font),
      text:
        font === 'japanese'
          ? fc.oneof(chars(JAPANESE, 30), chars([...JAPANESE, ...ASCII], 30))
          : chars(LATIN, 30),
      x: fc.integer({ min: -20, max: 560 }),
      y: fc.integer({ min: -20, max: 860 }),
      size: fc.constantFrom(6, 9, 10.5, 11, 12, 18, 24),
      rotate: fc.constantFrom(0, 0, 0, 0, 90, 180, 270, 30),
    }),
  );

/** A page written line by line (same y, runs side by side) as well as scattered: both exercise the spacing rules. */
const page = (fonts: readonly FontKind[]) =>
  fc.oneof(
    fc.array(run(fonts), { minLength: 1, maxLength: 12 }),
    fc
      .tuple(
        run(fonts),
        fc.array(fc.tuple(chars([...JAPANESE, ...ASCII], 12), fc.integer({ min: -5, max: 40 })), {
          maxLength: 8,
        }),
      )
      .map(([first, rest]) => {
        const runs: Run[] = [{ ...first, rotate: 0 }];
        let x = first.x;
        for (const [text, gap] of rest) {
          x += first.text.length * first.size * 0.6 + gap;
          runs.push({
            ...first,
            rotate: 0,
            text: first.font === 'japanese' ? text : text.replace(/[^ -~]/g, 'a'),
            x,
          });
        }
        return runs;
      }),
  );

async function buildPdf(pages: Run[][], useObjectStreams: boolean): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const fonts = new Map<FontKind, PDFFont>();
  const fontFor = async (kind: FontKind) => {
    let font = fonts.get(kind);
    if (!font) {
      if (kind === 'japanese') font = await pdf.embedFont(japaneseFont(), { subset: true });
      else
        font = await pdf.embedFont(kind === 'helvetica' ? StandardFonts.Helvetica : StandardFonts.TimesRoman);
      fonts.set(kind, font);
    }
    return font;
  };
  for (const runs of pages) {
    const target = pdf.addPage([595, 842]);
    for (const { font, text, x, y, size, rotate } of runs) {
      target.drawText(text, { x, y, size, font: await fontFor(font), rotate: degrees(rotate) });
    }
  }
  return pdf.save({ useObjectStreams });
}

describe('the PDF fast path extracts the text pdf.js extracts', () => {
  it('on the PDF fixture the tests use (PDF_PAGES), page for page and byte for byte', async () => {
    const bytes = await makePdf(PDF_PAGES, { title: '情報セキュリティ規程' });
    const fast = extractPdfText(bytes);
    expect(fast.pages).toEqual(await pdfJsPages(bytes));
    expect(fast.info.title).toBe('情報セキュリティ規程');
  });

  it('on bench-shaped PDFs (pages of three long paragraphs, wrapped, with characters the font lacks)', async () => {
    const paragraphs = PDF_PAGES.flat();
    const long = Array.from({ length: 9 }, (_, i) =>
      // "ṇḍ" is not in IPAGothic: the subset draws .notdef (code 0), which pdf.js reads as U+0000.
      `${paragraphs[i % paragraphs.length]}（pu\u1e47\u1e0darīka）${paragraphs[(i + 1) % paragraphs.length]}`.repeat(
        3,
      ),
    );
    const bytes = await makePdf([long.slice(0, 3), long.slice(3, 6), long.slice(6, 9)]);
    const fast = fastPages(bytes);
    expect(fast).not.toBe('unsupported');
    expect(normalised(fast as string[])).toEqual(normalised(await pdfJsPages(bytes)));
  });

  it('on generated PDFs with the embedded Japanese font: always read, identical text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(page(['japanese']), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (pages, objectStreams) => {
          const bytes = await buildPdf(pages, objectStreams);
          const fast = fastPages(bytes);
          expect(fast).not.toBe('unsupported');
          expect(normalised(fast as string[])).toEqual(normalised(await pdfJsPages(bytes)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('on generated PDFs mixing Japanese and standard fonts: identical text, or left to pdf.js', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(page(FONT_KINDS), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (pages, objectStreams) => {
          const bytes = await buildPdf(pages, objectStreams);
          const reference = normalised(await pdfJsPages(bytes));
          const fast = fastPages(bytes);
          if (fast !== 'unsupported') expect(normalised(fast)).toEqual(reference);
          // Either way the document Kura keeps is pdf.js's text, page by page: where the fast path
          // read the file, with some line ends kept (lines that do not wrap, wrapped-lines.ts).
          const doc = await parseDocument(Buffer.from(bytes), { fileName: 'generated.pdf' }).catch(
            () => undefined,
          );
          const kept = reference
            .map((text, i) => ({ text, page: i + 1 }))
            .filter((section) => section.text !== '');
          if (kept.length === 0) expect(doc).toBeUndefined();
          else
            expect(
              doc?.sections.map((section) => ({
                text: joinedAll(section.text),
                page: section.anchor.page,
              })),
            ).toEqual(kept);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the PDF fast path on hand-written content streams (every text operator, three kinds of font)', () => {
  it('reads them all, with the text pdf.js extracts', async () => {
    await fc.assert(
      fc.asyncProperty(contentSpec(), async (spec) => {
        const bytes = await buildContentPdf(spec);
        const fast = fastPages(bytes);
        expect(fast).not.toBe('unsupported');
        expect(normalised(fast as string[])).toEqual(normalised(await pdfJsPages(bytes)));
        // The printed lines are the same text, split at its line ends.
        const { lines } = extractPdfText(bytes);
        expect(lines.map((page) => page.map((line) => line.text).join('\n'))).toEqual(fast);
      }),
      { numRuns: 80 },
    );
  });
});

describe('the PDF fast path on cross-reference layouts pdf.js accepts', () => {
  const text = [['相互参照の表と流れ', 'Hybrid xref test'], ['二ページ目']];

  it('a hybrid-reference file (a table whose /XRefStm lists the objects in object streams)', async () => {
    const compact = Buffer.from(
      await (await PDFDocument.load(await makePdf(text))).save({ useObjectStreams: true }),
    );
    const latin = compact.toString('latin1');
    const streamOffset = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(latin)?.[1]);
    const streamDict = latin.slice(streamOffset, latin.indexOf('stream', streamOffset));
    const root = /\/Root (\d+ \d+ R)/.exec(streamDict)?.[1];
    const size = /\/Size (\d+)/.exec(streamDict)?.[1];
    const tableOffset = compact.length + 1;
    const update = `\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size ${size} /Root ${root} /XRefStm ${streamOffset} >>\nstartxref\n${tableOffset}\n%%EOF\n`;
    const hybrid = Buffer.concat([compact, Buffer.from(update, 'latin1')]);
    const fast = fastPages(hybrid);
    expect(fast).not.toBe('unsupported');
    expect(normalised(fast as string[])).toEqual(normalised(await pdfJsPages(hybrid)));
  });

  it('a table numbered from 1 whose first entry is object 0 (a writer bug pdf.js repairs)', async () => {
    const classic = Buffer.from(
      await (await PDFDocument.load(await makePdf(text))).save({ useObjectStreams: false }),
    ).toString('latin1');
    const shifted = Buffer.from(classic.replace(/\nxref\n0 (\d+)\n/, '\nxref\n1 $1\n'), 'latin1');
    expect(shifted.toString('latin1')).toMatch(/\nxref\n1 \d+\n0000000000 65535 f/);
    const fast = fastPages(shifted);
    expect(fast).not.toBe('unsupported');
    expect(normalised(fast as string[])).toEqual(normalised(await pdfJsPages(shifted)));
  });
});

describe('the PDF fast path on a CID font that is not embedded', () => {
  /** The fixture PDF with its font program removed and the font renamed: what pdf.js draws with a system font. */
  async function withoutProgram(name: string, pages: string[][]): Promise<Uint8Array> {
    const pdf = await PDFDocument.load(await makePdf(pages));
    for (const [, object] of pdf.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFDict)) continue;
      if (object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')) {
        object.delete(PDFName.of('FontFile2'));
        object.set(PDFName.of('FontName'), PDFName.of(name));
      } else if (object.get(PDFName.of('Type')) === PDFName.of('Font')) {
        object.set(PDFName.of('BaseFont'), PDFName.of(name));
      }
    }
    return pdf.save({ useObjectStreams: false });
  }

  it.each(['MS-Mincho', 'Arial', 'Helvetica'])(
    'named %s: the text of its ToUnicode, as pdf.js reads it',
    async (name) => {
      const bytes = await withoutProgram(name, PDF_PAGES);
      const fast = fastPages(bytes);
      expect(fast).not.toBe('unsupported');
      expect(normalised(fast as string[])).toEqual(normalised(await pdfJsPages(bytes)));
    },
  );

  it('a character the font lacks (code 0) is left to pdf.js, whose system font may map it', async () => {
    const bytes = await withoutProgram('Arial', [['サンスクリット語 pu\u1e47\u1e0darīka']]);
    expect(fastPages(bytes)).toBe('unsupported');
  });
});
