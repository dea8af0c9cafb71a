import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors/errors.js';
import { createAnalyzer } from './analysis/create-analyzer.js';
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, prepareQuery, withExpansions } from './query.js';
import { SynonymExpander } from './synonyms/synonym-expansion.js';

const analyzer = await createAnalyzer();
const prepare = (q: string | undefined) => prepareQuery((t) => analyzer.analyze(t), q);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.code}` : 'other';
  }
  return 'ok';
};

describe('query preparation', () => {
  it('drops repeated terms, keeping first-seen order', () => {
    expect(prepare('経費 経費 申請 経費').terms).toEqual(['経費', '申請']);
  });

  it('answers 400 invalid_query for an empty or too long query', () => {
    expect(code(() => prepare(undefined))).toBe('400 invalid_query');
    expect(code(() => prepare('   \n'))).toBe('400 invalid_query');
    expect(code(() => prepare('あ'.repeat(MAX_QUERY_CHARS + 1)))).toBe('400 invalid_query');
    expect(code(() => prepare('あ'.repeat(MAX_QUERY_CHARS)))).toBe('ok');
  });

  it('keeps at most MAX_QUERY_TERMS distinct terms and says so', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const prepared = prepare(words);
    expect(prepared.terms).toHaveLength(MAX_QUERY_TERMS);
    expect(prepared.truncated).toBe(true);
  });

  it('turns punctuation, emoji, SQL and tsquery syntax into plain terms or nothing', () => {
    expect(prepare('！？。、…😀🎉').terms).toEqual([]);
    expect(prepare(`'; drop table chunks; --`).terms).toEqual(['drop', 'tabl', 'chunk']);
    expect(prepare('&|!:* <-> a:* !b').terms).toEqual(['b']);
    expect(prepare('\u0000\u0007経費\u001b[31m').terms).toEqual(['経費', '31m']);
  });

  it('adds synonym terms once, within MAX_QUERY_TERMS', () => {
    const groups = [
      ['売上', '売上高', 'revenue'],
      ['研修', 'training'],
    ];
    const extra = new SynonymExpander().expand(groups, '今期の売上は？', (t) => analyzer.analyze(t));
    expect(new Set(extra)).toEqual(
      new Set([...analyzer.analyze('売上'), ...analyzer.analyze('売上高'), 'revenu']),
    );
    expect(new SynonymExpander().expand(groups, 'Revenues fell', (t) => analyzer.analyze(t))).toContain(
      '売上',
    );
    expect(new SynonymExpander().expand(groups, 'prerevenue', (t) => analyzer.analyze(t))).toEqual([]);
    const expanded = withExpansions(prepare('今期の売上は？'), extra);
    expect(new Set(expanded.terms).size).toBe(expanded.terms.length);
    expect(expanded.terms).toContain('revenu');
    const full = prepare(Array.from({ length: 100 }, (_, i) => `word${i}`).join(' '));
    expect(withExpansions(full, ['extra']).terms).toHaveLength(MAX_QUERY_TERMS);
  });
});
