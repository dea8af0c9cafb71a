import { checkDeclaredSizes, checkInflatedSizes } from './container/zip-guard.js';
import { detectFormat, type DetectedFormat } from './detect/detect-format.js';
import { safeFileName } from './file-name.js';
import { parseCsv } from './formats/csv.js';
import { parseDocx } from './formats/docx.js';
import type { FormatContext, FormatResult } from './formats/format-result.js';
import { parseHtml } from './formats/html.js';
import { parseMarkdown } from './formats/markdown.js';
import { parsePdf } from './formats/pdf.js';
import { parseText } from './formats/text.js';
import type { ParsedDocument } from './parsed-document.js';
import { ParseError } from './parse-error.js';
import { resolveParseLimits, type ParseLimits, type ResolvedParseLimits } from './parse-limits.js';
import { detectLanguage } from './text/detect-language.js';
import { withTimeout } from './with-timeout.js';

export interface ParseHint {
  /** The name the file came with; only its cleaned last segment is used, and never as a path. */
  fileName?: string;
}

const MIME_TYPES: Record<DetectedFormat['kind'], string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  eml: 'message/rfc822',
  html: 'text/html',
  markdown: 'text/markdown',
  csv: 'text/csv',
  text: 'text/plain',
};

const FORMAT_NAMES: Record<DetectedFormat['kind'], string> = {
  pdf: 'PDF',
  docx: 'Word',
  xlsx: 'Excel',
  pptx: 'PowerPoint',
  eml: 'e-mail',
  html: 'HTML',
  markdown: 'Markdown',
  csv: 'CSV',
  text: 'text',
};

/**
 * Turns one file's bytes into text sections with anchors, tables and attachments. Pure: no I/O,
 * no database. Every failure is a ParseError with a stable code; anything else thrown by a library
 * on hostile input is reported as `corrupt_file`.
 */
export async function parseDocument(
  bytes: Buffer,
  hint: ParseHint = {},
  limits?: ParseLimits,
): Promise<ParsedDocument> {
  const resolved = resolveParseLimits(limits);
  return withTimeout(resolved.timeoutMs, (signal) => parseAtDepth(bytes, hint, resolved, signal, 0));
}

async function parseAtDepth(
  input: Buffer,
  hint: ParseHint,
  limits: ResolvedParseLimits,
  signal: AbortSignal,
  depth: number,
): Promise<ParsedDocument> {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  if (bytes.length > limits.maxBytes) {
    throw new ParseError(
      'too_large',
      `The file is ${bytes.length} bytes, over the limit of ${limits.maxBytes} bytes.`,
    );
  }
  if (bytes.length === 0) throw new ParseError('empty_file', 'The file is empty (0 bytes).');
  const name = safeFileName(hint.fileName);
  const format = detectFormat(bytes, name?.extension ?? '');
  const context: FormatContext = { limits, signal, depth };
  let result: FormatResult;
  try {
    result = await runParser(format, bytes, context, name?.stem ?? 'table', (nested, fileName) =>
      parseAtDepth(nested, { fileName }, limits, signal, depth + 1),
    );
  } catch (error) {
    throw asParseError(error, format.kind, signal);
  }
  signal.throwIfAborted();

  const sections = result.sections.filter((section) => section.text.trim() !== '');
  const tables = result.tables ?? [];
  const attachments = result.attachments ?? [];
  if (sections.length === 0 && tables.length === 0 && attachments.length === 0) {
    throw new ParseError('empty_file', `The ${FORMAT_NAMES[format.kind]} file contains no text.`);
  }
  const metadata: Record<string, string> = { format: format.kind };
  const warnings: string[] = [];
  if ('decoded' in format) {
    metadata.encoding = format.decoded.encoding;
    if (format.decoded.replacements > 0) {
      warnings.push(
        `${format.decoded.replacements} invalid byte sequence(s) in this ${format.decoded.encoding} file were replaced with U+FFFD; the rest of the text is intact.`,
      );
    }
  }
  Object.assign(metadata, result.metadata);
  warnings.push(...(result.warnings ?? []));
  const language = detectLanguage(sections.map((section) => section.text));
  return {
    title: chooseTitle(result, name?.stem, sections),
    mimeType: MIME_TYPES[format.kind],
    sections,
    tables,
    attachments,
    metadata,
    ...(language ? { language } : {}),
    warnings,
  };
}

/**
 * The parser of the file's format. Workbooks, slides and e-mail load their libraries on their
 * first file (exceljs, officeparser, mailparser: ≈0.6 s of a thread's start-up, measured by
 * importing each format alone), so a preparation thread or a CLI run that never meets one never
 * pays for them.
 */
async function runParser(
  format: DetectedFormat,
  bytes: Buffer,
  context: FormatContext,
  tableName: string,
  parseNested: (bytes: Buffer, fileName: string | undefined) => Promise<ParsedDocument>,
): Promise<FormatResult> {
  switch (format.kind) {
    case 'pdf':
      return parsePdf(bytes, context);
    case 'docx':
    case 'xlsx':
    case 'pptx':
      // The archive is checked before any OOXML library sees it: declared sizes, then real ones.
      checkDeclaredSizes(format.entries, bytes.length, context.limits);
      await checkInflatedSizes(bytes, format.entries, context.limits);
      context.signal.throwIfAborted();
      if (format.kind === 'docx') return parseDocx(bytes, context);
      if (format.kind === 'xlsx') return (await import('./formats/xlsx.js')).parseXlsx(bytes, context);
      return (await import('./formats/pptx.js')).parsePptx(bytes, context);
    case 'eml':
      return (await import('./formats/eml.js')).parseEml(bytes, context, parseNested);
    case 'html':
      return parseHtml(format.decoded.text);
    case 'markdown':
      return parseMarkdown(format.decoded, context);
    case 'csv':
      return parseCsv(format.decoded, format.delimiter ?? ',', tableName);
    case 'text':
      return parseText(format.decoded);
  }
}

/** The document's own title, else its file name, else what it says first. */
function chooseTitle(
  result: FormatResult,
  fileStem: string | undefined,
  sections: ParsedDocument['sections'],
): string {
  const firstHeading = sections.find((section) => section.anchor.heading)?.anchor.heading?.split(' > ')[0];
  const firstLine = sections[0]?.text.split('\n').find((line) => line.trim() !== '');
  const candidates = [result.title, fileStem, result.metadata?.title, firstHeading, firstLine];
  const title = candidates
    .map((candidate) => candidate?.replace(/\s+/g, ' ').trim())
    .find((candidate) => candidate);
  return title ? truncate(title, 200) : 'Untitled';
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function asParseError(error: unknown, kind: DetectedFormat['kind'], signal: AbortSignal): ParseError {
  if (error instanceof ParseError) return error;
  if (signal.aborted && signal.reason instanceof ParseError) return signal.reason;
  const reason = error instanceof Error ? error.message : String(error);
  const firstLine = reason.split('\n')[0]?.slice(0, 200) ?? '';
  return new ParseError(
    'corrupt_file',
    `The ${FORMAT_NAMES[kind]} file could not be read; it may be damaged or not really ${FORMAT_NAMES[kind]}${firstLine ? ` (${firstLine})` : ''}.`,
  );
}
