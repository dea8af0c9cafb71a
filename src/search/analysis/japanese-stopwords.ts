/**
 * Very frequent Japanese content-less words that survive the POS filter
 * (light verbs, formal nouns, interrogatives). Compared with base forms.
 */
export const JAPANESE_STOPWORDS: ReadonlySet<string> = new Set([
  'する', 'いる', 'ある', 'なる', 'いう', 'れる', 'られる', 'せる', 'させる', 'できる', 'おる', 'くる', 'いく', 'よる',
  'こと', 'もの', 'ため', 'よう', 'これ', 'それ', 'あれ', 'この', 'その', 'あの', 'ここ', 'そこ',
  '何', '何と', 'なに', 'なん', 'どこ', 'だれ', '誰', 'いつ', 'どれ', 'どの', 'どちら', 'どう', 'なぜ', 'どのよう',
]);
