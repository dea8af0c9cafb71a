import type { MorphToken, MorphTokenizer } from '../../../search/analysis/morph.js';
import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

/**
 * Japanese person names: tokens the morphological analyser tags 名詞,固有名詞,人名 next to a cue —
 * an honorific or title after (様, さん, 氏, 殿, 部長…) or a label before (氏名, 担当, 宛…) — or a full
 * 姓 + 名. Analysing a whole 4,000-character prompt costs ≈17 ms, so only short windows around cues
 * are analysed (≈ the cue's 12 neighbouring characters); names with no cue and no given name are missed.
 */
const SUFFIX_CUE =
  /様|さま|さん|氏|殿|君|くん|ちゃん|先生|部長|課長|社長|係長|主任|会長|専務|常務|所長|店長|室長|教授|弁護士|医師|看護師/g;
const PREFIX_CUE =
  /氏名|名前|担当者?|宛先?|差出人|送信者|署名|代表者?|取締役|責任者|申請者|契約者|患者|顧客名|作成者|承認者|name/gi;
const SUFFIXES: ReadonlySet<string> = new Set(SUFFIX_CUE.source.split('|'));
/** Characters a name can be written in (kanji, katakana, iteration marks) and the space between 姓 and 名. */
const NAME_CHAR = /[\p{Script=Han}\p{Script=Katakana}ー々ヶ \u3000]/u;
const MAX_NAME = 8;
/** 様/さん after these is a role or a group, never a name: お客様, 皆様, 担当者様, 御社様, 会員様, 家族さん. */
const NOT_BEFORE_HONORIFIC = /[者客皆方社位々員族様殿達共]/;
const JOINERS = /^[ :：のはがへ]$|^(?:です|から|より)$/;

interface Window {
  start: number;
  end: number;
}

/**
 * The shortest text that can show a name next to each cue: the run of name characters (at most 8)
 * just before an honorific, or just after a label and its joiner (氏名：, 担当の). Analysis costs
 * ≈40 µs per window, so a cue with no such run costs nothing.
 */
function cueWindows(text: string): Window[] {
  const windows: Window[] = [];
  SUFFIX_CUE.lastIndex = 0;
  for (let m = SUFFIX_CUE.exec(text); m !== null; m = SUFFIX_CUE.exec(text)) {
    if (NOT_BEFORE_HONORIFIC.test(text[m.index - 1] ?? '')) continue;
    let start = m.index;
    while (start > 0 && m.index - start < MAX_NAME && NAME_CHAR.test(text[start - 1]!)) start--;
    if (start < m.index) windows.push({ start, end: m.index + m[0].length });
  }
  PREFIX_CUE.lastIndex = 0;
  for (let m = PREFIX_CUE.exec(text); m !== null; m = PREFIX_CUE.exec(text)) {
    let end = m.index + m[0].length;
    for (let k = 0; k < 2 && end < text.length && /[ :：のは\u3000]/.test(text[end]!); k++) end++;
    const runStart = end;
    while (end < text.length && end - runStart < MAX_NAME && NAME_CHAR.test(text[end]!)) end++;
    if (end > runStart) windows.push({ start: m.index, end });
  }
  return windows.sort((a, b) => a.start - b.start || a.end - b.end);
}

function isName(t: MorphToken): boolean {
  return t.pos === '名詞' && t.posDetail === '固有名詞' && t.posDetail2 === '人名';
}

/** A surname the dictionary files under another proper noun (清水 as 組織, 阿部 as 地域). */
function isOtherProperNoun(t: MorphToken): boolean {
  return t.pos === '名詞' && t.posDetail === '固有名詞' && /^\p{Script=Han}{1,3}$/u.test(t.surface);
}

function isSpace(t: MorphToken): boolean {
  return /^[ \t]+$/.test(t.surface);
}

/** A kanji noun right after a surname that may be a given name the dictionary files elsewhere (陽翔, 愛, 太郎 as 地域). */
function couldBeGivenName(t: MorphToken): boolean {
  return (
    t.pos === '名詞' &&
    /^\p{Script=Han}{1,3}$/u.test(t.surface) &&
    !SUFFIXES.has(t.surface) &&
    (!t.known || t.posDetail === '固有名詞' || t.posDetail === '一般')
  );
}

interface Positioned {
  token: MorphToken;
  start: number;
  end: number;
}

function position(tokens: readonly MorphToken[], window: string, offset: number): Positioned[] {
  const out: Positioned[] = [];
  let at = 0;
  for (const token of tokens) {
    const found = window.startsWith(token.surface, at) ? at : window.indexOf(token.surface, at);
    if (found < 0) continue;
    out.push({ token, start: offset + found, end: offset + found + token.surface.length });
    at = found + token.surface.length;
  }
  return out;
}

function tokenAfter(tokens: Positioned[], j: number): { at: Positioned | undefined; step: number } {
  const next = tokens[j + 1];
  if (next !== undefined && isSpace(next.token)) return { at: tokens[j + 2], step: 2 };
  return { at: next, step: 1 };
}

function isGiven(t: MorphToken): boolean {
  return isName(t) && t.posDetail3 === '名';
}

function namesInWindow(tokens: Positioned[], text: ScanText, out: PiiMatch[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!.token;
    const surnameLike = !isName(first) && isOtherProperNoun(first);
    if (!isName(first) && !surnameLike) continue;
    const prev = i > 0 && JOINERS.test(tokens[i - 1]!.token.surface) ? tokens[i - 2] : tokens[i - 1];
    PREFIX_CUE.lastIndex = 0;
    const labelled = prev !== undefined && PREFIX_CUE.test(prev.token.surface);
    let j = i;
    let hasSurname = first.posDetail3 === '姓';
    let hasGiven = first.posDetail3 === '名';
    if (surnameLike) {
      const { at, step } = tokenAfter(tokens, j);
      if (at !== undefined && isGiven(at.token)) {
        hasSurname = true;
        hasGiven = true;
        j += step;
      }
    }
    for (;;) {
      const { at, step } = tokenAfter(tokens, j);
      if (at !== undefined && isName(at.token)) {
        hasSurname ||= at.token.posDetail3 === '姓';
        hasGiven ||= at.token.posDetail3 === '名';
        j += step;
        continue;
      }
      // 姓 + a kanji noun is a full name when a cue or the space between them ("山崎 愛") says so.
      if (at !== undefined && hasSurname && !hasGiven && couldBeGivenName(at.token)) {
        const after = tokenAfter(tokens, j + step).at;
        // An honorific alone does not make a common noun a given name: 佐藤工業様 is a company.
        const common = at.token.known && at.token.posDetail === '一般';
        if (labelled || step === 2 || (!common && after !== undefined && SUFFIXES.has(after.token.surface))) {
          hasGiven = true;
          j += step;
        }
      }
      break;
    }
    const { at: after } = tokenAfter(tokens, j);
    const honorific = after !== undefined && SUFFIXES.has(after.token.surface);
    const fullName = hasSurname && hasGiven;
    // Another proper noun alone is a name only right next to a cue, and less surely so.
    const accepted = surnameLike && !fullName ? honorific || labelled : honorific || labelled || fullName;
    if (accepted) {
      const confidence = surnameLike && !fullName ? 0.7 : honorific || labelled ? 0.9 : 0.75;
      out.push(matchAt(text, 'person_name', tokens[i]!.start, tokens[j]!.end, confidence));
    }
    i = j;
  }
}

/**
 * Holds the analyser and a bounded cache of analysed windows: a conversation re-sends its history on
 * every model call, so the same few windows (名前 + 様) come back again and again.
 */
export class JapaneseNameDetector {
  private readonly cache = new Map<string, readonly MorphToken[]>();

  constructor(
    private readonly tokenizer: MorphTokenizer,
    private readonly cacheSize = 4096,
  ) {}

  detect(text: ScanText): PiiMatch[] {
    const out: PiiMatch[] = [];
    for (const w of cueWindows(text.original)) {
      // The original text: the dictionary reads 山本 after a full-width colon as a surname, after ':' as a place.
      const slice = text.original.slice(w.start, w.end);
      namesInWindow(position(this.analyse(slice), slice, w.start), text, out);
    }
    return out;
  }

  private analyse(window: string): readonly MorphToken[] {
    const cached = this.cache.get(window);
    if (cached !== undefined) {
      this.cache.delete(window);
      this.cache.set(window, cached);
      return cached;
    }
    const tokens = this.tokenizer.tokenize(window);
    if (this.cacheSize > 0) {
      this.cache.set(window, tokens);
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return tokens;
  }
}
