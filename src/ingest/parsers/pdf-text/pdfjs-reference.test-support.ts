import { extractText, getDocumentProxy } from 'unpdf';
import { normalizeText } from '../text/normalize-text.js';
import { joinLines } from '../text/wide-line-breaks.js';
import { extractPdfText } from './extract-pdf-text.js';
import { UnsupportedPdf } from './unsupported.js';

/** Text with every line break between two wide characters removed (whether its line wrapped or not). */
export const joinedAll = (text: string) => joinLines(text.split('\n'), () => true);

/**
 * Each page normalised, every break between wide characters removed, trimmed: the text of two
 * readers compared without their extents.
 */
export const normalised = (pages: string[]) => pages.map((page) => joinedAll(normalizeText(page)).trim());

/** The reference: what pdf.js (through unpdf, as parsePdf calls it) extracts page by page. */
export async function pdfJsPages(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), {
    verbosity: 0,
    isEvalSupported: false,
    stopAtErrors: false,
  });
  try {
    return (await extractText(pdf, { mergePages: false })).text;
  } finally {
    await pdf.destroy();
  }
}

/** The fast path's pages, or 'unsupported' when it hands the file to pdf.js. Any other error fails the test. */
export function fastPages(bytes: Uint8Array): string[] | 'unsupported' {
  try {
    return extractPdfText(bytes).pages;
  } catch (error) {
    if (error instanceof UnsupportedPdf) return 'unsupported';
    throw error;
  }
}
