import mammoth from 'mammoth';
import { htmlToSections } from '../structure/html-sections.js';
import { loadHtml } from '../structure/load-html.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatContext, FormatResult } from './format-result.js';

/**
 * Heading styles as Japanese Word names them, beside mammoth's built-in English ones, and the
 * document title style: both become headings, which become anchors.
 */
const STYLE_MAP = [
  ...[1, 2, 3, 4, 5, 6].map((level) => `p[style-name='見出し ${level}'] => h${level}:fresh`),
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='表題'] => h1:fresh",
];

/** DOCX via mammoth → HTML → sections per heading (anchor.heading is the heading path). */
export async function parseDocx(bytes: Buffer, context: FormatContext): Promise<FormatResult> {
  const result = await mammoth.convertToHtml(
    { buffer: bytes },
    {
      styleMap: STYLE_MAP,
      // Never follow links to files outside the document (a DOCX can point at any path or URL).
      externalFileAccess: false,
      // Images carry no text; skipping them avoids base64-encoding every picture into the HTML.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
    },
  );
  context.signal.throwIfAborted();
  const $ = loadHtml(normalizeText(result.value));
  const sections = htmlToSections($.root().children().toArray());
  const warnings = result.messages
    .filter((message) => message.type === 'error')
    .slice(0, 5)
    .map((message) => `DOCX: ${message.message}`);
  return { sections, warnings };
}
