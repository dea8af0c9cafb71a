import fontkit from '@pdf-lib/fontkit';
import fc from 'fast-check';
import type { PDFHexString } from 'pdf-lib';
import { PDFDocument, PDFName, type PDFFont, type PDFRef } from 'pdf-lib';
import { japaneseFont } from '../../../../test/fixtures/japanese-font.js';

/**
 * PDFs with hand-written content streams: random sequences of every text operator the fast path
 * reads (Tf Td TD Tm T* TL Tc Tw Tz Ts Tj TJ ' "), q/Q/cm, marked content and a Form XObject,
 * over three fonts — the embedded Type0 font pdf-lib writes (Identity-H + ToUnicode), a simple
 * TrueType font with a named encoding and /Differences, and a simple font read through a
 * ToUnicode bfrange.
 */
export interface ContentSpec {
  pages: string[][];
  simpleEncoding: 'WinAnsiEncoding' | 'MacRomanEncoding' | 'differences';
}

const JAPANESE = [...'あいうえお漢字日本語規程。、「」（）アイウ　ー'];
const ASCII = [...'abcdefgxyzABCXYZ0123456789.,!?-() '];

const num = (min: number, max: number) =>
  fc.integer({ min: min * 100, max: max * 100 }).map((n) => String(n / 100));

/** One operator (or a small group) in a text object; fonts are FJ (Type0), FS (simple, encoded), FU (simple, ToUnicode). */
function textOperator(): fc.Arbitrary<string> {
  const jText = fc
    .array(fc.constantFrom(...JAPANESE, ...ASCII), { minLength: 1, maxLength: 12 })
    .map((chars) => `{J:${chars.join('')}}`);
  const sText = fc
    .array(fc.constantFrom(...ASCII, '\\351', '\\374', '\\200'), { minLength: 1, maxLength: 12 })
    .map((chars) => `(${chars.join('').replace(/[()]/g, '\\$&')})`);
  const mapped = [
    ...Array.from({ length: 0x43 - 0x20 }, (_, i) => 0x21 + i),
    ...Array.from({ length: 0x7f - 0x5b }, (_, i) => 0x5b + i),
  ];
  const uText = fc
    .array(fc.constantFrom(...mapped), { minLength: 1, maxLength: 10 })
    .map((codes) => `<${codes.map((c) => c.toString(16).padStart(2, '0')).join('')}>`);
  const font = fc.constantFrom('FJ', 'FS', 'FU');
  const size = fc.constantFrom('6', '9', '10.5', '12', '18');
  // Each shown string is tagged with its font, so the builder emits a Tf first when it changes.
  const shown = fc.oneof(
    jText.map((text) => ({ font: 'FJ', text })),
    sText.map((text) => ({ font: 'FS', text })),
    uText.map((text) => ({ font: 'FU', text })),
  );
  return fc.oneof(
    fc.tuple(font, size).map(([f, s]) => `/${f} ${s} Tf`),
    fc.tuple(num(-60, 300), num(-40, 40)).map(([x, y]) => `${x} ${y} Td`),
    fc.tuple(num(-60, 300), num(-40, 40)).map(([x, y]) => `${x} ${y} TD`),
    fc
      .tuple(
        fc.constantFrom('1 0 0 1', '0 1 -1 0', '-1 0 0 -1', '2 0 0 2', '0.87 0.5 -0.5 0.87', '1 0 0.3 1'),
        num(0, 590),
        num(0, 840),
      )
      .map(([m, x, y]) => `${m} ${x} ${y} Tm`),
    fc.constant('T*'),
    num(-5, 30).map((v) => `${v} TL`),
    num(-2, 6).map((v) => `${v} Tc`),
    num(-2, 10).map((v) => `${v} Tw`),
    fc.constantFrom('100', '50', '150', '80').map((v) => `${v} Tz`),
    num(-4, 4).map((v) => `${v} Ts`),
    shown.map(({ font: f, text }) => `${f}|${text} Tj`),
    fc
      .array(
        fc.oneof(
          shown,
          fc.integer({ min: -1200, max: 1200 }).map((n) => ({ font: '', text: String(n) })),
        ),
        {
          minLength: 1,
          maxLength: 6,
        },
      )
      .map((parts) => {
        const f = parts.find((p) => p.font)?.font ?? 'FS';
        const body = parts.map((p) => (p.font && p.font !== f ? '0' : p.text)).join(' ');
        return `${f}|[${body}] TJ`;
      }),
    shown.map(({ font: f, text }) => `${f}|${text} '`),
    fc.tuple(shown, num(0, 5), num(0, 3)).map(([{ font: f, text }, aw, ac]) => `${f}|${aw} ${ac} ${text} "`),
  );
}

/** A page: text objects, some inside q … cm … Q, some in marked content, and the Form XObject. */
function pageContent(): fc.Arbitrary<string> {
  const textObject = fc
    .array(textOperator(), { minLength: 1, maxLength: 14 })
    .map((ops) => `BT\n${ops.join('\n')}\nET`);
  const block = fc.oneof(
    textObject,
    fc
      .tuple(
        fc.constantFrom('1 0 0 1 20 -30', '0.5 0 0 0.5 100 100', '1 0 0 1 0 0', '0 1 -1 0 500 100'),
        textObject,
      )
      .map(([cm, text]) => `q ${cm} cm\n${text}\nQ`),
    textObject.map((text) => `/P <</MCID 0>> BDC\n${text}\nEMC`),
    fc.constantFrom('q 1 0 0 1 50 600 cm /X1 Do Q', '/X1 Do', '/Im1 Do'),
  );
  return fc.array(block, { minLength: 1, maxLength: 6 }).map((blocks) => blocks.join('\n'));
}

export const contentSpec = (): fc.Arbitrary<ContentSpec> =>
  fc.record({
    pages: fc.array(fc.array(pageContent(), { minLength: 1, maxLength: 1 }), { minLength: 1, maxLength: 2 }),
    simpleEncoding: fc.constantFrom('WinAnsiEncoding', 'MacRomanEncoding', 'differences'),
  });

/** Writes the PDF: resolves each "FONT|operands op" into a Tf when the font changes, and {J:text} into FJ's codes. */
export async function buildContentPdf(spec: ContentSpec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const jFont = await pdf.embedFont(japaneseFont(), { subset: true });
  const simpleFontFile = pdf.context.register(pdf.context.flateStream(await subsetProgram()));
  const fs = simpleFont(pdf, 'KuraSimple', spec.simpleEncoding, simpleFontFile);
  const fu = toUnicodeFont(pdf, simpleFontFile);
  const form = pdf.context.register(
    pdf.context.flateStream(`BT /FJ 10 Tf 5 5 Td ${encode(jFont, 'フォーム内の文字')} Tj ET`, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 200, 50],
      Resources: { Font: { FJ: jFont.ref } },
    }),
  );
  const image = pdf.context.register(
    pdf.context.stream(new Uint8Array([0]), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 1,
      Height: 1,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    }),
  );
  for (const [content] of spec.pages) {
    const page = pdf.addPage([595, 842]);
    let current = '';
    const lines = (content ?? '').split('\n').map((line) => {
      const tagged = /^(FJ|FS|FU)\|(.*)$/.exec(line);
      const body = (tagged ? tagged[2] : line) ?? '';
      const resolved = body.replace(/\{J:([^}]*)\}/g, (_, text: string) => encode(jFont, text));
      if (line.endsWith(' Tf')) current = line.slice(1, 3);
      if (line.startsWith('q') || line === 'Q') current = ''; // Q restores a font this tracker does not know
      if (!tagged || tagged[1] === current) return resolved;
      current = tagged[1] as string;
      return `/${current} 11 Tf\n${resolved}`;
    });
    // Text shown before any Tf in a text object uses the state's font: make sure there is one.
    const stream = pdf.context.flateStream(`/FS 11 Tf\n${lines.join('\n')}`);
    page.node.set(PDFName.of('Contents'), pdf.context.register(stream));
    page.node.set(
      PDFName.of('Resources'),
      pdf.context.obj({ Font: { FJ: jFont.ref, FS: fs, FU: fu }, XObject: { X1: form, Im1: image } }),
    );
  }
  return pdf.save({ useObjectStreams: false });
}

function encode(font: PDFFont, text: string): string {
  return (font.encodeText(text) as PDFHexString).toString();
}

let program: Uint8Array | undefined;
/** A small real TrueType program (ASCII glyphs of IPAGothic) for the simple fonts to embed. */
async function subsetProgram(): Promise<Uint8Array> {
  if (program) return program;
  const font = fontkit.create(japaneseFont());
  const subset = font.createSubset();
  for (const char of 'abcXYZ012') subset.includeGlyph(font.glyphForCodePoint(char.codePointAt(0) as number));
  program = await new Promise<Uint8Array>((resolve) => {
    const parts: Uint8Array[] = [];
    const encoded = subset.encodeStream();
    encoded.on('data', (part: Uint8Array) => parts.push(part));
    encoded.on('end', () => resolve(Buffer.concat(parts)));
  });
  return program;
}

const widths = Array.from({ length: 224 }, (_, i) => 300 + ((i * 37) % 500));

/**
 * A simple TrueType font dictionary over the shared program: `Flags` 32 (nonsymbolic) with an
 * encoding, or 4 (symbolic) read through its ToUnicode CMap.
 */
function trueTypeFont(
  pdf: PDFDocument,
  name: string,
  flags: number,
  file: PDFRef,
  entries: Record<string, unknown>,
): PDFRef {
  const descriptor = pdf.context.obj({
    Type: 'FontDescriptor',
    FontName: name,
    Flags: flags,
    FontBBox: [0, -200, 1000, 900],
    ItalicAngle: 0,
    Ascent: 880,
    Descent: -120,
    CapHeight: 700,
    StemV: 80,
    FontFile2: file,
  });
  return pdf.context.register(
    pdf.context.obj({
      Type: 'Font',
      Subtype: 'TrueType',
      BaseFont: name,
      FirstChar: 32,
      LastChar: 255,
      Widths: widths,
      FontDescriptor: pdf.context.register(descriptor),
      ...entries,
    } as Parameters<typeof pdf.context.obj>[0]),
  );
}

function simpleFont(
  pdf: PDFDocument,
  name: string,
  encoding: ContentSpec['simpleEncoding'],
  file: PDFRef,
): PDFRef {
  const differences = {
    BaseEncoding: 'WinAnsiEncoding',
    Differences: [65, 'Aring', 'bullet', 97, 'eacute', 128, 'Euro'],
  };
  const Encoding =
    encoding === 'differences' ? pdf.context.obj({ Type: 'Encoding', ...differences }) : encoding;
  return trueTypeFont(pdf, name, 32, file, { Encoding });
}

function toUnicodeFont(pdf: PDFDocument, file: PDFRef): PDFRef {
  const cmap = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CMapName /Kura-Test def /CMapType 2 def',
    '1 begincodespacerange <00> <ff> endcodespacerange',
    '2 beginbfrange <21> <40> <3041> <41> <5a> [<0041> <00420043> <D835DC9C>] endbfrange',
    '1 beginbfchar <5b> <6F22> endbfchar',
    '1 beginbfrange <5c> <7e> <0061> endbfrange',
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
  return trueTypeFont(pdf, 'KuraMapped', 4, file, {
    ToUnicode: pdf.context.register(pdf.context.flateStream(cmap)),
  });
}
