import type { DecodedText } from '../text/decode-text.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatResult } from './format-result.js';

/** Plain text: one section; the chunker finds its paragraphs and sentences. */
export function parseText(decoded: DecodedText): FormatResult {
  const text = normalizeText(decoded.text).trim();
  return { sections: text ? [{ text, anchor: {} }] : [] };
}
