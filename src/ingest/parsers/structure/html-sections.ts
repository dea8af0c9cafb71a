import type { AnyNode, Element } from 'domhandler';
import type { ParsedSection } from '../parsed-document.js';
import { ParseError } from '../parse-error.js';
import { BlockText } from './block-text.js';
import { HeadingTrail } from './heading-trail.js';
import { removeWideSegmentBreaks } from '../text/wide-line-breaks.js';

/** Never text: code, styling, embedded objects, form controls. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'math',
  'canvas',
  'object',
  'embed',
  'head',
  'select',
  'button',
  'input',
  'textarea',
]);
const PARAGRAPH_BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'nav',
  'aside',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'table',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'fieldset',
  'form',
  'hr',
  'center',
  'caption',
]);
const LINE_BLOCKS = new Set(['li', 'tr', 'dt', 'dd', 'br', 'option', 'thead', 'tbody', 'tfoot', 'legend']);
const CELLS = new Set(['td', 'th']);
const HEADING = /^h([1-6])$/;
const CELL_SEPARATOR = ' | ';
/**
 * Real pages and Word's HTML nest a few dozen levels; browsers stop nesting at 512. Deeper is an
 * attack on the recursive walk (and on the HTML parsers, which slow down quadratically with depth).
 */
const MAX_DEPTH = 1000;

/**
 * Turns an HTML tree (a web page's main content, or the DOCX reader's paragraphs and tables) into sections:
 * one per heading, each anchored at its heading path and starting with the heading's own text, so
 * a search for "3.2 経費" finds the section it names.
 */
export function htmlToSections(nodes: AnyNode[]): ParsedSection[] {
  const collector = new SectionCollector();
  for (const node of nodes) collector.walk(node, { pre: false, inCell: false, depth: 0 });
  collector.flush();
  return collector.sections;
}

interface WalkState {
  pre: boolean;
  inCell: boolean;
  depth: number;
}

class SectionCollector {
  readonly sections: ParsedSection[] = [];
  private readonly trail = new HeadingTrail();
  private text = new BlockText();

  walk(node: AnyNode, state: WalkState): void {
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      this.text.append(state.pre ? data : collapseWhitespace(data));
      return;
    }
    if (node.type !== 'tag') return; // comments, directives, CDATA, <script>/<style> (their own node types)
    const element = node as Element;
    const name = element.name.toLowerCase();
    if (SKIPPED.has(name)) return;
    if (state.depth > MAX_DEPTH) throw tooDeep();

    const heading = HEADING.exec(name);
    if (heading && !state.inCell) {
      this.enterHeading(Number(heading[1]), element);
      return;
    }
    if (CELLS.has(name)) {
      if (precededByCell(element)) this.text.separator(CELL_SEPARATOR);
      this.walkChildren(element, { ...state, inCell: true });
      return;
    }
    const paragraph = PARAGRAPH_BLOCKS.has(name);
    const line = LINE_BLOCKS.has(name);
    if (state.inCell && (paragraph || line)) {
      // A cell is one value of one row: its inner paragraphs must not break the row into lines.
      this.text.softSpace();
      this.walkChildren(element, state);
      this.text.softSpace();
      return;
    }
    if (paragraph) this.text.paragraphBreak();
    else if (line) this.text.lineBreak();
    this.walkChildren(element, name === 'pre' ? { ...state, pre: true } : state);
    if (paragraph) this.text.paragraphBreak();
    else if (line && name !== 'br') this.text.lineBreak();
  }

  flush(): void {
    const text = this.text.toString();
    const heading = this.trail.path();
    if (text) this.sections.push({ text, anchor: heading ? { heading } : {} });
    this.text = new BlockText();
  }

  private enterHeading(level: number, element: Element): void {
    const title = collapseWhitespace(textContent(element)).trim();
    if (!title) return;
    this.flush();
    this.trail.enter(level, title);
    this.text.append(title);
    this.text.paragraphBreak();
  }

  private walkChildren(element: Element, state: WalkState): void {
    const inner = { ...state, depth: state.depth + 1 };
    for (const child of element.children) this.walk(child, inner);
  }
}

function precededByCell(element: Element): boolean {
  for (let sibling = element.prev; sibling; sibling = sibling.prev) {
    if (sibling.type === 'tag' && CELLS.has((sibling as Element).name.toLowerCase())) return true;
  }
  return false;
}

function textContent(node: AnyNode, depth = 0): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (node.type !== 'tag') return '';
  if (depth > MAX_DEPTH) throw tooDeep();
  const element = node as Element;
  const name = element.name.toLowerCase();
  if (SKIPPED.has(name)) return '';
  if (name === 'br') return ' ';
  return element.children.map((child) => textContent(child, depth + 1)).join('');
}

function tooDeep(): ParseError {
  return new ParseError(
    'corrupt_file',
    `The HTML nests elements more than ${MAX_DEPTH} levels deep; no real document does.`,
  );
}

function collapseWhitespace(text: string): string {
  // A line break between two wide characters renders as nothing ("東京\n都" is 東京都), any other as a space.
  return removeWideSegmentBreaks(text).replace(/[ \t\n\r\f]+/g, ' ');
}
