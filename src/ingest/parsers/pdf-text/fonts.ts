import { GLYPH_UNICODE, MAC_ROMAN_ENCODING, STANDARD_ENCODING, WIN_ANSI_ENCODING } from './encodings.js';
import { isDict, nameOf, PdfStream, type PdfDict, type PdfObject } from './objects.js';
import type { PdfFile } from './pdf-file.js';
import { readToUnicode } from './to-unicode.js';
import { unsupported } from './unsupported.js';

export interface Glyph {
  code: number;
  /** The text pdf.js would extract for this code. */
  unicode: string;
  /** Advance in glyph space (thousandths of the font size). */
  width: number;
  /** The Unicode category flags text layout needs, computed once per glyph (see text-content). */
  category?: { isWhitespace: boolean; isZeroWidthDiacritic: boolean; isInvisibleFormatMark: boolean };
}

/**
 * A font reduced to what text extraction needs: how shown bytes split into codes, each code's
 * text and width. Only fonts whose text pdf.js derives from the PDF's own data (ToUnicode, or a
 * named base encoding) are taken; anything that needs the font program is unsupported.
 */
export interface TextFont {
  /** pdf.js's font.name: the FontName, used to tell whether a font change splits a text item. */
  name: string;
  glyphs(bytes: string): Glyph[];
}

/** Two-byte codes number 65,536; a /W array naming more widths than this is hostile. */
const MAX_WIDTHS = 1 << 17;

const BASE_ENCODINGS: Record<string, readonly string[]> = {
  WinAnsiEncoding: WIN_ANSI_ENCODING,
  MacRomanEncoding: MAC_ROMAN_ENCODING,
};

export function loadFont(file: PdfFile, dict: PdfDict): TextFont {
  const subtype = nameOf(file.resolve(dict.get('Subtype')));
  if (subtype === 'Type0') return loadType0(file, dict);
  if (subtype === 'Type1' || subtype === 'TrueType' || subtype === 'MMType1') return loadSimple(file, dict);
  return unsupported(`a ${subtype ?? 'untyped'} font`);
}

function loadType0(file: PdfFile, dict: PdfDict): TextFont {
  if (nameOf(file.resolve(dict.get('Encoding'))) !== 'Identity-H')
    return unsupported('a CID font not in Identity-H');
  const descendants = file.resolve(dict.get('DescendantFonts'));
  const cidFont = file.resolve(Array.isArray(descendants) ? descendants[0] : descendants);
  if (!isDict(cidFont)) return unsupported('no descendant font');
  // A CID font that is not embedded (MS-Mincho and the like, common in Japanese PDFs) is drawn
  // with a system font by pdf.js, but its text still comes from ToUnicode for every mapped code.
  const { name, embedded } = fontName(file, cidFont);
  const toUnicode = toUnicodeOf(file, dict);
  if (!toUnicode) return unsupported('a CID font without ToUnicode');
  const widths = new Map<number, number>();
  const w = file.resolve(cidFont.get('W'));
  if (Array.isArray(w)) {
    for (let i = 0; i < w.length; i++) {
      let start = file.resolve(w[i++]);
      if (!Number.isInteger(start)) break;
      const next = file.resolve(w[i]);
      if (Array.isArray(next)) {
        for (const value of next) {
          const width = file.resolve(value);
          if (typeof width === 'number') widths.set(start as number, width);
          (start as number)++;
        }
      } else if (Number.isInteger(next)) {
        const width = file.resolve(w[++i]);
        if (typeof width !== 'number') continue;
        if ((next as number) - (start as number) > 0xffff || widths.size > MAX_WIDTHS) {
          return unsupported('a /W range too wide');
        }
        for (let code = start as number; code <= (next as number); code++) widths.set(code, width);
      } else {
        break;
      }
    }
  }
  const dw = file.resolve(cidFont.get('DW'));
  const defaultWidth = typeof dw === 'number' && dw !== 0 ? dw : 1000;
  const cache = new Map<number, Glyph>();
  return {
    name,
    glyphs(bytes) {
      if (bytes.length % 2 !== 0) unsupported('an odd byte count for a two-byte font');
      const out: Glyph[] = [];
      for (let i = 0; i < bytes.length; i += 2) {
        const code = (bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1);
        let glyph = cache.get(code);
        if (!glyph) {
          // pdf.js shows an unmapped code as the character with that number; for code 0 (.notdef,
          // what a subset font draws for a character it lacks) that is U+0000, which Kura's
          // normalisation drops. Other unmapped codes, and any in a font pdf.js replaces with a
          // system font (which may map them its own way), would be a guess: unsupported.
          const unicode = toUnicode.get(code) || (code === 0 && embedded ? '\u0000' : undefined);
          if (!unicode) return unsupported('a code ToUnicode does not map');
          glyph = { code, unicode, width: widths.get(code) ?? defaultWidth };
          cache.set(code, glyph);
        }
        out.push(glyph);
      }
      return out;
    },
  };
}

function loadSimple(file: PdfFile, dict: PdfDict): TextFont {
  const { name, embedded } = fontName(file, dict);
  // A simple font that is not embedded may be swapped for pdf.js's own standard font data, whose
  // encodings and metrics then take part: left to pdf.js.
  if (!embedded) return unsupported('a simple font that is not embedded');
  const descriptor = file.resolve(dict.get('FontDescriptor')) as PdfDict;
  const widthsValue = file.resolve(dict.get('Widths'));
  if (!Array.isArray(widthsValue)) return unsupported('a simple font without /Widths');
  const firstChar = file.resolve(dict.get('FirstChar')) ?? 0;
  if (!Number.isInteger(firstChar)) return unsupported('a bad /FirstChar');
  const widths: (number | undefined)[] = [];
  widthsValue.forEach((value, i) => {
    const width = file.resolve(value);
    if (typeof width === 'number') widths[(firstChar as number) + i] = width;
  });
  const missing = file.resolve(descriptor.get('MissingWidth'));
  const defaultWidth = typeof missing === 'number' && missing !== 0 ? missing : 0;
  const map = toUnicodeOf(file, dict) ?? encodingToUnicode(file, dict, name, descriptor);
  const glyphs: Glyph[] = [];
  for (let code = 0; code < 256; code++) {
    const unicode = map.get(code);
    if (unicode) glyphs[code] = { code, unicode, width: widths[code] ?? defaultWidth };
  }
  return {
    name,
    glyphs(bytes) {
      const out: Glyph[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const glyph = glyphs[bytes.charCodeAt(i)];
        if (!glyph) return unsupported('a code the font maps to no text');
        out.push(glyph);
      }
      return out;
    },
  };
}

/** pdf.js's font.name (the descriptor's FontName, which must agree with BaseFont here), and whether the program is embedded. */
function fontName(file: PdfFile, dict: PdfDict): { name: string; embedded: boolean } {
  const descriptor = file.resolve(dict.get('FontDescriptor'));
  if (!isDict(descriptor)) return unsupported('a font without a descriptor');
  const fontNameValue = nameOf(file.resolve(descriptor.get('FontName')));
  const baseFont = nameOf(file.resolve(dict.get('BaseFont')));
  if (!fontNameValue || fontNameValue !== baseFont) return unsupported('FontName and BaseFont disagree');
  const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some(
    (key) => file.resolve(descriptor.get(key)) instanceof PdfStream,
  );
  return { name: fontNameValue, embedded };
}

function toUnicodeOf(file: PdfFile, dict: PdfDict): Map<number, string> | undefined {
  const value: PdfObject | undefined = file.resolve(dict.get('ToUnicode'));
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof PdfStream)) return unsupported('a ToUnicode that is not a stream');
  const map = readToUnicode(file.streamData(value));
  return map.size > 0 ? map : undefined;
}

/**
 * A simple font without ToUnicode: its text comes from a named base encoding (+ Differences) and
 * the glyph names' Unicode values, as pdf.js's _simpleFontToUnicode derives it. Only the case
 * where pdf.js takes exactly that path is accepted (a WinAnsi or MacRoman base, known names).
 */
function encodingToUnicode(
  file: PdfFile,
  dict: PdfDict,
  name: string,
  descriptor: PdfDict,
): Map<number, string> {
  const encoding = file.resolve(dict.get('Encoding'));
  const baseName = isDict(encoding) ? nameOf(file.resolve(encoding.get('BaseEncoding'))) : nameOf(encoding);
  let base = baseName ? BASE_ENCODINGS[baseName] : undefined;
  if (!base) {
    // pdf.js then picks a default by font type and flags; the one case taken here is a
    // nonsymbolic TrueType font, which gets StandardEncoding and nothing from its font program.
    const flags = file.resolve(descriptor.get('Flags'));
    const nonsymbolic =
      Number.isInteger(flags) && ((flags as number) & 32) !== 0 && ((flags as number) & 4) === 0;
    if (nameOf(file.resolve(dict.get('Subtype'))) !== 'TrueType' || !nonsymbolic) {
      return unsupported('a simple font with neither ToUnicode nor a known base encoding');
    }
    base = STANDARD_ENCODING;
  }
  if (/Symbol|Dingbats|Wingdings/i.test(name)) return unsupported('a symbol font');
  const names = [...base];
  const differences = isDict(encoding) ? file.resolve(encoding.get('Differences')) : undefined;
  if (differences !== undefined) {
    if (!Array.isArray(differences)) return unsupported('bad /Differences');
    let code = 0;
    for (const entry of differences) {
      const value = file.resolve(entry);
      if (typeof value === 'number') code = value;
      else if (nameOf(value) === '.notdef')
        code++; // pdf.js keeps the base encoding's glyph
      else if (nameOf(value) !== undefined) names[code++] = nameOf(value) as string;
      else return unsupported('bad /Differences');
    }
  }
  const map = new Map<number, string>();
  for (let code = 0; code < 256; code++) {
    const glyphName = names[code];
    const unicode = glyphName ? GLYPH_UNICODE.get(glyphName) : undefined;
    // A name outside the tables (uniXXXX, gXX, cidXX…) has rules of its own in pdf.js: such a code
    // stays unmapped here, and showing it makes the page unsupported.
    if (unicode === undefined) continue;
    map.set(code, String.fromCharCode(unicode));
  }
  return map;
}
