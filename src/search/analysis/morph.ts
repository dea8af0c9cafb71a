/** Minimal view of a morphological token (IPADIC feature layout). */
export interface MorphToken {
  readonly surface: string;
  /** Dictionary (base) form; equals surface when unknown. */
  readonly baseForm: string;
  /** Top-level part of speech, e.g. 名詞, 助詞. Empty when the tokenizer has none. */
  readonly pos: string;
  /** First POS sub-category, e.g. 代名詞, 非自立. */
  readonly posDetail: string;
  /** Second and third POS sub-categories (IPADIC), e.g. 人名 and 姓; absent when the tokenizer has none. */
  readonly posDetail2?: string;
  readonly posDetail3?: string;
  /** False for words the dictionary does not know (unknown-word processing). */
  readonly known: boolean;
}

export interface MorphTokenizer {
  tokenize(text: string): readonly MorphToken[];
}

/**
 * keep-all: every token.
 * content: drop particles, auxiliaries, symbols, fillers.
 * content-strict: also pronouns, dependent nouns/verbs/adjectives, conjunctions,
 *   adnominals, interjections, suffix verbs.
 */
export type PosPolicy = 'keep-all' | 'content' | 'content-strict';

const FUNCTION_POS: ReadonlySet<string> = new Set(['助詞', '助動詞', '記号', 'フィラー', 'その他']);
const STRICT_POS: ReadonlySet<string> = new Set(['接続詞', '連体詞', '感動詞']);
const STRICT_DETAIL: ReadonlySet<string> = new Set(['代名詞', '非自立', '接尾']);
const STRICT_DETAIL_POS: ReadonlySet<string> = new Set(['名詞', '動詞', '形容詞']);
const INFLECTING_POS: ReadonlySet<string> = new Set(['動詞', '形容詞']);

export function keepMorph(token: MorphToken, policy: PosPolicy): boolean {
  if (policy === 'keep-all' || token.pos === '') return true;
  if (FUNCTION_POS.has(token.pos)) return false;
  if (policy === 'content') return true;
  if (STRICT_POS.has(token.pos)) return false;
  // 名詞,接尾 (e.g. 都, 氏, 市) is kept: it carries meaning in place names.
  if (token.pos === '名詞' && token.posDetail === '接尾') return true;
  return !(STRICT_DETAIL_POS.has(token.pos) && STRICT_DETAIL.has(token.posDetail));
}

/** Base form for verbs/adjectives (書いた→書く), surface otherwise. */
export function morphTermText(token: MorphToken, useBaseForm: boolean): string {
  if (useBaseForm && INFLECTING_POS.has(token.pos) && token.baseForm !== '' && token.baseForm !== '*') {
    return token.baseForm;
  }
  return token.surface;
}
