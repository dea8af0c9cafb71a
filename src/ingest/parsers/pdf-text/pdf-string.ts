/** PDFDocEncoding's differences from Latin-1 (pdf.js's PDFStringTranslateTable), code → Unicode. */
const PDF_DOC_ENCODING: Record<number, number> = {
  0x18: 0x2d8, 0x19: 0x2c7, 0x1a: 0x2c6, 0x1b: 0x2d9, 0x1c: 0x2dd, 0x1d: 0x2db, 0x1e: 0x2da, 0x1f: 0x2dc,
  0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026, 0x84: 0x2014, 0x85: 0x2013, 0x86: 0x192,
  0x87: 0x2044, 0x88: 0x2039, 0x89: 0x203a, 0x8a: 0x2212, 0x8b: 0x2030, 0x8c: 0x201e, 0x8d: 0x201c,
  0x8e: 0x201d, 0x8f: 0x2018, 0x90: 0x2019, 0x91: 0x201a, 0x92: 0x2122, 0x93: 0xfb01, 0x94: 0xfb02,
  0x95: 0x141, 0x96: 0x152, 0x97: 0x160, 0x98: 0x178, 0x99: 0x17d, 0x9a: 0x131, 0x9b: 0x142,
  0x9c: 0x153, 0x9d: 0x161, 0x9e: 0x17e, 0xa0: 0x20ac,
}; // prettier-ignore

/**
 * A PDF text string (an Info entry) as pdf.js's stringToPDFString decodes it: UTF-16 or UTF-8
 * with a byte-order mark, else PDFDocEncoding; language escape sequences (ESC…ESC) dropped.
 */
export function pdfTextString(bytes: string): string {
  let encoding: 'utf-16be' | 'utf-16le' | 'utf-8' | undefined;
  let body = bytes;
  if (bytes.startsWith('\xfe\xff')) encoding = 'utf-16be';
  else if (bytes.startsWith('\xff\xfe')) encoding = 'utf-16le';
  else if (bytes.startsWith('\xef\xbb\xbf')) encoding = 'utf-8';
  if (encoding) {
    if (encoding !== 'utf-8' && body.length % 2 === 1) body = body.slice(0, -1);
    try {
      const decoded = new TextDecoder(encoding, { fatal: true }).decode(Buffer.from(body, 'latin1'));
      return decoded.includes('\x1b') ? decoded.replace(/\x1b[^\x1b]*(?:\x1b|$)/g, '') : decoded; // eslint-disable-line no-control-regex -- the escape is the point
    } catch {
      // not valid in that encoding: read as PDFDocEncoding below, as pdf.js does
    }
  }
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const code = bytes.charCodeAt(i);
    if (code === 0x1b) {
      while (++i < bytes.length && bytes.charCodeAt(i) !== 0x1b) {
        // skip the escape sequence
      }
      continue;
    }
    const mapped = PDF_DOC_ENCODING[code];
    text += mapped ? String.fromCharCode(mapped) : bytes.charAt(i);
  }
  return text;
}
