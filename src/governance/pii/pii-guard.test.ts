import { beforeAll, describe, expect, it } from 'vitest';
import { loadKuromojiTokenizer } from '../../search/analysis/kuromoji-tokenizer.js';
import { PiiBlockedError } from './pii-blocked-error.js';
import { PiiGuard } from './pii-guard.js';
import { PiiScanner } from './pii-scanner.js';
import { PseudonymMap } from './pseudonym-map.js';

let guard: PiiGuard;
beforeAll(async () => {
  guard = new PiiGuard(new PiiScanner({ tokenizer: await loadKuromojiTokenizer() }));
});

const prompt =
  '山田太郎様（電話 090-1234-5678、マイナンバー 1234 5678 9018）の住所は東京都千代田区丸の内1-2-3です。' +
  'メールは taro.yamada@example.co.jp。';

describe('PiiGuard', () => {
  it('off: sends the text unchanged without scanning', () => {
    expect(guard.protect('off', prompt, new PseudonymMap())).toEqual({
      text: prompt,
      report: { mode: 'off', counts: {}, total: 0 },
    });
  });

  it('detect: sends the text unchanged and reports types and counts only', () => {
    const { text, report } = guard.protect('detect', prompt, new PseudonymMap());
    expect(text).toBe(prompt);
    expect(report.counts).toEqual({ person_name: 1, phone: 1, my_number: 1, address: 1, email: 1 });
    expect(JSON.stringify(report)).not.toContain('090');
  });

  it('pseudonymize: the model sees placeholders only, and the answer comes back with the values', () => {
    const map = new PseudonymMap();
    const { text } = guard.protect('pseudonymize', prompt, map);
    expect(text).toBe(
      '〔氏名1〕様（電話 〔電話1〕、マイナンバー 〔マイナンバー1〕）の住所は〔住所1〕です。メールは 〔メール1〕。',
    );
    const answer = '【氏名1】様の電話番号は［電話１］、メールは[Email 1]です。〔住所1〕宛てに送ります。';
    expect(guard.restore('pseudonymize', answer, map)).toBe(
      '山田太郎様の電話番号は090-1234-5678、メールはtaro.yamada@example.co.jpです。東京都千代田区丸の内1-2-3宛てに送ります。',
    );
  });

  it('gives the same value the same placeholder across turns, also in another notation, after persisting the map', () => {
    const first = new PseudonymMap();
    guard.protect('pseudonymize', '佐藤花子さんの携帯は090-1111-2222です。', first);
    const stored = JSON.parse(JSON.stringify(first.toJSON())) as unknown;
    const second = PseudonymMap.fromJSON(stored);
    const { text } = guard.protect(
      'pseudonymize',
      '再送：携帯 ０９０１１１１２２２２、鈴木一郎さんにも共有。佐藤花子さんへ。',
      second,
    );
    expect(text).toBe('再送：携帯 〔電話1〕、〔氏名2〕さんにも共有。〔氏名1〕さんへ。');
    expect(second.restore('〔電話1〕')).toBe('090-1111-2222');
  });

  it('leaves placeholders the conversation never issued alone', () => {
    const map = new PseudonymMap();
    guard.protect('pseudonymize', '電話 03-1234-5678', map);
    expect(map.restore('〔電話2〕と〔氏名1〕')).toBe('〔電話2〕と〔氏名1〕');
  });

  it('block: refuses with pii_blocked naming the types, never the values', () => {
    let error: unknown;
    try {
      guard.protect('block', prompt, new PseudonymMap());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PiiBlockedError);
    const blocked = error as PiiBlockedError;
    expect(blocked.code).toBe('pii_blocked');
    expect(blocked.status).toBe(422);
    expect(blocked.types).toEqual(['my_number', 'email', 'phone', 'address', 'person_name']);
    for (const value of ['山田', '090-1234-5678', '1234 5678 9018', 'taro.yamada', '丸の内']) {
      expect(blocked.message).not.toContain(value);
    }
    expect(
      guard.protect('block', '来週の会議は 2025-03-14 10:00 からです。', new PseudonymMap()).report.total,
    ).toBe(0);
  });

  it('protectAll shares one map across the messages of a call', () => {
    const map = new PseudonymMap();
    const { texts, report } = guard.protectAll(
      'pseudonymize',
      ['田中様からです', 'Re: 田中様、承知しました'],
      map,
    );
    expect(texts).toEqual(['〔氏名1〕様からです', 'Re: 〔氏名1〕様、承知しました']);
    expect(report.total).toBe(2);
  });

  it('rejects a persisted map that is not one', () => {
    expect(() => PseudonymMap.fromJSON({ version: 2, entries: [] })).toThrow();
  });
});
