import { loadFont, type TextFont } from './fonts.js';
import { Keyword, PdfLexer } from './lexer.js';
import { isDict, nameOf, PdfName, PdfStream, PdfString, type PdfDict, type PdfObject } from './objects.js';
import type { PdfFile } from './pdf-file.js';
import { printedLines, type PrintedLine } from './printed-lines.js';
import { TextContentBuilder, type TextItem } from './text-content.js';
import { IDENTITY, StateStack, TextState, type Matrix } from './text-state.js';
import { unsupported } from './unsupported.js';

/** Operand counts of the operators pdf.js knows (its EvaluatorPreprocessor.opMap). */
const ARITY: Record<string, number> = {
  w: 1, J: 1, j: 1, M: 1, d: 2, ri: 1, i: 1, gs: 1, q: 0, Q: 0, cm: 6, m: 2, l: 2, c: 6, v: 4, y: 4,
  h: 0, re: 4, S: 0, s: 0, f: 0, F: 0, 'f*': 0, B: 0, 'B*': 0, b: 0, 'b*': 0, n: 0, W: 0, 'W*': 0,
  BT: 0, ET: 0, Tc: 1, Tw: 1, Tz: 1, TL: 1, Tf: 2, Tr: 1, Ts: 1, Td: 2, TD: 2, Tm: 6, 'T*': 0,
  Tj: 1, TJ: 1, "'": 1, '"': 3, d0: 2, d1: 6, CS: 1, cs: 1, G: 1, g: 1, RG: 3, rg: 3, K: 4, k: 4,
  sh: 1, Do: 1, MP: 1, DP: 2, BMC: 1, BDC: 2, EMC: 0, BX: 0, EX: 0,
}; // prettier-ignore
/** Colour operators take a variable operand count (up to this many). */
const VARIABLE_ARITY: Record<string, number> = { SC: 4, SCN: 33, sc: 4, scn: 33 };

/** Bounds per document: operators run, Form XObjects nested. */
export interface ContentBudget {
  operators: number;
}
const MAX_OPERATORS = 5_000_000;
const MAX_FORM_DEPTH = 12;

interface Scope {
  file: PdfFile;
  resources: PdfDict;
  /** Fonts by resource name in this resource dictionary. */
  fonts: Map<string, TextFont>;
  /** Fonts by font dictionary, for the whole document (pages share their fonts). */
  loaded: WeakMap<PdfDict, TextFont>;
  view: readonly number[];
  items: TextItem[];
  budget: ContentBudget;
  forms: PdfStream[];
}

/**
 * One page: its text the way unpdf's extractText joins it, and its printed lines (the items up to
 * each line end) with how far each reaches.
 */
export interface PageText {
  text: string;
  lines: PrintedLine[];
}

/** Runs one page's content (its streams joined). */
export function pageText(
  file: PdfFile,
  content: PdfStream[],
  resources: PdfDict,
  view: readonly number[],
  budget: ContentBudget,
  loaded: WeakMap<PdfDict, TextFont>,
): PageText {
  const parts = content.map((stream) => file.streamData(stream));
  const data = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  const items: TextItem[] = [];
  const scope: Scope = { file, resources, fonts: new Map(), loaded, view, items, budget, forms: [] };
  run(scope, data, new StateStack(new TextState()));
  const lines = printedLines(items);
  return { text: lines.map((line) => line.text).join('\n'), lines };
}

function run(scope: Scope, data: Uint8Array, stack: StateStack): void {
  const builder = new TextContentBuilder(scope.items, scope.view);
  const lexer = new PdfLexer(data);
  const args: PdfObject[] = [];
  for (;;) {
    const token = lexer.next(false);
    if (token === undefined) break;
    if (!(token instanceof Keyword)) {
      if (token === null || typeof token === 'symbol') unsupported('an operand pdf.js would drop');
      args.push(token);
      if (args.length > 33) unsupported('too many operands');
      continue;
    }
    const op = token.word;
    const arity = ARITY[op];
    if (
      arity === undefined
        ? !(op in VARIABLE_ARITY) || args.length > (VARIABLE_ARITY[op] as number)
        : args.length !== arity
    ) {
      unsupported(op === 'BI' ? 'an inline image' : `the operator ${op} with ${args.length} operands`);
    }
    if (++scope.budget.operators > MAX_OPERATORS) unsupported('too many operators');
    if (op === 'q') stack.save();
    else if (op === 'Q') stack.restore();
    else if (op === 'cm') stack.transform(numbers(args) as Matrix);
    const state = stack.state;
    builder.begin(state);
    apply(scope, op, args, state, builder);
    args.length = 0;
  }
  builder.flush();
}

function apply(
  scope: Scope,
  op: string,
  args: PdfObject[],
  state: TextState,
  builder: TextContentBuilder,
): void {
  switch (op) {
    case 'Tf': {
      const [name, size] = args;
      if (!(name instanceof PdfName) || typeof size !== 'number') return unsupported('a bad Tf');
      if (state.font && name.name === state.fontName && size === state.fontSize) return;
      state.fontName = name.name;
      state.fontSize = size;
      state.font = fontFor(scope, name.name);
      return;
    }
    case 'Ts':
      state.textRise = number(args[0]);
      return;
    case 'Tz':
      state.textHScale = number(args[0]) / 100;
      return;
    case 'TL':
      state.leading = number(args[0]);
      return;
    case 'Td':
    case 'TD': {
      const [x, y] = numbers(args);
      if (op === 'TD') state.leading = -(y as number);
      state.translateTextLineMatrix(x as number, y as number);
      state.textMatrix = [...state.textLineMatrix];
      return;
    }
    case 'T*':
      state.carriageReturn();
      return;
    case 'Tm': {
      const matrix = numbers(args) as Matrix;
      state.textMatrix = [...matrix];
      state.textLineMatrix = [...matrix];
      builder.updateAdvanceScale(state);
      return;
    }
    case 'Tc':
      state.charSpacing = number(args[0]);
      return;
    case 'Tw':
      state.wordSpacing = number(args[0]);
      return;
    case 'BT':
      state.textMatrix = [...IDENTITY];
      state.textLineMatrix = [...IDENTITY];
      return;
    case 'TJ':
      return showSpaced(args[0], state, builder);
    case 'Tj':
      return builder.show(state, glyphs(state, args[0]), 0);
    case "'":
      state.carriageReturn();
      return builder.show(state, glyphs(state, args[0]), 0);
    case '"':
      state.wordSpacing = number(args[0]);
      state.charSpacing = number(args[1]);
      state.carriageReturn();
      return builder.show(state, glyphs(state, args[2]), 0);
    case 'Do':
      builder.flush();
      return paintXObject(scope, args[0], state);
    case 'gs':
      return checkGState(scope, args[0]);
    case 'BMC':
    case 'BDC':
    case 'EMC':
      builder.flush();
      return;
  }
}

function showSpaced(array: PdfObject | undefined, state: TextState, builder: TextContentBuilder): void {
  if (!Array.isArray(array)) return unsupported('TJ without an array');
  const font = state.font ?? unsupported('text shown before any Tf');
  const spaceFactor = (-1 * state.fontSize) / 1000;
  let buffer = '';
  for (const item of array) {
    if (item instanceof PdfString) {
      buffer += item.bytes;
    } else if (typeof item === 'number') {
      if (item === 0) continue;
      builder.show(state, buffer ? font.glyphs(buffer) : null, item * spaceFactor);
      buffer = '';
    } else {
      unsupported('a TJ element that is neither text nor a number');
    }
  }
  if (buffer) builder.show(state, font.glyphs(buffer), 0);
}

function glyphs(state: TextState, value: PdfObject | undefined) {
  if (!(value instanceof PdfString)) return unsupported('text that is not a string');
  const font = state.font ?? unsupported('text shown before any Tf');
  return value.bytes ? font.glyphs(value.bytes) : null;
}

function fontFor(scope: Scope, name: string): TextFont {
  let font = scope.fonts.get(name);
  if (!font) {
    const fonts = scope.file.resolve(scope.resources.get('Font'));
    const dict = isDict(fonts) ? scope.file.resolve(fonts.get(name)) : undefined;
    if (!isDict(dict)) return unsupported(`the font ${name} is missing`);
    font = scope.loaded.get(dict) ?? loadFont(scope.file, dict);
    scope.loaded.set(dict, font);
    scope.fonts.set(name, font);
  }
  return font;
}

function paintXObject(scope: Scope, nameValue: PdfObject | undefined, state: TextState): void {
  if (!(nameValue instanceof PdfName)) return unsupported('Do without a name');
  const xobjects = scope.file.resolve(scope.resources.get('XObject'));
  const xobject = isDict(xobjects) ? scope.file.resolve(xobjects.get(nameValue.name)) : undefined;
  if (!(xobject instanceof PdfStream)) return unsupported('a missing XObject');
  const subtype = nameOf(scope.file.resolve(xobject.dict.get('Subtype')));
  if (subtype === 'Image') return;
  if (subtype !== 'Form') return unsupported(`a ${subtype ?? 'untyped'} XObject`);
  if (scope.forms.includes(xobject) || scope.forms.length >= MAX_FORM_DEPTH)
    return unsupported('Form XObjects nested too deep');
  const stack = new StateStack(state.clone());
  const matrix = scope.file.resolve(xobject.dict.get('Matrix'));
  if (matrix !== undefined) {
    if (!Array.isArray(matrix) || matrix.length !== 6) return unsupported('a bad Form /Matrix');
    stack.transform(numbers(matrix.map((value) => scope.file.resolve(value) ?? null)) as Matrix);
  }
  const resources = scope.file.resolve(xobject.dict.get('Resources'));
  const inner: Scope = {
    ...scope,
    resources: isDict(resources) ? resources : scope.resources,
    fonts: isDict(resources) ? new Map() : scope.fonts,
    forms: [...scope.forms, xobject],
  };
  run(inner, scope.file.streamData(xobject), stack);
}

function checkGState(scope: Scope, nameValue: PdfObject | undefined): void {
  if (!(nameValue instanceof PdfName)) return unsupported('gs without a name');
  const states = scope.file.resolve(scope.resources.get('ExtGState'));
  const gstate = isDict(states) ? scope.file.resolve(states.get(nameValue.name)) : undefined;
  if (!isDict(gstate)) return unsupported('a missing ExtGState');
  if (gstate.has('Font')) unsupported('a font set through an ExtGState');
}

function number(value: PdfObject | undefined): number {
  return typeof value === 'number' ? value : unsupported('an operand that is not a number');
}

function numbers(values: PdfObject[]): number[] {
  return values.map(number);
}
