import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PseudonymMap } from './pseudonym-map.js';
import { StreamRestorer } from './stream-restorer.js';

const map = new PseudonymMap();
map.placeholderFor('person_name', '山田太郎');
map.placeholderFor('phone', '090-1234-5678');
map.placeholderFor('email', 'taro@example.co.jp');

const pieces = fc.array(
  fc.constantFrom(
    '〔氏名1〕',
    '［電話１］',
    '[Email 1]',
    '【氏名1】',
    '様、',
    'お電話は',
    '(注記)',
    '「引用」',
    '〔未知〕',
    'です。',
    '[',
    '〔',
  ),
  { maxLength: 12 },
);

describe('StreamRestorer (fast-check)', () => {
  it('restores a streamed answer exactly as restore() does on the whole, wherever the chunks split', () => {
    fc.assert(
      fc.property(pieces, fc.array(fc.nat(), { maxLength: 6 }), (parts, cuts) => {
        const answer = parts.join('');
        const points = [...new Set(cuts.map((c) => (answer.length === 0 ? 0 : c % answer.length)))].sort(
          (a, b) => a - b,
        );
        const chunks: string[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(answer.slice(at, p));
          at = p;
        }
        chunks.push(answer.slice(at));
        const restorer = new StreamRestorer(map);
        const streamed = chunks.map((c) => restorer.push(c)).join('') + restorer.flush();
        expect(streamed).toBe(map.restore(answer));
      }),
      { numRuns: 300 },
    );
  });

  it('does not hold text back when no placeholder can be open', () => {
    const restorer = new StreamRestorer(map);
    expect(restorer.push('お問い合わせは〔氏')).toBe('お問い合わせは');
    expect(restorer.push('名1〕様まで')).toBe('山田太郎様まで');
    expect(restorer.flush()).toBe('');
  });
});
