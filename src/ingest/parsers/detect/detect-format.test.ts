import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.js';

const kind = (text: string, extension = '') => detectFormat(Buffer.from(text, 'utf8'), extension).kind;

describe('detectFormat: content first, the name only breaks ties', () => {
  it('recognises mail by its header block, not by one "Subject:" line', () => {
    expect(kind('From: a@example.jp\r\nTo: b@example.jp\r\nSubject: 件名\r\n\r\n本文')).toBe('eml');
    expect(
      kind('Received: from mx\r\n\tby host\r\nFrom: a@example.jp\r\nDate: Tue, 1 Apr 2025\r\n\r\nx'),
    ).toBe('eml');
    expect(kind('Subject: 議事録\n\n本文')).toBe('text');
    expect(kind('Subject: 議事録\n\n本文', 'eml')).toBe('eml');
    expect(kind('メモ: これはメールではない\n')).toBe('text');
  });

  it('recognises HTML by its markup whatever the name says', () => {
    expect(kind('<!DOCTYPE html><p>x</p>', 'txt')).toBe('html');
    expect(kind('<!-- generated -->\n<html><body>x</body></html>')).toBe('html');
    expect(kind('<p>断片</p>', 'html')).toBe('html');
    expect(kind('a < b and c > d')).toBe('text');
  });

  it('a text file that mentions %PDF- stays text', () => {
    expect(kind('PDFのヘッダは %PDF-1.7 で始まる。')).toBe('text');
    expect(detectFormat(Buffer.from('%PDF-1.4\n'), 'txt').kind).toBe('pdf');
  });

  it('CSV and TSV by name', () => {
    expect(kind('a,b\n1,2\n', 'csv')).toBe('csv');
    expect(detectFormat(Buffer.from('a\tb\n'), 'tsv')).toMatchObject({ kind: 'csv', delimiter: '\t' });
  });

  it('short magic numbers need confirmation: text starting with "BM" or "MZ" is text', () => {
    expect(kind('BMI値の計算方法について')).toBe('text');
    expect(kind('MZ社との契約書\n')).toBe('text');
  });
});
