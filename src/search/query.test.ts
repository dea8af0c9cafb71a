import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors/errors.js';
import { createAnalyzer } from './analysis/create-analyzer.js';
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, prepareQuery } from './query.js';

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
});
