import { isEncryptedOoxml, isOleContainer } from '../container/ole-container.js';
import { readZipDirectory, type ZipEntry } from '../container/zip-directory.js';
import { ParseError } from '../parse-error.js';
import { decodeText, type DecodedText } from '../text/decode-text.js';
import { looksBinary } from '../text/looks-binary.js';
import { knownBinaryType } from './binary-signatures.js';
import { looksLikeEmail } from './looks-like-email.js';
import { looksLikeHtml } from './looks-like-html.js';
import { looksLikeMarkdown } from './looks-like-markdown.js';

export type TextFormat = 'html' | 'markdown' | 'csv' | 'text';

export type DetectedFormat =
  | { kind: 'pdf' }
  | { kind: 'docx' | 'xlsx' | 'pptx'; entries: ZipEntry[] }
  | { kind: 'eml' }
  | { kind: TextFormat; decoded: DecodedText; delimiter?: string };

/** The PDF header may follow a little junk (some generators prepend bytes); readers look this far. */
const PDF_HEADER_WINDOW = 1024;

/**
 * What the bytes are, decided from content: magic numbers, then the ZIP's part names, then the
 * shape of the text. The extension only breaks ties the content cannot (Markdown vs plain text, CSV).
 */
export function detectFormat(bytes: Buffer, extension: string): DetectedFormat {
  if (hasPdfHeader(bytes)) return { kind: 'pdf' };
  if (isZip(bytes)) return classifyZip(readZipDirectory(bytes));
  if (isOleContainer(bytes)) {
    if (isEncryptedOoxml(bytes)) {
      throw new ParseError(
        'encrypted_file',
        'The Office document is password-protected; remove the password and upload it again.',
      );
    }
    throw new ParseError(
      'unsupported_type',
      'Unsupported file type: a legacy Microsoft Office binary file (.doc/.xls/.ppt or other OLE2 document); save it as .docx/.xlsx/.pptx.',
    );
  }
  const binary = knownBinaryType(bytes);
  if (binary) throw new ParseError('unsupported_type', `Unsupported file type: ${binary}.`);
  if (looksLikeEmail(bytes, extension)) return { kind: 'eml' };

  const decoded = decodeText(bytes);
  if (looksBinary(decoded.text, decoded.replacements)) {
    throw new ParseError(
      'unsupported_type',
      'Unsupported file type: binary data of an unknown kind (not text in any supported encoding).',
    );
  }
  if (looksLikeHtml(decoded.text, extension)) return { kind: 'html', decoded };
  if (extension === 'csv') return { kind: 'csv', decoded, delimiter: ',' };
  if (extension === 'tsv' || extension === 'tab') return { kind: 'csv', decoded, delimiter: '\t' };
  if (extension === 'md' || extension === 'markdown') return { kind: 'markdown', decoded };
  if (extension !== 'txt' && looksLikeMarkdown(decoded.text)) return { kind: 'markdown', decoded };
  return { kind: 'text', decoded };
}

/**
 * At the start, or after a binary prefix (control bytes, as in MacBinary or mail-gateway wrappers):
 * a text file that merely mentions "%PDF-" stays text.
 */
function hasPdfHeader(bytes: Buffer): boolean {
  const at = bytes.subarray(0, PDF_HEADER_WINDOW).indexOf('%PDF-');
  if (at === -1) return false;
  return at === 0 || bytes.subarray(0, at).some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20));
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** OOXML packages name their main part by convention ([Content_Types].xml points there too). */
function classifyZip(entries: ZipEntry[]): DetectedFormat {
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has('word/document.xml')) return { kind: 'docx', entries };
  if (names.has('xl/workbook.xml')) return { kind: 'xlsx', entries };
  if (names.has('ppt/presentation.xml')) return { kind: 'pptx', entries };
  if (names.has('mimetype') && names.has('META-INF/manifest.xml')) {
    throw new ParseError(
      'unsupported_type',
      'Unsupported file type: an OpenDocument or EPUB file; save it as .docx/.xlsx/.pptx or PDF.',
    );
  }
  throw new ParseError(
    'unsupported_type',
    'Unsupported file type: a ZIP archive that is not a Word, Excel or PowerPoint file.',
  );
}
