import { getDocumentProxy } from 'unpdf';
import { ParseError } from '../parse-error.js';
import { extractPdfText, type PdfText } from '../pdf-text/extract-pdf-text.js';
import { normalizeText } from '../text/normalize-text.js';
import { printedLines, type PrintedLine } from '../pdf-text/printed-lines.js';
import type { TextItem } from '../pdf-text/text-content.js';
import { wrappedLines } from '../pdf-text/wrapped-lines.js';
import { joinLines } from '../text/wide-line-breaks.js';
import type { FormatContext, FormatResult } from './format-result.js';

/**
 * PDF: one section per page, so every chunk can cite its page. Kura's own fast path reads the
 * text of ordinary PDFs (about a fifth of pdf.js's CPU time); anything it does not fully
 * understand — encryption, damage, exotic fonts, no text at all — goes to unpdf (pdf.js).
 */
export async function parsePdf(bytes: Buffer, context: FormatContext): Promise<FormatResult> {
  const fast = fastPath(bytes, context.signal);
  // A page's kept text is empty exactly when its extracted text is blank: joining drops only spaces.
  const texts = fast?.lines.map(keptLinesText) ?? [];
  if (fast && texts.some((text) => text !== '')) return toResult(texts, fast.pages.length, fast.info);
  return parseWithPdfJs(bytes, context);
}

function fastPath(bytes: Buffer, signal: AbortSignal): PdfText | undefined {
  try {
    return extractPdfText(bytes, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    // UnsupportedPdf by design; any other error is a fast-path bug, and pdf.js still gets its turn.
    return undefined;
  }
}

/**
 * A page's text as Kura keeps it, from either reader. Every printed line ends with a line break,
 * which inside Japanese text splits a word (wide-line-breaks.ts): the lines that wrap
 * (wrapped-lines.ts: those reaching their column's right edge) run on into the next; headings,
 * list items, table rows and a paragraph's last line keep their breaks.
 */
export function keptLinesText(lines: readonly PrintedLine[]): string {
  const wraps = wrappedLines(lines);
  return joinLines(
    lines.map((line) => normalizeText(line.text)),
    (index) => wraps[index]!,
  ).trim();
}

function toResult(texts: string[], pages: number, info: { title?: string; author?: string }): FormatResult {
  const sections = texts
    .map((text, index) => ({ text, anchor: { page: index + 1 } }))
    .filter((section) => section.text !== '');
  if (sections.length === 0) {
    throw new ParseError(
      'empty_file',
      `The PDF has ${pages} page(s) but no text layer (a scan?); Kura does not run OCR.`,
    );
  }
  const metadata: Record<string, string> = { pages: String(pages) };
  const author = info.author ? normalizeText(info.author).trim() : '';
  const title = info.title ? normalizeText(info.title).trim() : '';
  if (author) metadata.author = author;
  // Kept as metadata, not as the title: PDF titles are often generator junk ("Microsoft Word - 文書1").
  if (title) metadata.title = title;
  return { sections, metadata };
}

async function parseWithPdfJs(bytes: Buffer, context: FormatContext): Promise<FormatResult> {
  // pdf.js takes ownership of (detaches) the array it is given: hand it a copy, never the caller's.
  const data = new Uint8Array(bytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(data, { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (error) {
    throw toParseError(error);
  }
  try {
    const pages = await pdfJsPrintedLines(pdf, context.signal);
    return toResult(pages.map(keptLinesText), pages.length, await pdfInfo(pdf));
  } catch (error) {
    throw toParseError(error);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

type PdfJsDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/**
 * Each page's printed lines as pdf.js reads them: its text items joined as unpdf's extractText
 * joins them (the same text), each upright item's extent from its transform and width, as the
 * fast path measures its own.
 */
export async function pdfJsPrintedLines(pdf: PdfJsDocument, signal?: AbortSignal): Promise<PrintedLine[][]> {
  const pages: PrintedLine[][] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const { items } = await (await pdf.getPage(number)).getTextContent();
    signal?.throwIfAborted();
    const texts: TextItem[] = [];
    for (const item of items) {
      if (!('str' in item)) continue; // marked content, which getTextContent does not yield by default
      const [a, b, c, d, x, y] = item.transform as number[];
      const upright = a! > 0 && b === 0 && c === 0 && d! > 0;
      texts.push({
        str: item.str,
        hasEOL: item.hasEOL,
        ...(upright ? { extent: { left: x!, right: x! + item.width, baseline: y!, size: item.height } } : {}),
      });
    }
    pages.push(printedLines(texts));
  }
  return pages;
}

async function pdfInfo(pdf: PdfJsDocument): Promise<PdfText['info']> {
  try {
    const { info } = (await pdf.getMetadata()) as unknown as { info?: Record<string, unknown> };
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return { title: text(info?.Title), author: text(info?.Author) };
  } catch {
    return {}; // metadata is a nicety; a broken info dictionary must not fail a readable PDF
  }
}

function toParseError(error: unknown): unknown {
  if (error instanceof ParseError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new ParseError(
      'encrypted_file',
      'The PDF is password-protected; remove the password and upload it again.',
    );
  }
  if (name === 'AbortError') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ParseError(
    'corrupt_file',
    `The PDF could not be read (${reason.slice(0, 200)}); it may be damaged or truncated.`,
  );
}
