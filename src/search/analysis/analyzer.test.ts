import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer, type KuraAnalyzer } from './create-analyzer.js';
import { loadKuromojiTokenizer } from './kuromoji-tokenizer.js';
import type { MorphTokenizer } from './morph.js';

let tokenizer: MorphTokenizer;
let analyzer: KuraAnalyzer;

beforeAll(async () => {
  tokenizer = await loadKuromojiTokenizer();
  analyzer = await createAnalyzer({ tokenizer });
}, 30_000);

// What PostgreSQL's 'simple' parser keeps as one word: letters, marks, digits.
const SIMPLE_SAFE = /^[\p{L}\p{M}\p{N}]+$/u;

describe('analyze', () => {
  it('tokenises Japanese morphologically, dropping particles and auxiliaries', () => {
    expect(analyzer.analyze('東京都に行きました。')).toEqual(['東京', '都', '行く']);
  });

  it('maps inflected verbs to their base form on both sides', () => {
    expect(analyzer.analyze('書いた')).toEqual(analyzer.analyze('書く'));
  });

  it('handles mixed Japanese and English text', () => {
    expect(analyzer.analyze('Kuraは社内のRunning Documentsを検索する')).toEqual([
      'kura',
      '社内',
      'run',
      'document',
      '検索',
      'する',
    ]);
  });

  it('normalises width and case before tokenising', () => {
    expect(analyzer.analyze('ＡＢＣ')).toEqual(['abc']);
    expect(analyzer.analyze('ｶﾀｶﾅ')).toEqual(analyzer.analyze('カタカナ'));
  });

  it('stems English words', () => {
    expect(analyzer.analyze('running')).toEqual(['run']);
    expect(analyzer.analyze('The runner was running')).toEqual(['runner', 'run']);
  });

  it('returns no tokens for punctuation-only or empty input', () => {
    expect(analyzer.analyze('')).toEqual([]);
    expect(analyzer.analyze('。、！？…「」')).toEqual([]);
  });
});

describe('synonyms', () => {
  const groups = [['売上', '売上高', 'revenue', 'net sales']];

  it('collapses every member of a group to one canonical token', async () => {
    const a = await createAnalyzer({ tokenizer, synonyms: groups });
    expect(a.analyze('売上高')).toEqual(['売上']);
    expect(a.analyze('Revenue')).toEqual(['売上']);
    expect(a.analyze('revenues')).toEqual(['売上']);
    expect(a.analyze('NET SALES')).toEqual(['売上']);
  });

  it('makes document and query sides agree', () => {
    const a = analyzer.withSynonyms(groups);
    const doc = a.analyze('2023年度の売上高は前年比10%増加した。');
    const query = a.analyze('revenue 2023');
    for (const t of query) expect(doc).toContain(t);
  });

  it('does not match Latin synonyms inside longer words', () => {
    const a = analyzer.withSynonyms([['ai', '人工知能']]);
    expect(a.analyze('AI')).toEqual(['ai']);
    expect(a.analyze('人工知能')).toEqual(['ai']);
    expect(a.analyze('Thailand')).not.toContain('ai');
  });

  it('is off by default', () => {
    expect(analyzer.analyze('売上高')).not.toEqual(['売上']);
  });
});

describe('properties', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...'日本語のテキストｶﾀｶﾅＡＢＣabc 123、。・ー-_!?'), maxLength: 80 }),
  );

  it('never throws on arbitrary unicode (incl. lone surrogates)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        analyzer.analyze(s);
      }),
      { numRuns: 500 },
    );
  });

  it('emits non-empty tokens with no whitespace or punctuation', () => {
    fc.assert(
      fc.property(anyText, (s) =>
        analyzer.analyze(s).every((t) => t.length > 0 && SIMPLE_SAFE.test(t) && !/\s/u.test(t)),
      ),
      { numRuns: 500 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(
        anyText,
        (s) => JSON.stringify(analyzer.analyze(s)) === JSON.stringify(analyzer.analyze(s)),
      ),
      {
        numRuns: 300,
      },
    );
  });

  it('is idempotent on its own output (space-joined tokens re-analyse to a subset)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = analyzer.analyze(s);
        return analyzer.analyze(once.join(' ')).every((t) => t.length > 0 && SIMPLE_SAFE.test(t));
      }),
      { numRuns: 200 },
    );
  });
});
