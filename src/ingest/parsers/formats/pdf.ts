import { extractText, getDocumentProxy } from 'unpdf';
import { ParseError } from '../parse-error.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatContext, FormatResult } from './format-result.js';

/** PDF via unpdf (pdf.js): one section per page, so every chunk can cite its page. */
export async function parsePdf(bytes: Buffer, context: FormatContext): Promise<FormatResult> {
  // pdf.js takes ownership of (detaches) the array it is given: hand it a copy, never the caller's.
  const data = new Uint8Array(bytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(data, { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (error) {
    throw toParseError(error);
  }
  try {
    const { text: pages } = await extractText(pdf, { mergePages: false });
    context.signal.throwIfAborted();
    const sections = pages
      .map((text, index) => ({ text: normalizeText(text).trim(), anchor: { page: index + 1 } }))
      .filter((section) => section.text !== '');
    const metadata: Record<string, string> = { pages: String(pdf.numPages) };
    const info = await pdfInfo(pdf);
    if (info.author) metadata.author = info.author;
    // Kept as metadata, not as the title: PDF titles are often generator junk ("Microsoft Word - 文書1").
    if (info.title) metadata.title = info.title;
    if (sections.length === 0) {
      throw new ParseError(
        'empty_file',
        `The PDF has ${pdf.numPages} page(s) but no text layer (a scan?); Kura does not run OCR.`,
      );
    }
    return { sections, metadata };
  } catch (error) {
    throw toParseError(error);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

async function pdfInfo(
  pdf: Awaited<ReturnType<typeof getDocumentProxy>>,
): Promise<{ title?: string; author?: string }> {
  try {
    const { info } = (await pdf.getMetadata()) as unknown as { info?: Record<string, unknown> };
    const text = (value: unknown) =>
      typeof value === 'string' ? normalizeText(value).trim() || undefined : undefined;
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
