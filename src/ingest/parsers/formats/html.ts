import type { AnyNode } from 'domhandler';
import { htmlToSections } from '../structure/html-sections.js';
import { loadHtml } from '../structure/load-html.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatResult } from './format-result.js';

/** Page furniture and hidden content: not what the page is about. */
const BOILERPLATE = [
  'nav',
  'aside',
  'noscript',
  'template',
  'dialog',
  '[hidden]',
  '[aria-hidden="true"]',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="search"]',
].join(', ');

/**
 * HTML via cheerio: the main content only (nav, page header/footer, asides, scripts dropped),
 * headings kept as section anchors. A <header>/<footer> inside an <article> or <section> belongs
 * to that content (its title, its byline), so only page-level ones are dropped.
 */
export function parseHtml(html: string): FormatResult {
  const $ = loadHtml(normalizeText(html));
  const title = normalizeText($('head > title').first().text() || $('title').first().text())
    .replace(/\s+/g, ' ')
    .trim();
  $(BOILERPLATE).remove();
  $('header, footer')
    .filter((_, element) => $(element).parents('article, section, main, [role="main"]').length === 0)
    .remove();

  const body: AnyNode[] =
    $('body').length > 0 ? $('body').contents().toArray() : $.root().contents().toArray();
  const main = $('main, [role="main"]').first();
  const articles = $('article');
  const candidates: AnyNode[][] = [];
  if (main.length > 0) candidates.push(main.toArray());
  if (articles.length === 1) candidates.push(articles.toArray());
  candidates.push(body);
  // A <main> that is an empty shell (filled in by scripts) must not hide the rest of the page.
  let sections = htmlToSections(candidates[0] ?? []);
  for (const nodes of candidates.slice(1)) {
    if (sections.length > 0) break;
    sections = htmlToSections(nodes);
  }
  return { sections, ...(title ? { title } : {}) };
}
