import type { TextFont } from './fonts.js';
import { unsupported } from './unsupported.js';

export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** pdf.js's Util.transform, term for term, so that positions round exactly as there. */
export function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  const a1 = m1[0] as number, b1 = m1[1] as number, c1 = m1[2] as number; // prettier-ignore
  const d1 = m1[3] as number, e1 = m1[4] as number, f1 = m1[5] as number; // prettier-ignore
  const a2 = m2[0] as number, b2 = m2[1] as number, c2 = m2[2] as number; // prettier-ignore
  const d2 = m2[3] as number, e2 = m2[4] as number, f2 = m2[5] as number; // prettier-ignore
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

/** The graphics and text state text extraction follows (pdf.js's TextState). */
export class TextState {
  ctm: Matrix = [...IDENTITY];
  fontName: string | null = null;
  fontSize = 0;
  font: TextFont | null = null;
  textMatrix: Matrix = [...IDENTITY];
  textLineMatrix: Matrix = [...IDENTITY];
  charSpacing = 0;
  wordSpacing = 0;
  leading = 0;
  textHScale = 1;
  textRise = 0;

  translateTextMatrix(x: number, y: number): void {
    const m = this.textMatrix;
    m[4] = m[0] * x + m[2] * y + m[4];
    m[5] = m[1] * x + m[3] * y + m[5];
  }

  translateTextLineMatrix(x: number, y: number): void {
    const m = this.textLineMatrix;
    m[4] = m[0] * x + m[2] * y + m[4];
    m[5] = m[1] * x + m[3] * y + m[5];
  }

  carriageReturn(): void {
    this.translateTextLineMatrix(0, -this.leading);
    this.textMatrix = [...this.textLineMatrix];
  }

  clone(): TextState {
    const copy = Object.assign(new TextState(), this);
    copy.textMatrix = [...this.textMatrix];
    copy.textLineMatrix = [...this.textLineMatrix];
    return copy;
  }
}

/** q/Q: a stack of states; Q with nothing saved is ignored, as pdf.js ignores it. */
export class StateStack {
  private readonly saved: TextState[] = [];
  constructor(public state: TextState) {}

  save(): void {
    if (this.saved.length >= 1000) unsupported('q nested too deep');
    this.saved.push(this.state);
    this.state = this.state.clone();
  }

  restore(): void {
    const previous = this.saved.pop();
    if (previous) this.state = previous;
  }

  transform(matrix: Matrix): void {
    this.state.ctm = multiply(this.state.ctm, matrix);
  }
}
