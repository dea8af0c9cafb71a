import { Element, Text, type ChildNode } from 'domhandler';
import type { DocxNumbering, DocxStyles, ListLevel } from './docx-styles.js';

/**
 * A paragraph or table as the body reader leaves it, before the paragraphs of a list are grouped.
 * `visible` is what decides whether the paragraph exists at all: Word's empty paragraphs vanish,
 * so they neither separate two list items nor add a break.
 */
export type Block =
  | { kind: 'paragraph'; tag: string; list?: ListLevel; inline: ChildNode[]; visible: boolean }
  | { kind: 'table'; node: Element };

export interface ParagraphProperties {
  styleId?: string;
  numId?: string;
  level?: string;
  outlineLevel?: number;
}

/**
 * Heading styles as Japanese Word names them, beside the English ones and the document title:
 * all become headings (h1–h6), which become the sections' anchors.
 */
const JAPANESE_HEADING = /^見出し ([1-6])$/;
const ENGLISH_HEADING = /^heading ([1-6])$/i;
const HEADING_ID = /^Heading([1-6])$/;
/** Paragraph styles that stay paragraphs even when numbered (notes' and comments' text). */
const PLAIN_STYLES = new Set(['footnote text', 'endnote text', 'annotation text', 'footnote', 'endnote']);
/** Lists nest this deep at most; deeper numbered paragraphs are plain paragraphs. */
const MAX_LIST_LEVEL = 4;
/** w:outlineLvl 9 means "body text"; 0–8 are heading levels, and HTML has six. */
const BODY_TEXT_OUTLINE = 9;

/**
 * Which element a paragraph becomes: a heading by its style's name or id (English and Japanese
 * names, the Title style, case-insensitive as Word matches them), then by outline level (direct,
 * or inherited through w:basedOn), else a list item when numbered, else a paragraph.
 */
export function paragraphKind(
  properties: ParagraphProperties,
  styles: DocxStyles,
  numbering: DocxNumbering,
): { tag: string; list?: ListLevel } {
  const { styleId } = properties;
  const style = styleId === undefined ? undefined : styles.paragraph.get(styleId);
  const name = style?.name?.toLowerCase();
  if (name !== undefined) {
    const japanese = JAPANESE_HEADING.exec(name);
    if (japanese) return { tag: `h${japanese[1]}` };
    if (name === 'title' || name === '表題') return { tag: 'h1' };
  }
  const byId = styleId === undefined ? null : HEADING_ID.exec(styleId);
  if (byId) return { tag: `h${byId[1]}` };
  const english = name === undefined ? null : ENGLISH_HEADING.exec(name);
  if (english) return { tag: `h${english[1]}` };
  if (styleId === 'Heading' || name === 'heading') return { tag: 'h1' };
  if (name !== undefined && PLAIN_STYLES.has(name)) return { tag: 'p' };
  const outline = properties.outlineLevel ?? inheritedOutlineLevel(styleId, styles);
  if (outline !== undefined && outline >= 0 && outline < BODY_TEXT_OUTLINE) {
    return { tag: `h${Math.min(outline + 1, 6)}` };
  }
  const list = listLevel(properties, numbering);
  if (list && list.level >= 0 && list.level <= MAX_LIST_LEVEL) return { tag: 'li', list };
  return { tag: 'p' };
}

function inheritedOutlineLevel(styleId: string | undefined, styles: DocxStyles): number | undefined {
  const seen = new Set<string>();
  for (let id = styleId; id !== undefined && !seen.has(id);) {
    seen.add(id);
    const style = styles.paragraph.get(id);
    if (style?.outlineLevel !== undefined) return style.outlineLevel;
    id = style?.basedOn;
  }
  return undefined;
}

/** The paragraph's own w:numPr, else a numbering level tied to its style, else level 0 of its w:numId. */
function listLevel(properties: ParagraphProperties, numbering: DocxNumbering): ListLevel | undefined {
  const { numId, level, styleId } = properties;
  if (numId !== undefined && level !== undefined) return numbering.find(numId, level);
  const byStyle = styleId === undefined ? undefined : numbering.byParagraphStyle(styleId);
  if (byStyle) return byStyle;
  return numId === undefined ? undefined : numbering.find(numId, '0');
}

interface OpenList {
  list: Element;
  item: Element;
}

/**
 * Blocks → the element tree the section walker reads. Consecutive list items share their lists:
 * an item at level n reuses the open lists above it and the open list at n when of the same kind
 * (ul/ol), so items of one list are lines of one block while a change of level or kind is a
 * paragraph break — the structure mammoth's HTML had.
 */
export function assembleBlocks(blocks: Block[]): ChildNode[] {
  const out: ChildNode[] = [];
  let open: OpenList[] = [];
  for (const block of blocks) {
    if (block.kind === 'table') {
      out.push(block.node);
      open = [];
      continue;
    }
    if (!block.visible) continue;
    const element = new Element(block.tag, {}, block.inline);
    if (!block.list) {
      out.push(element);
      open = [];
      continue;
    }
    const { level, ordered } = block.list;
    const tag = ordered ? 'ol' : 'ul';
    const next: OpenList[] = [];
    for (let depth = 0; depth <= level; depth++) {
      const current = open[depth];
      const reusable = current && (depth < level || current.list.name === tag);
      if (reusable && depth < level) {
        next.push(current);
        continue;
      }
      const list = reusable ? current.list : new Element(depth < level ? 'ul' : tag, {}, []);
      if (!reusable) (depth === 0 ? out : (next[depth - 1]?.item.children ?? out)).push(list);
      const item = depth === level ? element : new Element('li', {}, []);
      list.children.push(item);
      next.push({ list, item });
    }
    open = next;
  }
  return out;
}

export function element(name: string, children: ChildNode[]): Element {
  return new Element(name, {}, children);
}

export function text(data: string): Text {
  return new Text(data);
}

/** The walker reads siblings (a cell looks back for the cell before it): set the links it expects. */
export function link(nodes: ChildNode[], parent: Element | null): void {
  let previous: ChildNode | null = null;
  for (const node of nodes) {
    node.parent = parent;
    node.prev = previous;
    node.next = null;
    if (previous) previous.next = node;
    previous = node;
    if (node instanceof Element) link(node.children, node);
  }
}
