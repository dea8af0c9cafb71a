import type { Glyph } from './fonts.js';
import { multiply, type Matrix, type TextState } from './text-state.js';
import { unsupported } from './unsupported.js';

/** One item of a page's text content, as pdf.js's getTextContent yields it (str, hasEOL). */
export interface TextItem {
  str: string;
  hasEOL: boolean;
  /**
   * Where the item's glyphs start and end across the page (device space) and their size, for
   * upright text only (no rotation, no mirroring): how far a line reaches (wrapped-lines.ts).
   */
  extent?: ItemExtent;
}

export interface ItemExtent {
  left: number;
  right: number;
  /** Where the glyphs stand: y of the item's origin (upward, as PDF measures). */
  baseline: number;
  size: number;
}

// pdf.js's factors (src/core/evaluator.js, getTextContent), relative to the font size.
const TRACKING_SPACE_FACTOR = 0.102;
const NOT_A_SPACE_FACTOR = 0.03;
const NEGATIVE_SPACE_FACTOR = -0.2;
const SPACE_IN_FLOW_MIN_FACTOR = 0.102;
const SPACE_IN_FLOW_MAX_FACTOR = 0.6;
const VERTICAL_SHIFT_RATIO = 0.25;

const SPECIAL_CHAR = /^(\s)|(\p{Mn})|(\p{Cf})$/u;
const NORMALIZE =
  /([\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f\u2126\ufb00-\ufb04\ufb06\ufb20-\ufb36\ufb38-\ufb3c\ufb3e\ufb40\ufb41\ufb43\ufb44\ufb46-\ufba1\ufba4-\ufba9\ufbae-\ufbb1\ufbd3-\ufbdc\ufbde-\ufbe7\ufbea-\ufbf8\ufbfc\ufbfd\ufc00-\ufc5d\ufc64-\ufcf1\ufcf5-\ufd3d\ufd88\ufdf4\ufdfa\ufdfb\ufe71\ufe77\ufe79\ufe7b\ufe7d]+)|(\ufb05+)/gu;
/** Right-to-left scripts: pdf.js reorders them (bidi); the fast path leaves such pages to it. */
const RTL = /[\u0590-\u08ac]/;

interface Category {
  isWhitespace: boolean;
  isZeroWidthDiacritic: boolean;
  isInvisibleFormatMark: boolean;
}
const categories = new Map<string, Category>();
function categoryOf(unicode: string): Category {
  let category = categories.get(unicode);
  if (!category) {
    const groups = SPECIAL_CHAR.exec(unicode);
    category = {
      isWhitespace: !!groups?.[1],
      isZeroWidthDiacritic: !!groups?.[2],
      isInvisibleFormatMark: !!groups?.[3],
    };
    if (categories.size < 65_536) categories.set(unicode, category);
  }
  return category;
}

/**
 * pdf.js's text-content assembly, ported for horizontal fonts: glyphs become items, and the gaps
 * between them become spaces, new items or line ends by the same rules and the same arithmetic,
 * so that the page's text (items joined, "\n" after each hasEOL) is the text pdf.js extracts.
 */
export class TextContentBuilder {
  private initialized = false;
  private str: string[] = [];
  private totalWidth = 0;
  private width = 0;
  private height = 0;
  private prevTransform: Matrix | null = null;
  private prevTextRise = 0;
  private textAdvanceScale = 0;
  private spaceInFlowMin = 0;
  private spaceInFlowMax = 0;
  private trackingSpaceMin = Infinity;
  private negativeSpaceMax = -Infinity;
  private notASpace = -Infinity;
  private hasEOL = false;
  /** The item's start and size when its text is upright, else undefined. */
  private start: { left: number; baseline: number; size: number } | undefined;
  private readonly twoLastChars = [' ', ' '];
  private twoLastCharsPos = 0;
  private current: TextState | null = null;

  constructor(
    readonly items: TextItem[],
    private readonly viewBox: readonly number[],
  ) {}

  /** Called before each operator with the state it runs in (pdf.js's currentTextState ||= clone). */
  begin(state: TextState): void {
    this.current ??= state.clone();
  }

  /** Tj, TJ pieces, ' and ": `glyphs` null for a TJ number with no text before it. */
  show(state: TextState, glyphs: Glyph[] | null, extraSpacing: number): void {
    const current = this.current as TextState;
    if (
      current.fontSize !== state.fontSize ||
      (current.fontName !== state.fontName && current.font?.name !== state.font?.name)
    ) {
      this.flush();
      this.current = state.clone();
    }
    const baseCharSpacing = state.charSpacing;
    if (!glyphs || glyphs.length === 0) {
      const charSpacing = baseCharSpacing + extraSpacing;
      if (charSpacing) state.translateTextMatrix(charSpacing * state.textHScale, 0);
      return;
    }
    const scale = 0.001 * state.fontSize;
    for (let i = 0, ii = glyphs.length; i < ii; i++) {
      const glyph = glyphs[i] as Glyph;
      const category = (glyph.category ??= categoryOf(glyph.unicode));
      if (category.isInvisibleFormatMark) continue;
      let charSpacing = baseCharSpacing + (i + 1 === ii ? extraSpacing : 0);
      let scaledDim = glyph.width * scale;
      if (glyph.code === 0x20) charSpacing += state.wordSpacing;
      if (category.isWhitespace) {
        charSpacing += scaledDim;
        state.translateTextMatrix(charSpacing * state.textHScale, 0);
        this.saveLastChar(' ');
        continue;
      }
      if (!category.isZeroWidthDiacritic && !this.compareWithLastPosition(state, scaledDim)) {
        state.translateTextMatrix(scaledDim * state.textHScale, 0);
        continue;
      }
      this.ensureItem(state);
      if (category.isZeroWidthDiacritic) scaledDim = 0;
      scaledDim *= state.textHScale;
      state.translateTextMatrix(scaledDim, 0);
      this.width += scaledDim;
      if (scaledDim) {
        this.prevTransform = textTransform(state);
        this.prevTextRise = state.textRise;
      }
      if (this.saveLastChar(glyph.unicode)) this.str.push(' ');
      this.str.push(glyph.unicode);
      if (charSpacing) state.translateTextMatrix(charSpacing * state.textHScale, 0);
    }
  }

  /** Tm: a new line matrix may change how advances scale. */
  updateAdvanceScale(state: TextState): void {
    if (!this.initialized) return;
    const scaleFactor =
      Math.hypot(state.textLineMatrix[0], state.textLineMatrix[1]) * Math.hypot(state.ctm[0], state.ctm[1]);
    if (scaleFactor === this.textAdvanceScale) return;
    this.totalWidth += this.width * this.textAdvanceScale;
    this.width = 0;
    this.textAdvanceScale = scaleFactor;
  }

  flush(): void {
    if (!this.initialized) return;
    this.totalWidth += this.width * this.textAdvanceScale;
    let text = this.str.join('');
    text = text.replace(NORMALIZE, (_, p1: string | undefined, p2: string | undefined) => {
      if (p1) return p1.normalize('NFKC');
      // pdf.js maps only a single U+FB05 (its table lookup of a longer run yields "undefined").
      return p2 === '\ufb05' ? '\u017ft' : unsupported('a run of U+FB05');
    });
    if (RTL.test(text)) unsupported('right-to-left text');
    const { start } = this;
    this.items.push(
      start
        ? {
            str: text,
            hasEOL: this.hasEOL,
            extent: { ...start, right: start.left + this.totalWidth },
          }
        : { str: text, hasEOL: this.hasEOL },
    );
    this.initialized = false;
    this.str = [];
  }

  private saveLastChar(char: string): boolean {
    const nextPos = (this.twoLastCharsPos + 1) % 2;
    const ret = this.twoLastChars[this.twoLastCharsPos] !== ' ' && this.twoLastChars[nextPos] === ' ';
    this.twoLastChars[this.twoLastCharsPos] = char;
    this.twoLastCharsPos = nextPos;
    return ret;
  }

  private shouldAddWhitespace(): boolean {
    return (
      this.twoLastChars[this.twoLastCharsPos] !== ' ' &&
      this.twoLastChars[(this.twoLastCharsPos + 1) % 2] === ' '
    );
  }

  private resetLastChars(): void {
    this.twoLastChars[0] = this.twoLastChars[1] = ' ';
    this.twoLastCharsPos = 0;
  }

  private pushWhitespace(): void {
    this.items.push({ str: ' ', hasEOL: false });
  }

  private ensureItem(state: TextState): void {
    if (this.initialized) return;
    const trm = textTransform(state);
    this.width = this.totalWidth = 0;
    this.height = Math.hypot(trm[2], trm[3]);
    const upright = trm[0] > 0 && trm[1] === 0 && trm[2] === 0 && trm[3] > 0;
    this.start = upright ? { left: trm[4], baseline: trm[5], size: this.height } : undefined;
    this.textAdvanceScale =
      Math.hypot(state.ctm[0], state.ctm[1]) * Math.hypot(state.textLineMatrix[0], state.textLineMatrix[1]);
    const { fontSize } = state;
    this.trackingSpaceMin = fontSize * TRACKING_SPACE_FACTOR;
    this.notASpace = fontSize * NOT_A_SPACE_FACTOR;
    this.negativeSpaceMax = fontSize * NEGATIVE_SPACE_FACTOR;
    this.spaceInFlowMin = fontSize * SPACE_IN_FLOW_MIN_FACTOR;
    this.spaceInFlowMax = fontSize * SPACE_IN_FLOW_MAX_FACTOR;
    this.hasEOL = false;
    this.initialized = true;
  }

  private appendEOL(): void {
    this.resetLastChars();
    if (this.initialized) {
      this.hasEOL = true;
      this.flush();
    } else {
      this.items.push({ str: '', hasEOL: true });
    }
  }

  private addFakeSpaces(width: number, textOrientation: number): boolean {
    if (textOrientation * this.spaceInFlowMin <= width && width <= textOrientation * this.spaceInFlowMax) {
      if (this.initialized) {
        this.resetLastChars();
        this.str.push(' ');
      }
      return false;
    }
    this.flush();
    this.resetLastChars();
    this.pushWhitespace();
    return true;
  }

  private compareWithLastPosition(state: TextState, glyphWidth: number): boolean {
    const currentTransform = textTransform(state);
    let posX = currentTransform[4];
    let posY = currentTransform[5];
    const [x0, y0, x1, y1] = this.viewBox as [number, number, number, number];
    if (posX + glyphWidth < x0 || posX > x1 || posY < y0 || posY > y1) return false;
    if (!state.font || !this.prevTransform) return true;
    let lastPosX = this.prevTransform[4];
    let lastPosY = this.prevTransform[5];
    if (lastPosX === posX && lastPosY === posY) return true;
    let rotate = -1;
    if (currentTransform[0] && currentTransform[1] === 0 && currentTransform[2] === 0) {
      rotate = currentTransform[0] > 0 ? 0 : 180;
    } else if (currentTransform[1] && currentTransform[0] === 0 && currentTransform[3] === 0) {
      rotate = currentTransform[1] > 0 ? 90 : 270;
    }
    switch (rotate) {
      case 0:
        break;
      case 90:
        [posX, posY] = [posY, posX];
        [lastPosX, lastPosY] = [lastPosY, lastPosX];
        break;
      case 180:
        [posX, posY, lastPosX, lastPosY] = [-posX, -posY, -lastPosX, -lastPosY];
        break;
      case 270:
        [posX, posY] = [-posY, -posX];
        [lastPosX, lastPosY] = [-lastPosY, -lastPosX];
        break;
      default:
        [posX, posY] = inverseRotation(posX, posY, currentTransform);
        [lastPosX, lastPosY] = inverseRotation(lastPosX, lastPosY, this.prevTransform);
    }
    const advanceX = (posX - lastPosX) / this.textAdvanceScale;
    const advanceY = posY - lastPosY;
    const textOrientation = Math.sign(this.width || this.totalWidth);
    if (advanceX < textOrientation * this.negativeSpaceMax) {
      if (Math.abs(advanceY) > 0.5 * this.height) {
        this.appendEOL();
        return true;
      }
      this.resetLastChars();
      this.flush();
      return true;
    }
    const textRiseDelta = state.textRise - this.prevTextRise;
    const advanceYCorrected =
      textRiseDelta === 0 ? advanceY : advanceY - (currentTransform[3] / state.fontSize) * textRiseDelta;
    if (Math.abs(advanceYCorrected) > this.height) {
      this.appendEOL();
      return true;
    }
    if (advanceX <= textOrientation * this.notASpace) this.resetLastChars();
    if (advanceX <= textOrientation * this.trackingSpaceMin) {
      if (this.shouldAddWhitespace()) {
        this.resetLastChars();
        this.flush();
        this.pushWhitespace();
      } else {
        this.width += advanceX;
      }
    } else if (!this.addFakeSpaces(advanceX, textOrientation)) {
      if (this.str.length === 0) {
        this.resetLastChars();
        this.pushWhitespace();
      } else {
        this.width += advanceX;
      }
    }
    if (Math.abs(advanceY) > this.height * VERTICAL_SHIFT_RATIO) this.flush();
    return true;
  }
}

/** The text rendering matrix's origin and axes (pdf.js's getCurrentTextTransform). */
export function textTransform(state: TextState): Matrix {
  const tsm = [state.fontSize * state.textHScale, 0, 0, state.fontSize, 0, state.textRise];
  return multiply(state.ctm, multiply(state.textMatrix, tsm));
}

function inverseRotation(x: number, y: number, matrix: Matrix): [number, number] {
  const scale = Math.hypot(matrix[0], matrix[1]);
  return [(matrix[0] * x + matrix[1] * y) / scale, (matrix[2] * x + matrix[3] * y) / scale];
}
