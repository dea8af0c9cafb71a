import { describe, expect, it } from 'vitest';
import {
  encodeText,
  makeBrokenShiftJisCsv,
  type FixtureEncoding,
} from '../../../../test/fixtures/encode-text.js';
import { parseDocument } from '../parse-document.js';
import { decodeText } from './decode-text.js';

const SAMPLE = '株式会社蔵の経費精算規程。①申請 ②承認 ㈱蔵 髙橋 №１ ～ ｶﾀｶﾅ\n第2行：全角「括弧」と半角ABC。';
/** The NEC/IBM extensions exist only in CP932; EUC-JP and ISO-2022-JP get the JIS X 0208 subset. */
const JIS_SAFE = '株式会社蔵の経費精算規程。申請と承認。\n第2行：全角「括弧」と半角ABC。';

describe('decodeText', () => {
  const cases: [FixtureEncoding, string, string][] = [
    ['UTF-8', SAMPLE, 'UTF-8'],
    ['UTF-8-BOM', SAMPLE, 'UTF-8'],
    ['UTF-16LE', SAMPLE, 'UTF-16LE'],
    ['UTF-16BE', SAMPLE, 'UTF-16BE'],
    ['Shift_JIS', SAMPLE, 'Shift_JIS'],
    ['EUC-JP', JIS_SAFE, 'EUC-JP'],
    ['ISO-2022-JP', JIS_SAFE, 'ISO-2022-JP'],
  ];
  it.each(cases)('%s', (encoding, text, expected) => {
    const decoded = decodeText(encodeText(text, encoding));
    expect(decoded).toEqual({ text, encoding: expected, replacements: 0 });
  });

  it('decodes CP932 extensions (①, ㈱, 髙, №) that strict Shift_JIS lacks', () => {
    expect(decodeText(encodeText('①②③㈱㈲髙﨑№', 'Shift_JIS')).text).toBe('①②③㈱㈲髙﨑№');
  });

  it('tells short Shift_JIS from EUC-JP', () => {
    expect(decodeText(encodeText('売上高', 'Shift_JIS')).encoding).toBe('Shift_JIS');
    expect(decodeText(encodeText('売上高', 'EUC-JP')).encoding).toBe('EUC-JP');
  });

  it('a broken byte becomes U+FFFD and the rest of the file is kept', () => {
    const decoded = decodeText(makeBrokenShiftJisCsv());
    expect(decoded.encoding).toBe('Shift_JIS');
    expect(decoded.replacements).toBe(1);
    expect(decoded.text).toContain('㈱蔵,1200');
    expect(decoded.text).toContain('①大阪物産,450');
    expect(decoded.text).toContain('2025-04-02,東京商事\ufffd,800');
  });

  it('a U+FFFD already in valid UTF-8 is content, not damage', () => {
    expect(decodeText(Buffer.from('置換文字\ufffdです', 'utf8')).replacements).toBe(0);
  });
});

describe('parseDocument on encoded files', () => {
  it('records the encoding and parses a Shift_JIS CSV with a broken byte, with a warning', async () => {
    const doc = await parseDocument(makeBrokenShiftJisCsv(), { fileName: '取引.csv' });
    expect(doc.metadata.encoding).toBe('Shift_JIS');
    expect(doc.warnings).toEqual([
      '1 invalid byte sequence(s) in this Shift_JIS file were replaced with U+FFFD; the rest of the text is intact.',
    ]);
    expect(doc.tables[0]?.columns).toEqual(['日付', '取引先', '金額']);
    expect(doc.tables[0]?.rows).toEqual([
      ['2025-04-01', '㈱蔵', 1200],
      ['2025-04-02', '東京商事\ufffd', 800],
      ['2025-04-03', '①大阪物産', 450],
    ]);
    expect(doc.sections[0]?.anchor).toEqual({ range: 'A2:C4' });
  });

  it.each(['Shift_JIS', 'EUC-JP', 'ISO-2022-JP', 'UTF-16LE', 'UTF-16BE'] as const)(
    '%s: a text file and a Markdown file',
    async (encoding) => {
      const text = await parseDocument(encodeText(`${JIS_SAFE}\r\n`, encoding), { fileName: 'memo.txt' });
      expect(text.sections[0]?.text).toBe(JIS_SAFE);
      const markdown = await parseDocument(encodeText('# 規程\n\n本文です。\n', encoding), {
        fileName: 'a.md',
      });
      expect(markdown.sections[0]?.anchor.heading).toBe('規程');
    },
  );

  it('a Shift_JIS HTML page', async () => {
    const html = encodeText(
      '<html><head><meta charset="Shift_JIS"><title>お知らせ</title></head><body><p>①休業日のお知らせ</p></body></html>',
      'Shift_JIS',
    );
    const doc = await parseDocument(html, {});
    expect(doc.title).toBe('お知らせ');
    expect(doc.sections[0]?.text).toBe('①休業日のお知らせ');
  });
});
