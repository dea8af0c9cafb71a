import type { ParsedSection } from '../parsed-document.js';
import { HeadingTrail } from '../structure/heading-trail.js';
import { officeNodeText } from '../structure/office-ast-text.js';
import type { DecodedText } from '../text/decode-text.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatContext, FormatResult } from './format-result.js';
import { joinMarkdownSoftBreaks } from './markdown-soft-breaks.js';

const FRONT_MATTER = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/;

/**
 * Markdown via officeparser's Markdown AST: sections per heading (anchor.heading is the heading
 * path), text without markup (links keep their words, emphasis loses its asterisks). YAML front
 * matter is metadata, not content; its `title:` becomes the title. A soft line break between two
 * Japanese characters joins them, as a browser shows it (markdown-soft-breaks.ts).
 */
export async function parseMarkdown(decoded: DecodedText, context: FormatContext): Promise<FormatResult> {
  let source = normalizeText(decoded.text);
  let title: string | undefined;
  const front = FRONT_MATTER.exec(source);
  if (front) {
    title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[1] ?? '')?.[1];
    source = source.slice(front[0].length);
  }
  source = joinMarkdownSoftBreaks(source);
  // officeparser (≈0.1 s to load) loads with the first Markdown file, not with every command.
  const { OfficeParser } = await import('officeparser');
  const ast = await OfficeParser.parseOffice(Buffer.from(source, 'utf8'), {
    fileType: 'md',
    abortSignal: context.signal,
  });
  const sections: ParsedSection[] = [];
  const trail = new HeadingTrail();
  let blocks: string[] = [];
  let previousType = '';
  const flush = () => {
    const text = blocks.join('').trim();
    const heading = trail.path();
    if (text) sections.push({ text, anchor: heading ? { heading } : {} });
    blocks = [];
  };
  for (const node of ast.content) {
    const text = officeNodeText(node).trim();
    if (node.type === 'heading') {
      const level = (node.metadata as { level?: unknown } | undefined)?.level;
      flush();
      trail.enter(typeof level === 'number' ? level : 1, text);
      if (text) blocks.push(text);
      previousType = 'heading';
      continue;
    }
    if (!text) continue;
    // Items of one list stay on consecutive lines; other blocks are paragraphs.
    const separator =
      blocks.length === 0 ? '' : node.type === 'list' && previousType === 'list' ? '\n' : '\n\n';
    blocks.push(separator + text);
    previousType = node.type;
  }
  flush();
  return { sections, ...(title ? { title } : {}) };
}
