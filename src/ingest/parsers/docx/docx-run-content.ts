import type { DocxNumbering, DocxStyles } from './docx-styles.js';
import { symbolCharacter } from './docx-symbol.js';
import { attribute } from './xml-scan.js';

/** What was left out on purpose and is worth telling the uploader. */
export interface SkippedCounts {
  equations: number;
  symbols: number;
  objects: number;
}

export interface NoteReference {
  kind: 'footnote' | 'endnote';
  id: string;
}

/** Shared by the readers of one document: references are numbered [1], [2]… across all parts. */
export interface ReadContext {
  styles: DocxStyles;
  numbering: DocxNumbering;
  noteReferences: NoteReference[];
  skipped: SkippedCounts;
}

/** Never text: deleted revisions, field codes, ruby readings, properties. */
export const SKIPPED_ELEMENTS = new Set([
  'w:del',
  'w:moveFrom',
  'w:delText',
  'w:instrText',
  'w:delInstrText',
  'w:rt',
  'w:rubyPr',
  'w:rPr',
  'w:sectPr',
  'w:tblPr',
  'w:tblGrid',
  'w:tblPrEx',
  'w:fldData',
  'w:pPrChange',
  'w:sdtEndPr',
]);
export const EQUATION_ELEMENTS = new Set(['m:oMath', 'm:oMathPara']);

/**
 * The text of a run's element other than w:t: a tab, the hyphens Word stores as elements, a symbol
 * font character, a note reference ("[1]", numbered in reading order as mammoth did). Undefined
 * when the element is none of these.
 */
export function runContent(name: string, attributes: string, context: ReadContext): string | undefined {
  switch (name) {
    case 'w:tab':
      return '\t';
    case 'w:noBreakHyphen':
      return '\u2011';
    case 'w:softHyphen':
      return '\u00ad';
    case 'w:sym': {
      const character = symbolCharacter(attribute(attributes, 'w:font'), attribute(attributes, 'w:char'));
      if (character === undefined) context.skipped.symbols++;
      return character ?? '';
    }
    case 'w:footnoteReference':
    case 'w:endnoteReference': {
      const kind = name === 'w:footnoteReference' ? 'footnote' : 'endnote';
      context.noteReferences.push({ kind, id: attribute(attributes, 'w:id') ?? '' });
      return `[${context.noteReferences.length}]`;
    }
    default:
      return undefined;
  }
}
