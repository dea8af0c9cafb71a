import { attribute, scanXml } from './xml-scan.js';

export interface ParagraphStyle {
  name?: string;
  basedOn?: string;
  /** w:outlineLvl of the style itself (0 = the outermost heading level, 9 = body text). */
  outlineLevel?: number;
}

/** What word/styles.xml says about paragraph styles, and which list a numbering style stands for. */
export interface DocxStyles {
  paragraph: Map<string, ParagraphStyle>;
  /** Numbering style id → the w:numId it carries (what a w:numStyleLink points at). */
  numberingNumIds: Map<string, string>;
}

export interface ListLevel {
  ordered: boolean;
  /** 0-based, as w:ilvl writes it. */
  level: number;
}

/** word/numbering.xml, reduced to what decides a paragraph's list level and kind. */
export interface DocxNumbering {
  find(numId: string, level: string): ListLevel | undefined;
  /** A level that names a paragraph style (w:lvl/w:pStyle): paragraphs in that style are in the list. */
  byParagraphStyle(styleId: string): ListLevel | undefined;
}

/**
 * Reads styles.xml. As in Word (and mammoth), the first definition of a style id wins; only
 * direct children of w:style and its w:pPr count, so a revision's old properties are ignored.
 */
export function readStyles(xml: string | undefined): DocxStyles {
  const styles: DocxStyles = { paragraph: new Map(), numberingNumIds: new Map() };
  if (xml === undefined) return styles;
  const path: string[] = [];
  let current: { type?: string; id?: string; style: ParagraphStyle; numId?: string } | undefined;
  scanXml(
    xml,
    {
      open(name, attributes) {
        const parent = path.at(-1);
        path.push(name);
        if (name === 'w:style') {
          current = {
            type: attribute(attributes, 'w:type'),
            id: attribute(attributes, 'w:styleId'),
            style: {},
          };
        } else if (current && parent === 'w:style') {
          if (name === 'w:name') current.style.name = attribute(attributes, 'w:val');
          else if (name === 'w:basedOn') current.style.basedOn = attribute(attributes, 'w:val');
        } else if (current && parent === 'w:pPr' && path.at(-3) === 'w:style') {
          if (name === 'w:outlineLvl') current.style.outlineLevel = integer(attribute(attributes, 'w:val'));
        } else if (current && name === 'w:numId' && path.at(-3) === 'w:pPr' && path.at(-4) === 'w:style') {
          current.numId = attribute(attributes, 'w:val');
        }
      },
      close(name) {
        path.pop();
        if (name !== 'w:style' || !current) return;
        const { type, id } = current;
        if (id !== undefined) {
          if (type === 'paragraph' && !styles.paragraph.has(id)) styles.paragraph.set(id, current.style);
          if (type === 'numbering' && !styles.numberingNumIds.has(id) && current.numId !== undefined)
            styles.numberingNumIds.set(id, current.numId);
        }
        current = undefined;
      },
      text() {},
    },
    'styles',
  );
  return styles;
}

interface AbstractNum {
  levels: Map<string, ListLevel & { styleId?: string }>;
  numStyleLink?: string;
}

/** Reads numbering.xml the way mammoth does (w:num → w:abstractNum → w:lvl, following w:numStyleLink). */
export function readNumbering(xml: string | undefined, styles: DocxStyles): DocxNumbering {
  const abstracts = new Map<string, AbstractNum>();
  const nums = new Map<string, string>();
  if (xml !== undefined) scanNumbering(xml, abstracts, nums);
  const byStyle = new Map<string, ListLevel>();
  for (const abstract of abstracts.values()) {
    for (const level of abstract.levels.values()) {
      if (level.styleId !== undefined)
        byStyle.set(level.styleId, { ordered: level.ordered, level: level.level });
    }
  }
  const find = (numId: string, level: string, seen: Set<string>): ListLevel | undefined => {
    if (seen.has(numId)) return undefined;
    seen.add(numId);
    const abstractId = nums.get(numId);
    const abstract = abstractId === undefined ? undefined : abstracts.get(abstractId);
    if (!abstract) return undefined;
    if (abstract.numStyleLink === undefined) return abstract.levels.get(level);
    const linked = styles.numberingNumIds.get(abstract.numStyleLink);
    return linked === undefined ? undefined : find(linked, level, seen);
  };
  return {
    find: (numId, level) => find(numId, level, new Set()),
    byParagraphStyle: (styleId) => byStyle.get(styleId),
  };
}

function scanNumbering(xml: string, abstracts: Map<string, AbstractNum>, nums: Map<string, string>): void {
  const path: string[] = [];
  let abstract: AbstractNum | undefined;
  let level: { index?: string; ordered: boolean; styleId?: string } | undefined;
  let unindexed: ListLevel & { styleId?: string } = { ordered: true, level: 0 };
  let hasUnindexed = false;
  let numId: string | undefined;
  scanXml(
    xml,
    {
      open(name, attributes) {
        const parent = path.at(-1);
        path.push(name);
        if (name === 'w:abstractNum') {
          abstract = { levels: new Map() };
          hasUnindexed = false;
          abstracts.set(attribute(attributes, 'w:abstractNumId') ?? '', abstract);
        } else if (abstract && name === 'w:lvl') {
          level = { index: attribute(attributes, 'w:ilvl'), ordered: true };
        } else if (level && parent === 'w:lvl') {
          if (name === 'w:numFmt') level.ordered = attribute(attributes, 'w:val') !== 'bullet';
          else if (name === 'w:pStyle') level.styleId = attribute(attributes, 'w:val');
        } else if (abstract && parent === 'w:abstractNum' && name === 'w:numStyleLink') {
          abstract.numStyleLink = attribute(attributes, 'w:val');
        } else if (name === 'w:num') {
          numId = attribute(attributes, 'w:numId');
        } else if (numId !== undefined && parent === 'w:num' && name === 'w:abstractNumId') {
          nums.set(numId, attribute(attributes, 'w:val') ?? '');
        }
      },
      close(name) {
        path.pop();
        if (name === 'w:lvl' && abstract && level) {
          const entry = { ordered: level.ordered, level: integer(level.index) ?? 0, styleId: level.styleId };
          if (level.index === undefined) {
            unindexed = entry;
            hasUnindexed = true;
          } else abstract.levels.set(level.index, entry);
          level = undefined;
        } else if (name === 'w:abstractNum' && abstract) {
          // Malformed files define a level without w:ilvl and refer to it as level 0.
          if (hasUnindexed && !abstract.levels.has('0')) abstract.levels.set('0', unindexed);
          abstract = undefined;
        } else if (name === 'w:num') numId = undefined;
      },
      text() {},
    },
    'numbering',
  );
}

export function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
