import type { DecodedText } from '../text/decode-text.js';
import { joinFixedWidthWraps } from '../text/fixed-width-wraps.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatResult } from './format-result.js';

/**
 * Plain text: one section; the chunker finds its paragraphs and sentences. Text wrapped at a fixed
 * width has its Japanese lines joined where they wrap (fixed-width-wraps.ts).
 */
export function parseText(decoded: DecodedText): FormatResult {
  const text = joinFixedWidthWraps(normalizeText(decoded.text)).trim();
  return { sections: text ? [{ text, anchor: {} }] : [] };
}
