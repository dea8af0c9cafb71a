import type { ChildNode } from 'domhandler';
import { element, paragraphKind, text, type Block, type ParagraphProperties } from './docx-blocks.js';
import { integer } from './docx-styles.js';
import { EQUATION_ELEMENTS, runContent, SKIPPED_ELEMENTS, type ReadContext } from './docx-run-content.js';
import { TableStack } from './docx-tables.js';
import { normalizeInlineText } from '../text/normalize-text.js';
import { attribute, type XmlVisitor } from './xml-scan.js';

interface ParagraphDraft {
  properties: ParagraphProperties;
  deletedMark: boolean;
  inline: ChildNode[];
  pending: string;
  visible: boolean;
  extras: Block[];
}

interface Container {
  blocks: Block[];
  /** Paragraphs open when the container opened: deeper ones belong to it. */
  base: number;
  /** Runs found outside any paragraph (malformed, but their text is kept). */
  loose?: ParagraphDraft;
}

/**
 * Reads WordprocessingML (document.xml's body, or the notes of footnotes.xml/endnotes.xml) in one
 * pass of XML events into blocks: paragraphs with their inline text and tables with their cells.
 * Deleted text (w:del) is left out and inserted text (w:ins) kept, as the document reads now; a
 * deleted paragraph mark joins the paragraph to the next one. Text boxes follow the paragraph that
 * holds them, read once: of an mc:AlternateContent only the first choice is read (its fallback
 * repeats the same text for older readers). Images count as content but carry no text.
 */
export class BodyReader implements XmlVisitor {
  /** document.xml: the body; notes parts: each note's blocks by id. */
  readonly body: Container = { blocks: [], base: 0 };
  readonly notes = new Map<string, Block[]>();
  /** False after the scan when the part has no w:body (or names it with a prefix other than w:). */
  sawBody = false;

  private readonly path: string[] = [];
  private skipFrom = -1;
  private propertiesFrom = -1;
  private readonly containers: Container[] = [];
  private readonly paragraphs: ParagraphDraft[] = [];
  private readonly tables = new TableStack();
  private readonly alternates: boolean[] = [];
  private readonly checkboxes: { pending: boolean }[] = [];
  private noteId: string | undefined;
  private collected: string | undefined;
  private carried: ParagraphDraft | undefined;

  constructor(
    private readonly context: ReadContext,
    private readonly notesOf?: 'footnote' | 'endnote',
  ) {}

  open(name: string, attributes: string): void {
    const depth = this.path.length;
    const parent = this.path.at(-1);
    this.path.push(name);
    if (this.skipFrom >= 0) return;
    if (this.propertiesFrom >= 0) {
      this.paragraphProperty(name, attributes, depth - this.propertiesFrom, parent);
      return;
    }
    if (SKIPPED_ELEMENTS.has(name) && !(name === 'w:del' && parent === 'w:trPr')) {
      this.skipFrom = depth;
      return;
    }
    switch (name) {
      case 'w:t':
        this.collected = '';
        return;
      case 'w:r':
      case 'w:hyperlink':
      case 'w:ins':
      case 'w:moveTo':
        return;
      case 'w:p':
        this.openParagraph();
        return;
      case 'w:pPr':
        if (parent === 'w:p') this.propertiesFrom = depth;
        else this.skipFrom = depth;
        return;
      case 'w:br':
      case 'w:cr': {
        const type = attribute(attributes, 'w:type');
        if (type === undefined || type === 'textWrapping') this.appendNode(element('br', []));
        return;
      }
      case 'w:bookmarkStart':
        this.bookmark(attribute(attributes, 'w:name'), parent);
        return;
      case 'w:body':
        this.sawBody = true;
        if (!this.notesOf) this.containers.push(this.body);
        return;
      case 'w:footnote':
      case 'w:endnote':
        this.openNote(name, attributes, depth);
        return;
      case 'w:tbl':
        this.tables.openTable();
        return;
      case 'w:tr':
        this.tables.openRow();
        return;
      case 'w:tc':
        this.tables.openCell();
        this.containers.push({ blocks: [], base: this.paragraphs.length });
        return;
      case 'w:txbxContent':
        this.containers.push({ blocks: [], base: this.paragraphs.length });
        return;
      case 'mc:AlternateContent':
        this.alternates.push(false);
        return;
      case 'mc:Choice':
      case 'mc:Fallback':
        if (this.alternates.at(-1) === true) this.skipFrom = depth;
        else if (this.alternates.length > 0) this.alternates[this.alternates.length - 1] = true;
        return;
      case 'w:sdt':
        this.checkboxes.push({ pending: false });
        return;
      default: {
        const content = runContent(name, attributes, this.context);
        if (content === undefined) this.other(name, attributes, depth, parent);
        else this.appendText(content);
      }
    }
  }

  close(name: string): void {
    const depth = this.path.length - 1;
    this.path.pop();
    if (this.skipFrom >= 0) {
      if (depth === this.skipFrom) this.skipFrom = -1;
      return;
    }
    if (this.propertiesFrom >= 0) {
      if (depth === this.propertiesFrom) this.propertiesFrom = -1;
      return;
    }
    switch (name) {
      case 'w:t':
        this.closeText();
        return;
      case 'w:p':
        this.closeParagraph();
        return;
      case 'w:body':
        if (!this.notesOf) this.closeContainer();
        return;
      case 'w:footnote':
      case 'w:endnote':
        if (this.noteId !== undefined && this.notesOf) {
          this.notes.set(this.noteId, this.closeContainer());
          this.noteId = undefined;
        }
        return;
      case 'w:tc':
        this.closeCell();
        return;
      case 'w:tr':
        this.tables.closeRow();
        return;
      case 'w:tbl':
        this.closeTable();
        return;
      case 'w:txbxContent':
        this.closeTextBox();
        return;
      case 'mc:AlternateContent':
        this.alternates.pop();
        return;
      case 'w:sdt':
        this.checkboxes.pop();
        return;
    }
  }

  text(data: string): void {
    if (this.collected !== undefined && this.skipFrom < 0) this.collected += data;
  }

  private other(name: string, attributes: string, depth: number, parent: string | undefined): void {
    if (EQUATION_ELEMENTS.has(name)) {
      this.context.skipped.equations++;
      this.skipFrom = depth;
    } else if (name === 'w:del' && parent === 'w:trPr') {
      if (this.path.at(-3) === 'w:tr') this.tables.deleteRow();
    } else if (parent === 'w:tcPr' && this.path.at(-3) === 'w:tc') {
      this.tables.cellProperty(name, attributes);
    } else if (name === 'w14:checkbox' && parent === 'w:sdtPr') {
      const checkbox = this.checkboxes.at(-1);
      if (checkbox) checkbox.pending = true;
    } else if (name === 'a:blip' && parent === 'pic:blipFill') {
      if (attribute(attributes, 'r:embed') !== undefined || attribute(attributes, 'r:link') !== undefined)
        this.markVisible();
    } else if (name === 'v:imagedata') {
      if (attribute(attributes, 'r:id') !== undefined) this.markVisible();
    } else if (name === 'o:OLEObject') {
      this.context.skipped.objects++;
    }
  }

  private paragraphProperty(name: string, attributes: string, level: number, parent: string | undefined) {
    const paragraph = this.paragraphs.at(-1);
    if (!paragraph) return;
    const properties = paragraph.properties;
    if (level === 1) {
      if (name === 'w:pStyle') properties.styleId = attribute(attributes, 'w:val');
      else if (name === 'w:outlineLvl') properties.outlineLevel = integer(attribute(attributes, 'w:val'));
    } else if (level === 2 && parent === 'w:numPr') {
      if (name === 'w:ilvl') properties.level = attribute(attributes, 'w:val');
      else if (name === 'w:numId') properties.numId = attribute(attributes, 'w:val');
    } else if (level === 2 && parent === 'w:rPr' && name === 'w:del') {
      paragraph.deletedMark = true;
    }
  }

  private openParagraph(): void {
    const carried = this.carried;
    this.carried = undefined;
    this.paragraphs.push({
      properties: {},
      deletedMark: false,
      // Taken over, not copied: a run of many deleted marks must stay linear.
      inline: carried?.inline ?? [],
      pending: carried?.pending ?? '',
      visible: carried?.visible ?? false,
      extras: carried?.extras ?? [],
    });
  }

  private closeParagraph(): void {
    const paragraph = this.paragraphs.pop();
    if (!paragraph) return;
    if (paragraph.deletedMark) {
      // Its mark was deleted: what it held joins the next paragraph (ECMA-376 17.13.5.15).
      this.carried = paragraph;
      return;
    }
    this.addBlock(this.finishParagraph(paragraph));
    for (const extra of paragraph.extras) this.addBlock(extra);
  }

  private finishParagraph(paragraph: ParagraphDraft): Block {
    flushPending(paragraph);
    const { tag, list } = paragraphKind(paragraph.properties, this.context.styles, this.context.numbering);
    return {
      kind: 'paragraph',
      tag,
      ...(list ? { list } : {}),
      inline: paragraph.inline,
      visible: paragraph.visible,
    };
  }

  private closeText(): void {
    const data = this.collected ?? '';
    this.collected = undefined;
    const checkbox = this.checkboxes.at(-1);
    if (checkbox?.pending && data.length > 0) {
      // A content-control checkbox: its ☐/☒ glyph is a control, not text.
      checkbox.pending = false;
      this.markVisible();
      return;
    }
    this.appendText(data);
  }

  private currentParagraph(): ParagraphDraft | undefined {
    const container = this.containers.at(-1);
    if (!container) return undefined;
    if (this.paragraphs.length > container.base) return this.paragraphs.at(-1);
    container.loose ??= {
      properties: {},
      deletedMark: false,
      inline: [],
      pending: '',
      visible: false,
      extras: [],
    };
    return container.loose;
  }

  private appendText(data: string): void {
    if (data.length === 0) return;
    const paragraph = this.currentParagraph();
    if (!paragraph) return;
    paragraph.pending += data;
    paragraph.visible = true;
  }

  private appendNode(node: ChildNode): void {
    const paragraph = this.currentParagraph();
    if (!paragraph) return;
    flushPending(paragraph);
    paragraph.inline.push(node);
    paragraph.visible = true;
  }

  private markVisible(): void {
    const paragraph = this.currentParagraph();
    if (paragraph) paragraph.visible = true;
  }

  private bookmark(name: string | undefined, parent: string | undefined): void {
    if (name === '_GoBack') return; // Word's "last edit" marker
    if (parent === 'w:tbl' || parent === 'w:tr') {
      this.tables.interrupt();
      return;
    }
    const container = this.containers.at(-1);
    if (container && this.paragraphs.length <= container.base && !container.loose) {
      // Between paragraphs a bookmark is an empty anchor: it still ends a list.
      this.addBlock({ kind: 'paragraph', tag: 'a', inline: [], visible: true });
    } else this.markVisible();
  }

  private openNote(name: string, attributes: string, depth: number): void {
    const type = attribute(attributes, 'w:type');
    if (this.notesOf !== name.slice(2) || type === 'separator' || type === 'continuationSeparator') {
      this.skipFrom = depth;
      return;
    }
    this.noteId = attribute(attributes, 'w:id') ?? '';
    this.containers.push({ blocks: [], base: this.paragraphs.length });
  }

  private closeCell(): void {
    const blocks = this.closeContainer();
    if (!this.tables.closeCell(blocks)) for (const block of blocks) this.addBlock(block);
  }

  private closeTable(): void {
    const node = this.tables.closeTable();
    if (node) this.addBlock({ kind: 'table', node });
  }

  private closeTextBox(): void {
    const blocks = this.closeContainer();
    const container = this.containers.at(-1);
    const holder = container && this.paragraphs.length > container.base ? this.paragraphs.at(-1) : undefined;
    if (holder) holder.extras.push(...blocks);
    else for (const block of blocks) this.addBlock(block);
  }

  private closeContainer(): Block[] {
    const container = this.containers.pop();
    if (!container) return [];
    this.flushLoose(container);
    return container.blocks;
  }

  private addBlock(block: Block): void {
    const container = this.containers.at(-1);
    if (!container) return;
    this.flushLoose(container);
    container.blocks.push(block);
  }

  /** Runs found outside any paragraph become a paragraph of their own before the next block. */
  private flushLoose(container: Container): void {
    const loose = container.loose;
    if (!loose) return;
    container.loose = undefined;
    container.blocks.push(this.finishParagraph(loose));
  }
}

function flushPending(paragraph: ParagraphDraft): void {
  if (paragraph.pending.length === 0) return;
  paragraph.inline.push(text(normalizeInlineText(paragraph.pending)));
  paragraph.pending = '';
}
