import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobs } from './glob.js';

const matches = (pattern: string, file: string) => compileGlob(pattern).matches(file);

describe('glob patterns of folder sources', () => {
  it('matches a pattern without a slash against the file name at any depth', () => {
    expect(matches('*.pdf', 'a.pdf')).toBe(true);
    expect(matches('*.pdf', '規程/2025/就業規則.PDF')).toBe(true);
    expect(matches('*.pdf', 'a.pdf.txt')).toBe(false);
    expect(matches('~$*', 'docs/~$議事録.docx')).toBe(true);
  });

  it('anchors a pattern with a slash at the root', () => {
    expect(matches('規程/*.md', '規程/経費.md')).toBe(true);
    expect(matches('規程/*.md', '規程/古い/経費.md')).toBe(false);
    expect(matches('規程/*.md', 'x/規程/経費.md')).toBe(false);
    expect(matches('./規程/*.md', '規程/経費.md')).toBe(true);
  });

  it('lets ** cross any number of folders, including none', () => {
    expect(matches('**/*.md', 'a.md')).toBe(true);
    expect(matches('**/*.md', 'a/b/c.md')).toBe(true);
    expect(matches('archive/**', 'archive/2020/x.txt')).toBe(true);
    expect(matches('archive/**', 'archived/x.txt')).toBe(false);
    expect(matches('a/**/z.txt', 'a/z.txt')).toBe(true);
    expect(matches('a/**/z.txt', 'a/b/c/z.txt')).toBe(true);
  });

  it('knows ?, classes, alternatives and escapes', () => {
    expect(matches('report-?.txt', 'report-1.txt')).toBe(true);
    expect(matches('report-?.txt', 'report-12.txt')).toBe(false);
    expect(matches('[!a]*.txt', 'b.txt')).toBe(true);
    expect(matches('[!a]*.txt', 'a.txt')).toBe(false);
    expect(matches('*.{docx,xlsx}', 'x/売上.xlsx')).toBe(true);
    expect(matches('*.{docx,xlsx}', 'x/売上.pptx')).toBe(false);
    expect(matches('\\*.txt', '*.txt')).toBe(true);
    expect(matches('\\*.txt', 'a.txt')).toBe(false);
    expect(matches('a+b (1).txt', 'a+b (1).txt')).toBe(true);
  });

  it('refuses an unbalanced alternative; an empty list matches nothing', () => {
    expect(() => compileGlob('*.{pdf')).toThrow(/unbalanced/);
    expect(compileGlobs([]).matches('a.txt')).toBe(false);
  });
});
