import type { Language } from './engine/answer-engine.js';

const KANA_OR_HAN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Japanese when the question has any kana or kanji, English otherwise. */
export const languageOf = (text: string): Language => (KANA_OR_HAN.test(text) ? 'ja' : 'en');

/** The honest answer when nothing the caller may see answers the question. */
export function notFoundMessage(language: Language): string {
  return language === 'ja'
    ? '該当する情報は、閲覧できる社内文書の中に見つかりませんでした。質問の言い方を変えるか、文書の担当者にお問い合わせください。'
    : 'I could not find this in the documents you can access. Try rephrasing the question, or ask the owner of the documents.';
}
