/** The part of a bilingual server text ("日本語 / English") in the reader's language. */
export function inLanguage(text: string, language: string): string {
  const at = text.lastIndexOf(' / ');
  if (at < 0) return text;
  return language.startsWith('en') ? text.slice(at + 3).trim() : text.slice(0, at).trim();
}

/**
 * The question asked again with the chosen answer in it. The ask API takes text only, so the choice
 * goes in as words its parser knows: a measure's or metric's name (unambiguous, unlike a label) or a
 * period phrase (今年度); an ambiguous word is replaced by the name of what it meant.
 */
export function answerClarification(
  question: string,
  clarification: { reason: string; question: string },
  choice: { label: string; value: string },
): string {
  const text = question.trim();
  if (clarification.reason === 'ambiguous_term') {
    const term = /「(.+?)」/u.exec(clarification.question)?.[1];
    // dimension=value: the value itself is the ambiguous word, so its dimension's name goes next to it.
    const [dimension, value] = choice.value.includes('=') ? choice.value.split('=', 2) : [null, null];
    const replacement = dimension && value ? `${value} ${dimension}` : choice.value;
    if (term && text.includes(term))
      return text.replace(term, ` ${replacement} `).replace(/\s+/gu, ' ').trim();
    return `${text} ${replacement}`;
  }
  return `${text} ${choice.value}`;
}
