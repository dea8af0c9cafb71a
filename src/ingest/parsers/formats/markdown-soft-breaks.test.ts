import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinMarkdownSoftBreaks } from './markdown-soft-breaks.js';

describe('Markdown soft line breaks between wide characters', () => {
  it('joins a hand-wrapped Japanese paragraph and list item, as a browser shows them', () => {
    expect(joinMarkdownSoftBreaks('講座内容に疑\n問を呈した。次の\n文です。')).toBe(
      '講座内容に疑問を呈した。次の文です。',
    );
    expect(joinMarkdownSoftBreaks('- りんごと\n  みかん\n- ぶどう')).toBe('- りんごとみかん\n- ぶどう');
  });

  it('keeps hard breaks, headings, tables, code, block starts, paragraphs and Latin line ends', () => {
    for (const source of [
      '改行の前。  \n後の行',
      '改行の前\\\n後の行',
      '# 見出し\n本文',
      '東京 | 大阪\n京都 | 奈良',
      '```\n日本語の\nコメント\n```',
      '    字下げの\n    コード',
      '段落。\n\n次の段落',
      '本文\n- 項目',
      'English\n日本語',
      '日本語\nEnglish',
    ])
      expect(joinMarkdownSoftBreaks(source)).toBe(source);
  });

  it('never joins inside a fence, whatever follows it (property)', () => {
    // No backticks in the lines: the fence below is the only one.
    const line = fc.string({ unit: fc.constantFrom(...'日本語かなカナ。 a#|-'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(line, { maxLength: 8 }), (before, code) => {
        const fenced = `\`\`\`\n${code.join('\n')}\n\`\`\``;
        const source = `${before.join('\n')}\n\n${fenced}\n`;
        const joined = joinMarkdownSoftBreaks(source);
        expect(joined.endsWith(`\n${fenced}\n`)).toBe(true);
        // Only line breaks and the indent of a joined line ever go.
        expect(joined.replace(/\s/gu, '')).toBe(source.replace(/\s/gu, ''));
      }),
    );
  });
});
